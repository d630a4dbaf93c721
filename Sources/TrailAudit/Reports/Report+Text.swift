/// Text safe for a terminal: log fields are attacker-controlled, so control characters and
/// escape sequences are shown escaped, never passed through.
package enum SafeText {
    /// `value` with C0/C1 controls, DEL, line separators and bidi controls written as
    /// `\xNN` / `\u{NNNN}`.
    package static func terminal(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: needsEscape) else { return value }
        var output = ""
        for scalar in value.unicodeScalars {
            if needsEscape(scalar) {
                output +=
                    scalar.value < 0x100
                    ? "\\x" + hex(scalar.value, width: 2)
                    : "\\u{" + hex(scalar.value, width: 4) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether `scalar` can move the cursor, hide text or reorder what a reader sees: C0/C1
    /// controls and DEL, U+2028/U+2029, and every format character (general category Cf: the
    /// bidi controls, zero-width space and joiners, word joiner, invisible operators, byte
    /// order mark, interlinear annotation, tags) or default-ignorable one (soft hyphen,
    /// combining grapheme joiner, Hangul fillers, variation selectors, Mongolian vowel
    /// separator), which a terminal draws as nothing: `admin` and `adm\u{2062}in` would look
    /// alike. Text, Markdown and JSON output escape them all.
    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x20..<0x7F: return false
        case 0x2028, 0x2029: return true
        default:
            return scalar.properties.generalCategory == .format
                || scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Report {
    /// Column-aligned text for a 100-column terminal, biggest first, `top` rows per list.
    package func text(top: Int) -> String {
        var out = ""
        writeSummary(&out)

        let byEvents = principals.sorted {
            $0.counts.total != $1.counts.total
                ? $0.counts.total > $1.counts.total : $0.principal < $1.principal
        }
        out +=
            "\nPRINCIPALS (\(min(top, byEvents.count)) of \(byEvents.count), most events first)\n"
        for entry in byEvents.prefix(top) { writePrincipal(entry, top: top, &out) }

        let roles = assumeRole.sorted {
            $0.counts.total != $1.counts.total
                ? $0.counts.total > $1.counts.total : $0.role < $1.role
        }
        out += "\nASSUMEROLE (\(min(top, roles.count)) of \(roles.count) target roles)\n"
        for entry in roles.prefix(top) { writeRole(entry, top: top, &out) }
        if !tokens.isEmpty {
            out += "\nFEDERATION AND SESSION TOKENS\n"
            for entry in tokens {
                out +=
                    "  \(SafeText.terminal(entry.issue.api)) by \(SafeText.terminal(entry.issue.caller.id))"
                    + " [\(entry.issue.caller.type.rawValue)]: \(entry.counts.succeeded) issued"
                    + ", \(entry.counts.denied + entry.counts.failed) failed\n"
            }
        }

        let denials = accessDenied.sorted {
            $0.group.counts.total != $1.group.counts.total
                ? $0.group.counts.total > $1.group.counts.total : $0.key < $1.key
        }
        out += "\nACCESS DENIED (\(min(top, denials.count)) of \(denials.count) groups)\n"
        for entry in denials.prefix(top) { writeDenial(entry, &out) }
        return out
    }

    private func writeSummary(_ out: inout String) {
        let span = [input.firstEvent, input.lastEvent].compactMap { $0 }.map(EventTime.format)
        out += "INPUT\n"
        out +=
            "  events \(input.events)  duplicates dropped \(input.duplicateEvents)"
            + "  files read \(input.filesRead)  skipped \(input.skipped.count)"
            + "  failed \(input.failed.count)\n"
        if span.count == 2 { out += "  from \(span[0]) to \(span[1])\n" }
        out += Report.wrapped("accounts", input.accounts, limit: 12)
        out += Report.wrapped("regions", input.regions, limit: 12)
        if input.unrecognizedRecords > 0 {
            out +=
                "  records that are not CloudTrail events (not counted): \(input.unrecognizedRecords)\n"
        }
        if input.eventsOutsideWindow > 0 {
            out += "  events outside --since/--until: \(input.eventsOutsideWindow)\n"
        }
        for (reason, notes) in Dictionary(grouping: input.skipped, by: \.reason).sorted(by: {
            $0.key < $1.key
        }) {
            out += "  skipped \(notes.count): \(reason)\n"
            for note in notes.prefix(3) { out += "    \(SafeText.terminal(note.path))\n" }
            if notes.count > 3 { out += "    ... \(notes.count - 3) more\n" }
        }
        for note in input.failed {
            out +=
                "  FAILED \(SafeText.terminal(note.path))\n    \(SafeText.terminal(note.reason))\n"
        }
        if input.eventsInFailedFiles > 0 {
            out += "  records read from failed files (none counted): \(input.eventsInFailedFiles)\n"
        }
    }

    /// `label a, b, c` wrapped at 100 columns, at most `limit` values, then a count.
    static func wrapped(_ label: String, _ values: [String], limit: Int) -> String {
        var shown = values.prefix(limit).map(SafeText.terminal)
        if values.count > limit { shown.append("(+\(values.count - limit) more)") }
        var out = ""
        var line = "  \(values.count) \(label):"
        for value in shown {
            if line.count + value.count + 2 > 100 {
                out += line + "\n"
                line = "   "
            }
            line += " " + value + (value == shown.last ? "" : ",")
        }
        return out + line + "\n"
    }

    private func writePrincipal(_ entry: PrincipalEntry, top: Int, _ out: inout String) {
        let counts = entry.counts
        out += "\n\(SafeText.terminal(entry.principal.id))  [\(entry.principal.type.rawValue)]\n"
        out +=
            "  events \(counts.total)  ok \(counts.succeeded)  denied \(counts.denied)"
            + "  failed \(counts.failed)"
            + sessions(entry) + "  \(Report.span(counts))\n"
        if let ip = entry.sourceIPs.first {
            out += "  top source \(SafeText.terminal(ip.key)) (\(ip.count))"
            if let agent = entry.userAgents.first {
                out += "  agent \(Report.clip(SafeText.terminal(agent.key), 50)) (\(agent.count))"
            }
            out += "\n"
        }
        let actions = entry.actions.sorted {
            $0.counts.total != $1.counts.total
                ? $0.counts.total > $1.counts.total : $0.action < $1.action
        }
        for action in actions.prefix(top) {
            let resource = action.resources.sorted.first.map { SafeText.terminal($0) } ?? "-"
            let more = action.resources.count > 1 ? " +\(action.resources.count - 1)" : ""
            out +=
                "    "
                + Report.pad(Report.clip(SafeText.terminal(action.action), Report.nameWidth), 40)
                + Report.pad("\(action.counts.succeeded) ok", 9, right: true)
                + Report.pad("\(action.counts.denied) denied", 11, right: true)
                + Report.pad("\(action.counts.failed) failed", 11, right: true) + "  "
                + Report.clip(resource + more, 22)
                + (action.implied > 0 ? "  (\(action.implied) implied)" : "") + "\n"
        }
        if actions.count > top { out += "    ... \(actions.count - top) more actions\n" }
    }

    private func writeRole(_ entry: RoleEntry, top: Int, _ out: inout String) {
        out += "\n\(SafeText.terminal(entry.role))\n"
        out +=
            "  assumed \(entry.counts.succeeded)  failed \(entry.counts.denied + entry.counts.failed)"
            + "  sessions \(Report.count(entry.sessionNames))  \(Report.span(entry.counts))\n"
        for (caller, counts) in entry.callers.prefix(top) {
            var line =
                "    \(Report.clip(SafeText.terminal(caller.api), Report.nameWidth)) by "
                + "\(SafeText.terminal(caller.caller)) [\(caller.type.rawValue)]"
            if let subject = caller.subject { line += " subject \(SafeText.terminal(subject))" }
            if caller.crossAccount { line += " (cross-account)" }
            // A refused assumption handed out nothing: say so beside the count.
            var refused: [String] = []
            if counts.denied > 0 { refused.append("\(counts.denied) denied") }
            if counts.failed > 0 { refused.append("\(counts.failed) failed") }
            let outcome = refused.isEmpty ? "" : " (\(refused.joined(separator: ", ")))"
            out += line + ": \(counts.total)\(outcome)\n"
        }
        if entry.ownerCopies > 0 {
            out +=
                "    (the role's account logged \(entry.ownerCopies) of these calls again, naming"
                + " only the caller's account: counted once)\n"
        }
    }

    private func writeDenial(_ entry: DenialEntry, _ out: inout String) {
        out +=
            "\n  \(entry.group.counts.total)x"
            + " \(Report.clip(SafeText.terminal(entry.key.action), Report.nameWidth))  "
            + Report.span(entry.group.counts) + "\n"
        out += "     by \(SafeText.terminal(entry.key.principal.id))\n"
        if let resource = entry.key.resource {
            out += "     on \(SafeText.terminal(resource))\n"
        }
        let code = Report.clip(SafeText.terminal(entry.key.errorCode), Report.errorCodeWidth)
        out += "     \(code): \(entry.key.deniedBy.description)\n"
        if let message = entry.group.sampleMessage {
            out += "     \"\(Report.clip(SafeText.terminal(message), 90))\"\n"
        }
    }

    /// A bounded set's size, `1000+` when it stopped counting.
    /// `  sessions 12`; for a federated user, the users that issued it (`  issued by ARN`).
    private func sessions(_ entry: PrincipalEntry) -> String {
        let sessions = entry.sessions
        guard !sessions.isEmpty else { return "" }
        guard entry.principal.type == .federatedUser else {
            return "  sessions \(Report.count(sessions))"
        }
        return sessions.count == 1 && !sessions.isTruncated
            ? "  issued by \(SafeText.terminal(sessions.sorted[0]))"
            : "  issued by \(Report.count(sessions)) principals"
    }

    static func count(_ set: BoundedSet) -> String {
        set.isTruncated ? "\(set.count)+" : "\(set.count)"
    }

    static func span(_ counts: UsageCounts) -> String {
        guard let first = counts.firstSeen, let last = counts.lastSeen else { return "" }
        return "\(EventTime.format(first)) .. \(EventTime.format(last))"
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    /// The widest errorCode the text outputs print whole: AWS's codes are short
    /// (`Client.UnauthorizedOperation`), so a longer one is a forged or broken record, shown
    /// clipped there and whole in JSON.
    static let errorCodeWidth = 80
    /// The widest action or API name the text report prints whole (IAM's are far shorter).
    static let nameWidth = 100

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 3)) + "..."
    }
}
