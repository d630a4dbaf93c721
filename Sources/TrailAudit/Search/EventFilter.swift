/// Which events `trailaudit events` prints; every filter that is set must match.
package struct EventFilter: Sendable {
    /// A role ARN (matches all its sessions), a user ARN, a service or provider name, or a
    /// session ARN (that session only).
    package var principal: String?
    package var session: String?
    /// Any of these access key ids.
    package var accessKeys: Set<String>?
    /// IAM action pattern with `*` and `?`, case-insensitive (`s3:Get*`).
    package var action: String?
    package var eventName: String?
    /// Prefix of a resource ARN the event names, byte for byte.
    package var resourcePrefix: String?
    package var address: AddressRange?
    /// Text the user agent contains, case-insensitive.
    package var userAgent: String?
    package var deniedOnly = false
    /// Only failed calls (denied or other errors); with a code, only that `errorCode`.
    package var errorsOnly = false
    package var errorCode: String?
    package var account: String?
    package var region: String?

    package init() {}

    /// Whether the event passes every filter that is set.
    func matches(_ facts: EventFacts, principal: Principal, actions: [String]) -> Bool {
        if let wanted = self.principal,
            wanted != principal.id, wanted != facts.identity.arn
        {
            return false
        }
        if let session, session != facts.sessionName { return false }
        if let accessKeys, !(facts.accessKeyId.map(accessKeys.contains) ?? false) { return false }
        if let action, !actions.contains(where: { ActionPattern.matches(action, $0) }) {
            return false
        }
        if let eventName, eventName.lowercased() != facts.eventName?.lowercased() { return false }
        // By bytes, as S3 and IAM compare names: `String.hasPrefix` compares characters, so
        // `.../É` found the object spelled `E` and a combining accent, and `.../E` did not.
        if let resourcePrefix,
            !facts.namedResources.contains(where: { $0.utf8.starts(with: resourcePrefix.utf8) })
        {
            return false
        }
        if let address, !(facts.sourceIP.map(address.contains) ?? false) { return false }
        if let userAgent,
            !(facts.userAgent?.lowercased().contains(userAgent.lowercased()) ?? false)
        {
            return false
        }
        let outcome = facts.outcome
        if deniedOnly, outcome != .denied { return false }
        if errorsOnly {
            if let errorCode {
                if facts.errorCode != errorCode { return false }
            } else if outcome == .succeeded {
                return false
            }
        }
        if let account, account != facts.recipientAccount, account != facts.identityAccount {
            return false
        }
        if let region, region != facts.region { return false }
        return true
    }

    /// Whether decoding must keep the caller's access key id.
    var needsAccessKey: Bool { accessKeys != nil }
}

/// IAM's action wildcards: `*` any run, `?` one character, case-insensitive (IAM-ACT).
package enum ActionPattern {
    /// Whether `action` matches `pattern`.
    package static func matches(_ pattern: String, _ action: String) -> Bool {
        let pattern = Array(pattern.lowercased().utf8)
        let text = Array(action.lowercased().utf8)
        var p = 0
        var t = 0
        var star = -1
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
