/// What denied a call, as far as its errorMessage says.
///
/// "If multiple policy types deny an authorization request, AWS includes only one of those
/// policy types in the error message" (IAM-AD), so this is the stated reason, not the only one.
package struct DenialReason: Hashable, Sendable, Comparable {
    /// Whether the message names a Deny statement, a missing Allow, or neither.
    package enum Kind: String, Sendable {
        /// "with an explicit deny in a … policy".
        case explicitDeny
        /// "because no … policy allows the … action".
        case implicitDeny
        /// The message gives no reason ("Access Denied", RDS, STS trust failures).
        case notStated

        /// Sort order: explicit denies first.
        var rank: Int {
            switch self {
            case .explicitDeny: 0
            case .implicitDeny: 1
            case .notStated: 2
            }
        }
    }

    /// Which of the three the message states.
    package var kind: Kind
    /// Normalised policy type: "identity-based", "resource-based", "service control",
    /// "resource control", "permissions boundary", "session", "VPC endpoint", "role trust";
    /// nil when not stated.
    package var policyType: String?

    /// A reason of `kind`, with `policyType` spelt as one of the normalised names above.
    package init(kind: Kind, policyType: String? = nil) {
        self.kind = kind
        self.policyType = policyType
    }

    /// Stable text for reports: "explicit deny in a service control policy",
    /// "no identity-based policy allows", "VPC endpoint policy", "not stated".
    package var description: String {
        switch (kind, policyType) {
        case (.explicitDeny, let type?): "explicit deny in " + Self.withArticle(Self.noun(type))
        case (.explicitDeny, nil): "explicit deny"
        case (.implicitDeny, let type?): "no " + Self.noun(type) + " allows"
        case (.implicitDeny, nil): "no policy allows"
        case (.notStated, let type?): Self.noun(type)
        case (.notStated, nil): "not stated"
        }
    }

    /// Report order: explicit denies first (lifting them needs a policy edit, not a new Allow),
    /// then implicit, then unstated; within a kind, by policy type.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind.rank < rhs.kind.rank }
        return (lhs.policyType ?? "") < (rhs.policyType ?? "")
    }

    /// "identity-based" -> "identity-based policy"; a boundary is not called a policy in AWS's
    /// messages ("because no permissions boundary allows", IAM-AD).
    private static func noun(_ type: String) -> String {
        type == "permissions boundary" ? type : type + " policy"
    }

    private static func withArticle(_ noun: String) -> String {
        let vowel = noun.first.map { "aeiouAEIOU".contains($0) } ?? false
        return (vowel ? "an " : "a ") + noun
    }
}

