extension SuggestAnalysis {
    /// JSON: `principals`, each with `principal`, `policy`, `trustPolicy`, `removedActions`,
    /// `warnings`; schema in the README.
    package func json(catalog: IAMCatalog = .shared, into sink: @escaping (String) -> Void) {
        var writer = JSONWriter(sink: sink)
        writer.beginObject()
        AnalysisHeader.json(
            "suggest", window: window, catalog: catalog, problems: problems, into: &writer)
        writer.beginArray("principals")
        forEachPrincipal { principal in
            write(principal, into: &writer)
            writer.flush()
        }
        writer.endArray()
        writer.endObject()
        writer.flush(force: true)
    }

    private func write(_ principal: PrincipalSuggestion, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("principal", principal.principal)
        writer.field("kind", principal.kind)
        writer.field("serviceLinked", principal.isServiceLinked)
        if let policy = principal.policy {
            writer.value("policy", policy.document)
            writer.field("policySize", policy.size)
        } else {
            writer.field("policy", nil as String?)
            writer.field("policySize", 0)
        }
        if let document = principal.trust?.document {
            writer.value("trustPolicy", document)
        } else {
            writer.field("trustPolicy", nil as String?)
        }
        writer.beginArray("assumers")
        for assumer in principal.trust?.assumers ?? [] {
            writer.beginObject()
            writer.field("principalType", assumer.principalType)
            writer.field("principal", assumer.principal)
            writer.field("action", assumer.action)
            writer.strings("subjects", assumer.subjects)
            writer.strings("audiences", assumer.audiences)
            writer.field("crossAccount", assumer.crossAccount)
            writer.field("count", assumer.count)
            writer.endObject()
        }
        writer.endArray()
        writer.beginObject("removedByAccessLevel")
        for level in AccessLevel.allCases.sorted() {
            writer.field(level.rawValue, principal.removedActions.count { $0.accessLevel == level })
        }
        writer.endObject()
        for (key, list) in [
            ("removedActions", principal.removedActions),
            ("deniedActions", principal.deniedActions),
            ("usedNotGranted", principal.usedNotGranted),
        ] {
            writer.beginArray(key)
            for finding in list { UnusedAnalysis.write(finding, into: &writer) }
            writer.endArray()
        }
        writer.strings("unmapped", principal.unmapped.map(\.action))
        writer.strings("warnings", principal.warnings)
        writer.endObject()
    }

    /// Text: per principal, the policy and trust policy ready to apply, then what they remove
    /// and every warning.
    package func text(top: Int, catalog: IAMCatalog = .shared) -> String {
        var text = AnalysisHeader.text("suggest", window: window, catalog: catalog)
        for problem in problems { text += "! IAM input: \(SafeText.terminal(problem))\n" }
        forEachPrincipal { principal in
            text += "\n== \(SafeText.terminal(principal.principal))  (\(principal.kind)"
            text += principal.isServiceLinked ? ", service-linked)\n" : ")\n"
            if let policy = principal.policy {
                text += "permission policy (\(policy.size) characters):\n"
                text += SuggestAnalysis.terminal(policy.document) + "\n"
            }
            if let trust = principal.trust?.document {
                text += "trust policy:\n" + SuggestAnalysis.terminal(trust) + "\n"
            }
            let removed = principal.removedActions
            if !removed.isEmpty {
                let levels = AccessLevel.allCases.sorted().map { level in
                    "\(level.rawValue) \(removed.count { $0.accessLevel == level })"
                }
                text += "removes \(removed.count) granted action(s): "
                text += levels.joined(separator: ", ") + "\n"
                for finding in removed.prefix(top) {
                    text += "  - " + UnusedAnalysis.line(finding) + "\n"
                }
                if removed.count > top { text += "  ... \(removed.count - top) more\n" }
            }
            for finding in principal.deniedActions.prefix(top) {
                text += "denied in the window, left out: " + UnusedAnalysis.line(finding) + "\n"
            }
            for warning in principal.warnings { text += "! \(SafeText.terminal(warning))\n" }
        }
        return text
    }

    /// A fenced JSON block whose fence is longer than any backtick run inside (S3 keys and
    /// session names come from the logs and may hold backticks).
    static func codeBlock(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "json\n" + text + "\n" + fence + "\n"
    }

    /// A document for a terminal: its lines kept, controls inside strings escaped.
    static func terminal(_ document: PolicyJSON) -> String {
        document.prettyText.split(separator: "\n", omittingEmptySubsequences: false)
            .map { SafeText.terminal(String($0)) }.joined(separator: "\n")
    }

    /// Markdown: per principal, the documents in code blocks and the warnings as a list.
    package func markdown(top: Int, catalog: IAMCatalog = .shared) -> String {
        var text = AnalysisHeader.markdown("suggest", window: window, catalog: catalog)
        for problem in problems { text += "\n> IAM input: \(Report.cell(problem))\n" }
        forEachPrincipal { principal in
            text += "\n## \(Report.cell(principal.principal))\n"
            if let policy = principal.policy {
                text += "\nPermission policy (\(policy.size) characters):\n\n"
                text += SuggestAnalysis.codeBlock(policy.document.prettyText)
            }
            if let trust = principal.trust?.document {
                text += "\nTrust policy:\n\n" + SuggestAnalysis.codeBlock(trust.prettyText)
            }
            if !principal.removedActions.isEmpty {
                text += "\n| removed action | access level | class |\n|---|---|---|\n"
                for finding in principal.removedActions.prefix(top) {
                    text += "| \(finding.action) | \(finding.accessLevel.rawValue) | "
                    text += "\(finding.permissionClass.rawValue) |\n"
                }
                if principal.removedActions.count > top {
                    text += "\n\(principal.removedActions.count - top) more removed.\n"
                }
            }
            if !principal.warnings.isEmpty { text += "\n" }
            for warning in principal.warnings { text += "- \(Report.cell(warning))\n" }
        }
        return text
    }
}
