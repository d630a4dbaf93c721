extension UnusedAnalysis {
    /// JSON: `principals`, each with `principal` and `actions` (`action`, `class`,
    /// `accessLevel`, ...); schema in the README.
    package func json(catalog: IAMCatalog = .shared, into sink: @escaping (String) -> Void) {
        var writer = JSONWriter(sink: sink)
        writer.beginObject()
        AnalysisHeader.json(
            "unused", window: window, catalog: catalog, problems: problems, into: &writer)
        writer.beginArray("principals")
        forEachPrincipal { principal in
            write(principal, into: &writer)
            writer.flush()
        }
        writer.endArray()
        writer.endObject()
        writer.flush(force: true)
    }

    private func write(_ principal: PrincipalFindings, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("principal", principal.principal)
        writer.field("kind", principal.kind)
        writer.field("serviceLinked", principal.isServiceLinked)
        writer.time("created", principal.created)
        writer.field("inLogs", !principal.loggedAs.isEmpty)
        writer.strings("loggedAs", principal.loggedAs)
        writer.field("events", principal.events.total)
        writer.beginObject("summary")
        for permissionClass in PermissionClass.allCases {
            writer.field(permissionClass.rawValue, principal.count(permissionClass))
        }
        writer.endObject()
        writer.beginObject("unusedByAccessLevel")
        for level in AccessLevel.allCases.sorted() {
            writer.field(level.rawValue, principal.count(.unused, level))
        }
        writer.endObject()
        writer.strings("warnings", principal.warnings)
        writer.beginArray("actions")
        for finding in principal.actions { UnusedAnalysis.write(finding, into: &writer) }
        writer.endArray()
        writer.beginArray("unmapped")
        for (action, counts) in principal.unmapped {
            writer.beginObject()
            writer.field("action", action)
            writer.field("succeeded", counts.succeeded)
            writer.field("denied", counts.denied)
            writer.field("failed", counts.failed)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// One classified action as a JSON object.
    static func write(_ finding: ActionFinding, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("action", finding.action)
        writer.field("class", finding.permissionClass.rawValue)
        writer.field("accessLevel", finding.accessLevel.rawValue)
        writer.field("granted", finding.granted)
        writer.field("conditional", finding.conditional)
        writer.field("partiallyDenied", finding.partiallyDenied)
        writer.field("succeeded", finding.counts.succeeded)
        writer.field("denied", finding.counts.denied)
        writer.field("failed", finding.counts.failed)
        writer.field("implied", finding.implied)
        writer.time("lastSeen", finding.counts.lastSeen)
        writer.field("reason", finding.reason)
        writer.strings("grantedBy", finding.grantedBy)
        writer.endObject()
    }

    /// Text: per principal, the class counts, warnings, then each class's actions (`top` each).
    package func text(top: Int, catalog: IAMCatalog = .shared) -> String {
        var text = AnalysisHeader.text("unused", window: window, catalog: catalog)
        for problem in problems { text += "! IAM input: \(SafeText.terminal(problem))\n" }
        forEachPrincipal { principal in
            text += "\n\(SafeText.terminal(principal.principal))  (\(principal.kind)"
            text += principal.isServiceLinked ? ", service-linked)\n" : ")\n"
            text += "  events \(principal.events.total); "
            text +=
                PermissionClass.allCases.map { "\($0.rawValue) \(principal.count($0))" }
                .joined(separator: ", ") + "\n"
            text += "  unused by access level: " + Self.unusedByAccessLevel(principal) + "\n"
            for warning in principal.warnings { text += "  ! \(SafeText.terminal(warning))\n" }
            for permissionClass in [
                PermissionClass.used, .denied, .usedNotGranted, .unused, .notObservable,
            ] {
                let list = principal.actions.filter { $0.permissionClass == permissionClass }
                guard !list.isEmpty else { continue }
                let shown = list.prefix(top)
                text += "  \(permissionClass.rawValue)"
                text += list.count > shown.count ? " (\(shown.count) of \(list.count)):\n" : ":\n"
                for finding in shown { text += "    " + UnusedAnalysis.line(finding) + "\n" }
            }
            if !principal.unmapped.isEmpty {
                text += "  unmapped (not in the IAM catalog, not guessed)"
                text += Self.shownOf(principal.unmapped.count, top: top) + ":\n"
                for (action, counts) in principal.unmapped.prefix(top) {
                    let name = Report.clip(SafeText.terminal(action), Report.nameWidth)
                    text += "    \(name)  \(counts.total) call(s)\n"
                }
            }
        }
        return text
    }

    /// ` (20 of 31)` when a list of `count` is cut at `top`, else nothing.
    private static func shownOf(_ count: Int, top: Int) -> String {
        count > top ? " (\(top) of \(count))" : ""
    }

    /// `Permissions management 0, Write 2, ...`: the unused actions per access level.
    private static func unusedByAccessLevel(_ principal: PrincipalFindings) -> String {
        AccessLevel.allCases.sorted().map { "\($0.rawValue) \(principal.count(.unused, $0))" }
            .joined(separator: ", ")
    }

    /// `s3:GetObject  Read  12 ok, 1 denied, last 2024-03-05T10:00:00Z  (reason)`.
    static func line(_ finding: ActionFinding) -> String {
        var line = finding.action.padding(
            toLength: max(40, finding.action.count), withPad: " ", startingAt: 0)
        line += "  " + finding.accessLevel.rawValue
        let counts = finding.counts
        if counts.total > 0 {
            var parts: [String] = []
            if counts.succeeded > 0 { parts.append("\(counts.succeeded) ok") }
            if counts.denied > 0 { parts.append("\(counts.denied) denied") }
            if counts.failed > 0 { parts.append("\(counts.failed) failed") }
            if finding.implied > 0 { parts.append("\(finding.implied) implied") }
            line += "  " + parts.joined(separator: ", ")
            if let last = counts.lastSeen { line += ", last \(EventTime.format(last))" }
        }
        if finding.conditional { line += "  [conditional]" }
        if finding.partiallyDenied { line += "  [partly denied]" }
        if let reason = finding.reason { line += "  (\(reason))" }
        return line
    }

    /// Markdown: a summary table, then each principal's non-used actions (`top` per class).
    package func markdown(top: Int, catalog: IAMCatalog = .shared) -> String {
        var text = AnalysisHeader.markdown("unused", window: window, catalog: catalog)
        for problem in problems { text += "\n> IAM input: \(Report.cell(problem))\n" }
        text += "\n| principal | events | "
        text += PermissionClass.allCases.map(\.rawValue).joined(separator: " | ") + " |\n"
        text += "|---|---:|" + String(repeating: "---:|", count: PermissionClass.allCases.count)
        text += "\n"
        // One pass: the summary's rows, and each principal's section (its `top` rows per
        // class) kept as text until the summary is complete.
        var sections = ""
        forEachPrincipal { principal in
            text += "| \(Report.cell(principal.principal)) | \(principal.events.total) | "
            text +=
                PermissionClass.allCases.map { String(principal.count($0)) }
                .joined(separator: " | ") + " |\n"
            var text = ""
            defer { sections += text }
            text += "\n## \(Report.cell(principal.principal))\n\n"
            text += "Unused by access level: \(Self.unusedByAccessLevel(principal)).\n\n"
            for warning in principal.warnings { text += "- \(Report.cell(warning))\n" }
            text += "\n| action | class | access level | ok | denied | failed | implied | note |\n"
            text += "|---|---|---|---:|---:|---:|---:|---|\n"
            var shown: [PermissionClass: Int] = [:]
            for finding in principal.actions {
                shown[finding.permissionClass, default: 0] += 1
                guard shown[finding.permissionClass]! <= top else { continue }
                text += "| \(finding.action) | \(finding.permissionClass.rawValue) | "
                text += "\(finding.accessLevel.rawValue) | \(finding.counts.succeeded) | "
                text += "\(finding.counts.denied) | \(finding.counts.failed) | "
                text += "\(finding.implied) | "
                text += Report.cell(finding.reason ?? "") + " |\n"
            }
            if !principal.unmapped.isEmpty {
                text += "\nUnmapped (not in the IAM catalog, not guessed)"
                text += Self.shownOf(principal.unmapped.count, top: top) + ":\n\n"
                text += "| call | calls |\n|---|---:|\n"
                for (action, counts) in principal.unmapped.prefix(top) {
                    text += "| \(Report.cell(action)) | \(counts.total) |\n"
                }
            }
        }
        return text + sections
    }
}