/// Facts parsed from an AccessDenied errorMessage (all optional but the reason).
///
/// Form (IAM-AD): `User: <arn> is not authorized to perform: <action> [on resource: <r>]
/// (because no <type> policy allows … | with an explicit deny in a <type> policy)`; services
/// drop parts, and callers fall back to the event's own fields for a missing one.
package struct DenialMessage: Hashable, Sendable {
    /// What the message says denied the call; `.notStated` when it says nothing.
    package var reason: DenialReason
    /// The action as written, e.g. "ec2:RunInstances"; AWS does not normalise its case.
    package var action: String?
    /// The resource, unquoted.
    package var resource: String?
    /// "arn:aws:sts::...:assumed-role/R/S" when the message names it.
    package var principalArn: String?

    /// Parses `errorMessage` of an event whose `errorCode` is a denial.
    package init(errorCode: String, errorMessage: String?) {
        let text = MessageText(errorMessage ?? "")
        principalArn = Self.principal(in: text)

        let found = Self.action(in: text)
        let clause = found.map { Self.resource(in: text, at: $0.end) }
        action = found?.action
        resource = clause?.0

        var reason = Self.reason(in: text, from: clause?.end ?? 0) ?? DenialReason(kind: .notStated)
        // Network-activity denials: errorCode VpceAccessDenied, message "The request was denied
        // due to a VPC endpoint policy" (CT-REC). It does not say explicit or implicit; either
        // way the endpoint policy is what to edit, so it is reported as that policy's deny.
        let vpce =
            errorCode == "VpceAccessDenied"
            || text.find("denied due to a vpc endpoint policy") != nil
        if vpce, reason.kind == .notStated {
            reason = DenialReason(kind: .explicitDeny, policyType: "VPC endpoint")
        }
        self.reason = reason
    }

    /// The ARN after "User: ", which is the session ARN for roles (facts §3.2).
    private static func principal(in text: MessageText) -> String? {
        guard let user = text.find("user: "),
            let verb = text.find(" is not authorized", from: user + 6)
        else { return nil }
        let range = user + 6..<verb
        guard text.bytes[range].starts(with: "arn:".utf8), !text.bytes[range].contains(0x20)
        else { return nil }
        return text.string(range)
    }

    /// The `service:Action` after "not authorized to perform:" and the index just past it.
    private static func action(in text: MessageText) -> (action: String, end: Int)? {
        let keyword = "not authorized to perform:"
        guard let found = text.find(keyword) else { return nil }
        let start = text.skipSpaces(from: found + keyword.utf8.count)
        var end = start
        while end < text.count, MessageText.isActionByte(text.bytes[end]) { end += 1 }

        // `service:Action`: a colon with something on each side.
        guard let colon = text.bytes[start..<end].firstIndex(of: UInt8(ascii: ":")),
            colon != start, colon + 1 != end
        else { return nil }
        return (text.string(start..<end), end)
    }

    /// The optional ` on resource: ` clause: quoted, a pattern, or a bare name with spaces.
    private static func resource(in text: MessageText, at start: Int) -> (String?, end: Int) {
        let keyword = "on resource:"
        let clause = text.skipSpaces(from: start)
        guard text.hasPrefix(keyword, at: clause) else { return (nil, start) }
        let begin = text.skipSpaces(from: clause + keyword.utf8.count)

        if begin < text.count, text.bytes[begin] == UInt8(ascii: "\"") {
            let close = text.bytes[(begin + 1)...].firstIndex(of: 0x22) ?? text.count
            let value = text.string(begin + 1..<close)
            return (value.isEmpty ? nil : value, min(close + 1, text.count))
        }

        // A bare name can hold spaces ("role TestReadOnly with an explicit deny", AWS re:Post),
        // so the clause runs to the reason, not to the next space. From the space before the
        // name: an empty clause ("on resource:  because ...") names nothing.
        let reasonStart = [" because ", " with an explicit deny"]
            .compactMap { text.find($0, from: begin - 1) }.min()
        var end = max(reasonStart ?? text.count, begin)
        if reasonStart == nil, end > begin, text.bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        let value = text.string(begin..<end)
        return (value.isEmpty ? nil : value, end)
    }

    /// The explicit or implicit clause after the action, if the message has one.
    private static func reason(in text: MessageText, from start: Int) -> DenialReason? {
        let explicitKeyword = "with an explicit deny"
        if let explicit = text.find(explicitKeyword, from: start) {
            // An SCP denial always reads "explicit deny", even when no SCP allowed the action
            // (IAM-AD note), so `.explicitDeny` with "service control" may be a missing Allow.
            let type = explicitPolicyType(in: text, after: explicit + explicitKeyword.utf8.count)
            return DenialReason(kind: .explicitDeny, policyType: type)
        }

        guard let because = text.find("because ", from: start) else { return nil }
        // AWS's own role-trust example reads "because the role trust policy allows" (IAM-AD).
        guard let article = ["no ", "the "].first(where: { text.hasPrefix($0, at: because + 8) })
        else { return nil }
        // Not KMS's "because the resource does not exist…": a type ends at "policy"/"allows".
        let read = text.readPolicyType(from: because + 8 + article.utf8.count)
        guard let read, read.endedAtKeyword else { return nil }
        return DenialReason(kind: .implicitDeny, policyType: read.type)
    }

    /// The type in "… explicit deny in a <type> policy", nil when the message stops earlier.
    private static func explicitPolicyType(in text: MessageText, after start: Int) -> String? {
        guard text.hasPrefix(" in ", at: start) else { return nil }
        let read = text.readPolicyType(from: text.skipArticle(from: start + 4))

        // "in a VPC endpoint policy transitively through a service control policy": IAM-AD
        // says to look for that Deny in the SCPs, so the SCP is the policy to report.
        let through = "transitively through "
        if let read, let found = text.find(through, from: read.end),
            let outer = text.readPolicyType(from: text.skipArticle(from: found + through.count))
        {
            return outer.type
        }
        return read?.type
    }
}

extension DenialMessage {
    /// An errorMessage as bytes, ready for keyword search: whitespace runs collapsed to one
    /// space (AWS's documented examples wrap lines) and EC2's encoded blob cut off.
    fileprivate struct MessageText {
        private(set) var bytes: [UInt8]
        var count: Int { bytes.count }

        init(_ message: String) {
            var message = message
            // One pass over the bytes in place: collapsing never writes more than it reads.
            // An empty message stays out of `unsafeUninitializedCapacity`: for capacity 0 the
            // standard library stores the count into the shared empty-array singleton, a write
            // that races with every other thread doing the same (ThreadSanitizer reports it).
            let collapsed = message.withUTF8 { utf8 -> [UInt8] in
                guard !utf8.isEmpty else { return [] }
                return [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, written in
                    var count = 0
                    var pendingSpace = false
                    for byte in utf8 {
                        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                            pendingSpace = count > 0
                            continue
                        }
                        if pendingSpace {
                            buffer[count] = 0x20
                            count += 1
                            pendingSpace = false
                        }
                        buffer[count] = byte
                        count += 1
                    }
                    written = count
                }
            }
            bytes = collapsed

            // EC2's "Encoded authorization failure message: <blob>" needs an online decode.
            if let blob = find("encoded authorization failure message") {
                var end = blob
                while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
                bytes = Array(collapsed[..<end])
            }
        }

