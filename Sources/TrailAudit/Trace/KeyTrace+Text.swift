extension KeyTrace {
    /// The chain as a tree, then what each key did.
    package func text() -> String {
        var out = "TRACE \(SafeText.terminal(key))\n\n"
        out += "  " + Self.describe(origin) + "\n"
        var depth = 1
        for issue in chain {
            out += Self.line(
                issue, depth: depth, marker: issue.issuedKey == key ? "  <= this key" : "")
            depth += 1
        }
        if case .broken = origin {
            // The origin line already names the key where the chain stops.
        } else if chain.isEmpty {
            out += String(repeating: "   ", count: depth) + "└─ key \(SafeText.terminal(key))\n"
        }

        if !descendants.isEmpty {
            out += "\nISSUED FROM THIS KEY\n"
            for (level, issue) in descendants { out += Self.line(issue, depth: level, marker: "") }
        }

        out += "\nKEYS\n"
        for (id, usage) in keys {
            out += "\n  \(SafeText.terminal(id))"
            guard let usage else {
                out += "  (not used in the input)\n"
                continue
            }
            out += "  \(SafeText.terminal(usage.principal.id))"
            if let session = usage.session { out += " session \(SafeText.terminal(session))" }
            let calls = usage.counts.total == 1 ? "1 call" : "\(usage.counts.total) calls"
            out +=
                "\n    \(calls), \(usage.counts.denied) denied  "
                + Report.span(usage.counts) + "\n"
            out += Self.list("actions", usage.actions)
            out += Self.list("implied", usage.impliedActions)
            out += Self.list("denied", usage.deniedActions)
            out += Self.list("source IPs", usage.sourceIPs)
            out += Self.list("user agents", usage.userAgents)
            out += Self.list("regions", usage.regions)
        }
        return out
    }

    static func describe(_ origin: TraceOrigin) -> String {
        switch origin {
        case .longTermKey(let key, let principal):
            return "long-term key \(SafeText.terminal(key)) of \(SafeText.terminal(principal.id))"
                + " [\(principal.type.rawValue)]"
        case .federated(let principal, let subject):
            return "\(principal.type.rawValue) \(SafeText.terminal(principal.id))"
                + (subject.map { " subject \(SafeText.terminal($0))" } ?? "")
        case .service(let principal):
            return "AWS service \(SafeText.terminal(principal.id))"
        case .principal(let principal):
            return "\(SafeText.terminal(principal.id)) [\(principal.type.rawValue)], no key named"
        case .broken(let key, let reason):
            return "UNKNOWN ORIGIN: \(SafeText.terminal(key)): \(reason)"
        }
    }

    /// How deep the tree is drawn: a deeper hop is drawn at this depth with its number, so a
    /// chain of thousands of hops (a role that assumes itself every hour for a year) takes
    /// lines as long as a short one's, not a screen of indentation each.
    static let deepestIndent = 8

    private static func line(_ issue: KeyIssue, depth: Int, marker: String) -> String {
        let drawn = min(depth, deepestIndent)
        let indent = String(repeating: "   ", count: drawn + 1)
        let hop = depth > deepestIndent ? "(hop \(depth)) " : ""
        var text =
            String(repeating: "   ", count: drawn) + "└─ \(hop)\(SafeText.terminal(issue.api))"
        if let time = issue.time { text += " \(EventTime.format(time))" }
        if let ip = issue.sourceIP { text += " from \(SafeText.terminal(ip))" }
        text += "\n"
        if let target = issue.target { text += indent + "→ \(SafeText.terminal(target))\n" }
        var details: [String] = []
        if let subject = issue.subject { details.append("subject \(SafeText.terminal(subject))") }
        if let session = issue.sessionName {
            details.append("session \(SafeText.terminal(session))")
        }
        if let source = issue.sourceIdentity {
            details.append("sourceIdentity \(SafeText.terminal(source))")
        }
        if !details.isEmpty { text += indent + details.joined(separator: "  ") + "\n" }
        text += indent + "key \(SafeText.terminal(issue.issuedKey))\(marker)\n"
        if !issue.otherCallerKeys.isEmpty {
            let others = issue.otherCallerKeys.map(SafeText.terminal).joined(separator: ", ")
            text +=
                indent + "OTHER EVENTS ISSUED THIS KEY TO \(others): events that cannot all be"
                + " true (one key is issued once); the earliest is shown\n"
        }
        return text
    }

    private static func list(_ label: String, _ values: BoundedSet) -> String {
        guard !values.isEmpty else { return "" }
        let shown = values.sorted.prefix(8).map(SafeText.terminal).joined(separator: ", ")
        let more = values.count > 8 ? " (+\(values.count - 8)\(values.isTruncated ? "+" : ""))" : ""
        return "    \(label): \(Report.clip(shown, 80))\(more)\n"
    }
}

