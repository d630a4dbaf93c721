extension StateChanges {
    /// Bumped when a JSON field changes meaning or disappears; additions keep it.
    package static let schemaVersion = 1

    /// `2024-03-05` or `2024-03-05..2024-03-11`.
    private static func describe(_ window: TimeWindow) -> String {
        guard let since = window.since, let until = window.until else { return "everything" }
        return (DayNumber(day: since)...(DayNumber(day: until) - 1)).dateText
    }

    /// Said when the state holds events without a time (they are in no window).
    private var untimedNote: String? {
        guard eventsWithoutTime > 0 else { return nil }
        return "\(eventsWithoutTime) events of the state have no readable eventTime: they are in"
            + " no window and never new here; 'trailaudit report --state' counts them"
    }

    /// Said when the newest day in the state is older than yesterday: why no window here
    /// shows it (both end with that day).
    private var staleExplanation: String? {
        guard let stale = staleLogs else { return nil }
        let days = stale.quietDays == 1 ? "the day" : "the \(stale.quietDays) days"
        return "no account logged an event in \(days) before today (\(stale.today.dateText) UTC);"
            + " the windows end with the state's newest day: every trail stopped, or the sync"
            + " or the ingest is not running (give --until for another window)"
    }

    /// Said when neither window holds an event.
    private var noEventsNote: String? {
        guard eventsInWindow == 0, eventsInPreviousWindow == 0 else { return nil }
        return "neither window holds an event: are they the days meant?"
    }

    /// Plain text for a terminal or a cron mail.
    package func text() -> String {
        var out =
            "CHANGES in \(Self.describe(current)) against \(Self.describe(previous))\n"
        if isEmpty { out += "  nothing new, nothing stopped\n" }
        if let note = noEventsNote { out += "  (\(note))\n" }
        if let note = untimedNote { out += "  (\(note))\n" }
        if let stale = staleLogs, let explanation = staleExplanation {
            out += "\nNO LOGS SINCE \(stale.newestDay.dateText)\n  \(explanation)\n"
        }
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += "\n\(title) (\(lines.count))\n"
            for line in lines { out += "  " + SafeText.terminal(line) + "\n" }
        }
        section(
            "AUDIT LOGGING TURNED DOWN OR CHANGED",
            loggingChanges.map {
                let calls = $0.counts.succeeded == 1 ? "1 call" : "\($0.counts.succeeded) calls"
                return "\($0.principal.id): \($0.action) (\(calls), last"
                    + " \($0.counts.lastSeen.map(EventTime.format) ?? "-"))"
            })
        section(
            "NEW PRINCIPALS",
            newPrincipals.map {
                "\($0.principal.id) [\($0.principal.type.rawValue)]: \($0.counts.total) events"
            })
        section(
            "NEW ACTIONS",
            newActions.map {
                "\($0.principal.id): \($0.action) (\($0.counts.succeeded) calls"
                    + ($0.implied > 0 ? ", \($0.implied) implied)" : ")")
            })
        section(
            "NEW ASSUMERS",
            newAssumers.map { entry in
                var line = "\(entry.role) <- \(entry.caller.caller) [\(entry.caller.type.rawValue)]"
                if let subject = entry.caller.subject { line += " subject \(subject)" }
                line += " via \(entry.caller.api)"
                if entry.caller.crossAccount { line += ", from another account" }
                return line + " (\(entry.counts.total))"
            })
        section(
            "NEW DENIALS",
            newDenials.map {
                "\($0.key.principal.id): \($0.key.action) on \($0.key.resource ?? "-")"
                    + " \(Report.clip($0.key.errorCode, Report.errorCodeWidth)),"
                    + " \($0.key.deniedBy.description)"
                    + " (\($0.group.counts.total))"
            })
        section(
            "ACTIONS THAT STOPPED",
            stoppedActions.map {
                "\($0.principal.id): \($0.action) (last used"
                    + " \($0.counts.lastSeen.map(EventTime.format) ?? "-"))"
            })
        section(
            "LOGS THAT STOPPED (no event on the window's last day, events before it)",
            silentStreams.map(\.label))
        section(
            "LATE DELIVERIES (events of these days ingested after the window ended: not compared"
                + " here; the days' logging calls are among those above, named again if named"
                + " before)",
            lateDays.map { "\($0.dateText): changes --until \(($0 + 1).dateText) compares it" })
        section(
            "DAYS WITHOUT LOGS",
            coverageGaps.map {
                Coverage.label(account: $0.account, region: $0.region) + ": \($0.days.dateText)"
            })
        return out
    }

    /// Markdown, for a ticket or a chat message.
    package func markdown() -> String {
        var out =
            "# trailaudit changes\n\n\(Self.describe(current)) against \(Self.describe(previous))\n"
        if isEmpty { out += "\nNothing new, nothing stopped.\n" }
        for note in [noEventsNote, untimedNote].compactMap({ $0 }) {
            out += "\n\(note.prefix(1).uppercased() + note.dropFirst()).\n"
        }
        if let stale = staleLogs, let explanation = staleExplanation {
            out += "\n## No logs since \(stale.newestDay.dateText)\n\n"
            out += explanation.prefix(1).uppercased() + explanation.dropFirst() + ".\n"
        }
        func table(_ title: String, _ header: [String], _ rows: [[String]]) {
            guard !rows.isEmpty else { return }
            out += "\n## \(title)\n\n| " + header.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: "---|", count: header.count) + "\n"
            for row in rows { out += "| " + row.map(Report.cell).joined(separator: " | ") + " |\n" }
        }
        table(
            "Audit logging turned down or changed", ["principal", "action", "calls", "last"],
            loggingChanges.map {
                [
                    $0.principal.id, $0.action, "\($0.counts.succeeded)",
                    $0.counts.lastSeen.map(EventTime.format) ?? "",
                ]
            })
        table(
            "New principals", ["principal", "type", "events"],
            newPrincipals.map {
                [$0.principal.id, $0.principal.type.rawValue, "\($0.counts.total)"]
            })
        table(
            "New actions", ["principal", "action", "calls", "implied"],
            newActions.map {
                [$0.principal.id, $0.action, "\($0.counts.succeeded)", "\($0.implied)"]
            })
        table(
            "New assumers", ["role", "caller", "type", "api", "subject", "cross-account", "count"],
            newAssumers.map {
                [
                    $0.role, $0.caller.caller, $0.caller.type.rawValue, $0.caller.api,
                    $0.caller.subject ?? "", $0.caller.crossAccount ? "yes" : "no",
                    "\($0.counts.total)",
                ]
            })
        table(
            "New denials", ["principal", "action", "resource", "error", "denied by", "count"],
            newDenials.map {
                [
                    $0.key.principal.id, $0.key.action, $0.key.resource ?? "",
                    Report.clip($0.key.errorCode, Report.errorCodeWidth),
                    $0.key.deniedBy.description, "\($0.group.counts.total)",
                ]
            })
        table(
            "Actions that stopped", ["principal", "action", "last used"],
            stoppedActions.map {
                [$0.principal.id, $0.action, $0.counts.lastSeen.map(EventTime.format) ?? ""]
            })
        table(
            "Logs that stopped", ["account", "region"],
            silentStreams.map { [$0.account, $0.region] })
        table(
            "Late deliveries (not compared here; the days' logging calls are among those above)",
            ["day", "to compare it"],
            lateDays.map { [$0.dateText, "changes --until \(($0 + 1).dateText)"] })
        table(
            "Days without logs", ["account", "region", "days"],
            coverageGaps.map { [$0.account, $0.region, $0.days.dateText] })
        return out
    }

    /// JSON: `{"schemaVersion", "window", "previousWindow", "changed", "eventsInWindow",
    /// "eventsInPreviousWindow", "eventsWithoutTime", "noLogsSince", "newPrincipals",
    /// "newActions", "newAssumers", "newDenials", "stoppedActions", "loggingChanges",
    /// "silentStreams", "lateDays", "coverageGaps"}`.
    package func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("schemaVersion", StateChanges.schemaVersion)
        for (key, window) in [("window", current), ("previousWindow", previous)] {
            writer.beginObject(key)
            writer.time("since", window.since)
            writer.time("until", window.until)
            writer.endObject()
        }
        writer.field("changed", !isEmpty)
        writer.field("eventsInWindow", eventsInWindow)
        writer.field("eventsInPreviousWindow", eventsInPreviousWindow)
        writer.field("eventsWithoutTime", eventsWithoutTime)
        // The newest day with events when it is older than yesterday (and no --until), or null.
        writer.field("noLogsSince", staleLogs?.newestDay.dateText)
        writer.beginArray("newPrincipals")
        for entry in newPrincipals {
            writer.beginObject()
            writer.field("principal", entry.principal.id)
            writer.field("type", entry.principal.type.rawValue)
            writer.field("events", entry.counts.total)
            writer.time("firstSeen", entry.counts.firstSeen)
            writer.endObject()
        }
        writer.endArray()
        for (key, list) in [
            ("newActions", newActions), ("stoppedActions", stoppedActions),
            ("loggingChanges", loggingChanges),
        ] {
            writer.beginArray(key)
            for entry in list {
                writer.beginObject()
                writer.field("principal", entry.principal.id)
                writer.field("action", entry.action)
                writer.field("succeeded", entry.counts.succeeded)
                writer.field("implied", entry.implied)
                writer.time("firstSeen", entry.counts.firstSeen)
                writer.time("lastSeen", entry.counts.lastSeen)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.beginArray("newAssumers")
        for entry in newAssumers {
            writer.beginObject()
            writer.field("role", entry.role)
            writer.field("caller", entry.caller.caller)
            writer.field("type", entry.caller.type.rawValue)
            writer.field("api", entry.caller.api)
            writer.field("subject", entry.caller.subject)
            writer.field("crossAccount", entry.caller.crossAccount)
            writer.field("count", entry.counts.total)
            writer.time("firstSeen", entry.counts.firstSeen)
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray("newDenials")
        for entry in newDenials {
            writer.beginObject()
            writer.field("principal", entry.key.principal.id)
            writer.field("principalType", entry.key.principal.type.rawValue)
            writer.field("action", entry.key.action)
            writer.field("resource", entry.key.resource)
            writer.field("errorCode", entry.key.errorCode)
            writer.field("deniedBy", entry.key.deniedBy.description)
            writer.field("count", entry.group.counts.total)
            writer.time("firstSeen", entry.group.counts.firstSeen)
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray("silentStreams")
        for key in silentStreams {
            writer.beginObject()
            writer.field("account", key.account)
            writer.field("region", key.region)
            writer.endObject()
        }
        writer.endArray()
        writer.strings("lateDays", lateDays.map(\.dateText))
        CoverageGap.write(coverageGaps, into: &writer)
        writer.endObject()
        return writer.output + "\n"
    }
}

extension CoverageGap {
    /// `"coverageGaps": [{"account", "region", "from", "to"}]` (dates, both inclusive).
    static func write(_ gaps: [CoverageGap], into writer: inout JSONWriter) {
        writer.beginArray("coverageGaps")
        for gap in gaps {
            writer.beginObject()
            writer.field("account", gap.account)
            writer.field("region", gap.region)
            writer.field("from", gap.days.lowerBound.dateText)
            writer.field("to", gap.days.upperBound.dateText)
            writer.endObject()
        }
        writer.endArray()
    }
}

extension CoverageView {
    /// One line per account and region: days with logs, first and last, and the gaps.
    package func text() -> String {
        var out = "COVERAGE \(range.dateText) (\(range.count) days)\n"
        if let retainedFrom {
            out += "  (--retain deleted the days before \(retainedFrom.dateText): not known)\n"
        }
        if rows.isEmpty { out += "  no logs\n" }
        for row in rows {
            out +=
                "  \(SafeText.terminal(Coverage.label(account: row.account, region: row.region))):"
                + " \(row.daysWithLogs)/\(range.count) days"
            out += row.gaps.isEmpty ? ", no gaps\n" : "\n"
            for gap in row.gaps { out += "    no logs \(gap.dateText) (\(gap.count) days)\n" }
        }
        return out
    }

    /// `{"schemaVersion": 1, "from", "to", "retainedFrom" (the first day `--retain` kept, when
    /// it deleted days the window reached), "accounts": [{"account", "region", "daysWithLogs",
    /// "firstDay", "lastDay", "gaps": [{"from", "to"}]}]}`.
    package func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("schemaVersion", 1)
        writer.field("from", range.lowerBound.dateText)
        writer.field("to", range.upperBound.dateText)
        writer.field("retainedFrom", retainedFrom?.dateText)
        writer.beginArray("accounts")
        for row in rows {
            writer.beginObject()
            writer.field("account", row.account)
            writer.field("region", row.region)
            writer.field("daysWithLogs", row.daysWithLogs)
            writer.field("firstDay", row.firstDay?.dateText)
            writer.field("lastDay", row.lastDay?.dateText)
            writer.beginArray("gaps")
            for gap in row.gaps {
                writer.beginObject()
                writer.field("from", gap.lowerBound.dateText)
                writer.field("to", gap.upperBound.dateText)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }
}
