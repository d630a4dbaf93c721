extension Report {
    /// The report as Markdown tables, biggest first, `top` rows per table.
    package func markdown(top: Int) -> String {
        var out = "# trailaudit report\n\n"
        out +=
            "| events | duplicates dropped | files read | skipped | failed | first event | last event |\n"
        out += "|---:|---:|---:|---:|---:|---|---|\n"
        out +=
            "| \(input.events) | \(input.duplicateEvents) | \(input.filesRead) | \(input.skipped.count)"
            + " | \(input.failed.count) | \(input.firstEvent.map(EventTime.format) ?? "-")"
            + " | \(input.lastEvent.map(EventTime.format) ?? "-") |\n"
        if !input.failed.isEmpty {
            out += "\n## Failed files\n\n| file | reason |\n|---|---|\n"
            for note in input.failed {
                out += "| \(Report.cell(note.path)) | \(Report.cell(note.reason)) |\n"
            }
        }

        out += "\n## Principals\n\n| principal | type | events | ok | denied | failed | actions |\n"
        out += "|---|---|---:|---:|---:|---:|---:|\n"
        let byEvents = principals.sorted {
            $0.counts.total != $1.counts.total
                ? $0.counts.total > $1.counts.total : $0.principal < $1.principal
        }
        for entry in byEvents.prefix(top) {
            let counts = entry.counts
            out +=
                "| \(Report.cell(entry.principal.id)) | \(entry.principal.type.rawValue)"
                + " | \(counts.total) | \(counts.succeeded) | \(counts.denied) | \(counts.failed)"
                + " | \(entry.actions.count) |\n"
        }

        out +=
            "\n## AssumeRole\n\n| role | caller | type | api | subject | cross-account | count |\n"
        out += "|---|---|---|---|---|---|---:|\n"
        for entry in assumeRole {
            for (caller, counts) in entry.callers {
                out +=
                    "| \(Report.cell(entry.role)) | \(Report.cell(caller.caller))"
                    + " | \(caller.type.rawValue) | \(Report.cell(caller.api))"
                    + " | \(Report.cell(caller.subject ?? "")) | \(caller.crossAccount ? "yes" : "no")"
                    + " | \(counts.total) |\n"
            }
        }

        out +=
            "\n## Access denied\n\n| count | principal | action | resource | error code | denied by |\n"
        out += "|---:|---|---|---|---|---|\n"
        let denials = accessDenied.sorted {
            $0.group.counts.total != $1.group.counts.total
                ? $0.group.counts.total > $1.group.counts.total : $0.key < $1.key
        }
        for entry in denials.prefix(top) {
            out +=
                "| \(entry.group.counts.total) | \(Report.cell(entry.key.principal.id))"
                + " | \(Report.cell(entry.key.action)) | \(Report.cell(entry.key.resource ?? "-"))"
                + " | \(Report.cell(Report.clip(entry.key.errorCode, Report.errorCodeWidth)))"
                + " | \(entry.key.deniedBy.description) |\n"
        }
        return out
    }

    /// A table cell: pipes, backticks and markup characters escaped, controls made visible.
    static func cell(_ value: String) -> String {
        var out = ""
        for character in SafeText.terminal(value) {
            switch character {
            case "|", "`", "*", "_", "[", "]", "<", ">", "\\": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }
}