extension KeyTrace {
    /// The trace as JSON: `schemaVersion`, `key`, `origin`, `chain`, `issuedFromKey`, `keys`.
    package func json(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("key", key)
        writer.beginObject("origin")
        switch origin {
        case .longTermKey(let root, let principal):
            writer.field("kind", "longTermKey")
            writer.field("key", root)
            writer.field("principal", principal.id)
            writer.field("principalType", principal.type.rawValue)
        case .federated(let principal, let subject):
            writer.field("kind", "federated")
            writer.field("principal", principal.id)
            writer.field("principalType", principal.type.rawValue)
            writer.field("subject", subject)
        case .service(let principal):
            writer.field("kind", "service")
            writer.field("principal", principal.id)
        case .principal(let principal):
            writer.field("kind", "principal")
            writer.field("principal", principal.id)
            writer.field("principalType", principal.type.rawValue)
        case .broken(let broken, let reason):
            writer.field("kind", "broken")
            writer.field("key", broken)
            writer.field("reason", reason)
        }
        writer.endObject()
        writer.beginArray("chain")
        for issue in chain { Self.write(issue, depth: nil, &writer) }
        writer.endArray()
        writer.beginArray("issuedFromKey")
        for (depth, issue) in descendants { Self.write(issue, depth: depth, &writer) }
        writer.endArray()
        writer.beginArray("keys")
        for (id, usage) in keys {
            writer.beginObject()
            writer.field("key", id)
            writer.field("used", usage != nil)
            if let usage {
                writer.field("principal", usage.principal.id)
                writer.field("session", usage.session)
                writer.field("calls", usage.counts.total)
                writer.field("denied", usage.counts.denied)
                writer.time("firstSeen", usage.counts.firstSeen)
                writer.time("lastSeen", usage.counts.lastSeen)
                writer.strings("actions", usage.actions.sorted)
                writer.strings("impliedActions", usage.impliedActions.sorted)
                writer.strings("deniedActions", usage.deniedActions.sorted)
                writer.strings("sourceIPs", usage.sourceIPs.sorted)
                writer.strings("userAgents", usage.userAgents.sorted)
                writer.strings("regions", usage.regions.sorted)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    private static func write(_ issue: KeyIssue, depth: Int?, _ writer: inout JSONWriter) {
        writer.beginObject()
        if let depth { writer.field("depth", depth) }
        writer.field("api", issue.api)
        writer.time("time", issue.time)
        writer.field("caller", issue.caller.id)
        writer.field("callerType", issue.caller.type.rawValue)
        writer.field("callerKey", issue.callerKey)
        writer.field("subject", issue.subject)
        writer.field("target", issue.target)
        writer.field("sessionName", issue.sessionName)
        writer.field("sourceIdentity", issue.sourceIdentity)
        writer.field("sourceIP", issue.sourceIP)
        writer.field("issuedKey", issue.issuedKey)
        writer.field("eventID", issue.eventID)
        // Caller keys other events name for the same issued key: they cannot all be true.
        writer.strings("otherCallerKeys", issue.otherCallerKeys)
        writer.endObject()
    }
}
