/// Where a chain of keys starts, or why it cannot be followed further.
package enum TraceOrigin: Sendable, Equatable {
    /// A long-term access key (`AKIA…`) of an IAM user or the root user.
    case longTermKey(String, Principal)
    /// A federated identity: web identity provider and subject, SAML provider and user.
    case federated(Principal, subject: String?)
    /// An AWS service that assumed the role.
    case service(Principal)
    /// A caller the input names without a key (another account's copy of the event).
    case principal(Principal)
    /// The key that should come next was never issued in the input.
    case broken(key: String, reason: String)
}

/// The chain behind one key: who asked for it, with which key, back to a person or service;
/// and what was issued from it.
package struct KeyTrace: Sendable {
    package var key: String
    /// Issuing events, the origin's first, the one that issued `key` last.
    package var chain: [KeyIssue]
    package var origin: TraceOrigin
    /// Sessions issued from `key`, and from those, depth first; depth 1 = issued by `key`.
    package var descendants: [(depth: Int, issue: KeyIssue)]
    /// Usage of every key in the trace, in chain order.
    package var keys: [(key: String, usage: KeyUsage?)]
}

extension TraceIndex {
    /// The keys a trace starts from: an access key id, a session name, or a session ARN.
    package func startKeys(for identifier: String) -> [String] {
        if usage[identifier] != nil || issues[identifier] != nil { return [identifier] }
        var session = identifier
        if let range = identifier.utf8.firstRange(of: ":assumed-role/".utf8) {
            let rest = identifier.utf8[range.upperBound...]
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                session = String(Substring(rest[rest.index(after: slash)...]))
            }
        }
        return (keysBySession[session] ?? []).sorted()
    }

    /// Follows `key` up to its origin and down through what it issued.
    package func trace(_ key: String) -> KeyTrace {
        // Walked from the key up, then turned (inserting at the front cost a copy of the
        // chain per hop: a role that assumes itself every hour for years is a long chain).
        var chain: [KeyIssue] = []
        var current = key
        var visited: Set<String> = []
        var loops = false
        while let issue = issues[current] {
            guard visited.insert(current).inserted else {
                loops = true
                break
            }
            chain.append(issue)
            guard let caller = issue.callerKey, !caller.isEmpty else { break }
            current = caller
        }
        chain.reverse()

        let issuedBy = Dictionary(grouping: issues.values.filter { $0.callerKey != nil }) {
            $0.callerKey ?? ""
        }
        let descendants = orderedDepthFirst(from: key, issuedBy: issuedBy)

        var keyOrder: [String] = []
        let origin =
            loops
            ? TraceOrigin.broken(
                key: current,
                reason: "the chain loops back to this key: the keys below issued it, and it"
                    + " issued the first of them (events that cannot all be true: forged, or one"
                    + " key issued twice)")
            : origin(of: chain, start: key)
        if case .longTermKey(let root, _) = origin { keyOrder.append(root) }
        keyOrder += chain.map(\.issuedKey)
        if !keyOrder.contains(key) { keyOrder.append(key) }
        keyOrder += descendants.map(\.issue.issuedKey)
        var listed: Set<String> = []
        let keys = keyOrder.filter { listed.insert($0).inserted }.map {
            (key: $0, usage: usage[$0])
        }
        return KeyTrace(
            key: key, chain: chain, origin: origin,
            descendants: descendants, keys: keys)
    }

    private func orderedDepthFirst(
        from key: String, issuedBy: [String: [KeyIssue]]
    ) -> [(depth: Int, issue: KeyIssue)] {
        // Iterative, every level deep (a chain of thousands of hops would overflow the stack
        // of a recursive walk; a depth limit dropped what lay below it without a word).
        var result: [(depth: Int, issue: KeyIssue)] = []
        var seen: Set<String> = [key]
        func children(of parent: String) -> [KeyIssue] {
            (issuedBy[parent] ?? []).sorted(by: KeyIssue.precedes)
        }
        // Each level's children not yet visited, in order (reversed, to pop the first).
        var stack: [(depth: Int, pending: [KeyIssue])] = [(1, children(of: key).reversed())]
        while !stack.isEmpty {
            guard let child = stack[stack.count - 1].pending.popLast() else {
                stack.removeLast()
                continue
            }
            let depth = stack[stack.count - 1].depth
            guard seen.insert(child.issuedKey).inserted else { continue }
            result.append((depth, child))
            stack.append((depth + 1, children(of: child.issuedKey).reversed()))
        }
        return result
    }

    private func origin(of chain: [KeyIssue], start: String) -> TraceOrigin {
        guard let top = chain.first else {
            if start.hasPrefix("AKIA"), let user = usage[start]?.principal {
                return .longTermKey(start, user)
            }
            return .broken(
                key: start,
                reason: "no event in the input issued this key (issued before the window, "
                    + "in a trail not read, or a long-term key never used here)")
        }
        switch top.caller.type {
        case .webIdentity, .saml, .identityCenterUser:
            return .federated(top.caller, subject: top.subject)
        case .service:
            return .service(top.caller)
        default:
            break
        }
        guard let callerKey = top.callerKey, !callerKey.isEmpty else {
            return .principal(top.caller)
        }
        if callerKey.hasPrefix("AKIA") { return .longTermKey(callerKey, top.caller) }
        return .broken(
            key: callerKey,
            reason: "the key that called \(top.api) was not issued in the input")
    }
}