        /// The first index at or after `start` where `needle` (lower case) occurs, any case.
        ///
        /// A plain scan, but tight: it runs several times over every denied event's message.
        func find(_ needle: String, from start: Int = 0) -> Int? {
            var needle = needle
            return needle.withUTF8 { wanted in
                guard let first = wanted.first, start >= 0, start + wanted.count <= count else {
                    return nil
                }
                return bytes.withUnsafeBufferPointer { text in
                    // Equal under `| 0x20`: both cases of a letter, and a few other pairs
                    // that `matches` then turns away. One test a byte.
                    let first = first | 0x20
                    let last = text.count - wanted.count
                    var index = start
                    while index <= last {
                        if text[index] | 0x20 == first, Self.matches(wanted, text, at: index) {
                            return index
                        }
                        index += 1
                    }
                    return nil
                }
            }
        }

        /// Whether `needle` (lower case) occurs at `index`, any case.
        func hasPrefix(_ needle: String, at index: Int) -> Bool {
            var needle = needle
            return needle.withUTF8 { wanted in
                index >= 0 && index + wanted.count <= count
                    && bytes.withUnsafeBufferPointer { Self.matches(wanted, $0, at: index) }
            }
        }

        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        func skipSpaces(from index: Int) -> Int {
            var index = index
            while index < count, bytes[index] == 0x20 { index += 1 }
            return index
        }

        private static let articles = ["a ", "an ", "the "]

        /// Skips "a ", "an " or "the ", which vary by message ("in the role trust policy").
        func skipArticle(from index: Int) -> Int {
            for article in MessageText.articles where hasPrefix(article, at: index) {
                return index + article.utf8.count
            }
            return index
        }

        /// Up to three words naming a policy type, read until "policy"/"policies"/"allows" or
        /// until the words stop; nil when no word or too many words come first.
        func readPolicyType(from start: Int) -> (type: String, end: Int, endedAtKeyword: Bool)? {
            var index = start
            var words: [Range<Int>] = []
            var endedAtKeyword = false
            while true {
                let wordStart = index
                while index < count, Self.isWordByte(bytes[index]) { index += 1 }
                if index == wordStart { break }
                let word = wordStart..<index
                if MessageText.policyTypeEnds.contains(where: { isWord($0, at: word) }) {
                    endedAtKeyword = true
                    break
                }
                words.append(wordStart..<index)
                guard words.count <= 3 else { return nil }
                guard index < count, bytes[index] == 0x20 else { break }
                index += 1
            }
            guard let first = words.first, let last = words.last else { return nil }
            let type = Self.normalisedPolicyType(string(first.lowerBound..<last.upperBound))
            return (type, index, endedAtKeyword)
        }

        /// The words after a policy type: "... no identity-based policy allows ...".
        private static let policyTypeEnds = ["policy", "policies", "allows", "allow"]

        /// Whether the word at `range` is `word` (lower case), any case.
        private func isWord(_ word: String, at range: Range<Int>) -> Bool {
            word.utf8.count == range.count && hasPrefix(word, at: range.lowerBound)
        }

        /// AWS spells some types differently across messages ("a sessions policy", IAM-AD).
        static func normalisedPolicyType(_ written: String) -> String {
            switch written.lowercased() {
            case "permission boundary": "permissions boundary"
            case "sessions": "session"
            case "vpc endpoint": "VPC endpoint"
            case let lower: lower
            }
        }

        static func isWordByte(_ byte: UInt8) -> Bool {
            let lower = byte | 0x20
            return (lower >= 0x61 && lower <= 0x7A) || byte == UInt8(ascii: "-")
        }

        /// Characters of `service:Action`, including wildcards; stops at "." and spaces.
        static func isActionByte(_ byte: UInt8) -> Bool {
            isWordByte(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_")
        }

        /// Whether `wanted` (lower case) is at `index` of `text`, which holds all of it.
        private static func matches(
            _ wanted: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, at index: Int
        ) -> Bool {
            var offset = 0
            while offset < wanted.count {
                if folded(text[index + offset]) != wanted[offset] { return false }
                offset += 1
            }
            return true
        }

        /// ASCII upper case to lower case; other bytes as they are.
        private static func folded(_ byte: UInt8) -> UInt8 {
            byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
    }
}
