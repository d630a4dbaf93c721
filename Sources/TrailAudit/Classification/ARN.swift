/// Amazon Resource Name helpers; the partition always comes from the input, never a default.
package enum ARN {
    /// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`, ...), nil if it is not an ARN.
    package static func partition(of arn: String) -> Substring? {
        let utf8 = arn.utf8
        guard utf8.starts(with: "arn:".utf8) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: 4)
        guard let colon = utf8[start...].firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return Substring(utf8[start..<colon])
    }

    /// The account field of an ARN; empty for S3 and other global resources.
    ///
    /// The field between the fourth and fifth colon, found by walking from colon to colon:
    /// called for every AssumeRole event and every principal of a report, it builds no array.
    package static func account(of arn: String) -> Substring? {
        let utf8 = arn.utf8
        guard utf8.starts(with: "arn:".utf8) else { return nil }
        var fieldStart = utf8.index(utf8.startIndex, offsetBy: 4)
        // The partition's, service's and region's colons, then the account's own.
        for field in 1...4 {
            guard let colon = utf8[fieldStart...].firstIndex(of: UInt8(ascii: ":")) else {
                return nil
            }
            if field == 4 { return Substring(utf8[fieldStart..<colon]) }
            fieldStart = utf8.index(after: colon)
        }
        return nil
    }

    /// The six `:`-separated fields of an ARN (the last keeps its colons), split on bytes.
    private static func fields(of arn: String) -> [Substring]? {
        guard arn.utf8.starts(with: "arn:".utf8) else { return nil }
        return arn.utf8.split(
            separator: UInt8(ascii: ":"), maxSplits: 5,
            omittingEmptySubsequences: false
        ).map { Substring($0) }
    }

    /// `arn:P:sts::A:assumed-role/Name/Session` -> `arn:P:iam::A:role/Name`.
    ///
    /// Only for when no session issuer is recorded: the session ARN has no role path, so a
    /// role under a path comes out without it (facts §1.3).
    package static func roleARN(fromSessionARN arn: String) -> String? {
        guard let parts = fields(of: arn), parts.count == 6, parts[2] == "sts" else { return nil }
        let resource = parts[5].utf8
        guard resource.starts(with: "assumed-role/".utf8) else { return nil }
        // Session names may contain '@', '=', ',' and '.', but never '/'.
        let afterType = resource.dropFirst("assumed-role/".utf8.count)
        guard let slash = afterType.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let name = Substring(afterType[..<slash])
        guard !name.isEmpty else { return nil }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(name)"
    }

    /// Byte range of the session name in the bytes of an `assumed-role` ARN.
    package static func sessionNameRange(in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        let marker = UnsafeRawBufferPointer(
            start: ARN.assumedRoleMarker.utf8Start, count: ARN.assumedRoleMarker.utf8CodeUnitCount)
        let count = bytes.count
        var index = 0
        // An ARN has five colons before its resource: jump from one to the next.
        while index + marker.count <= count,
            let colon = memchr(base + index, Int32(UInt8(ascii: ":")), count - index)
        {
            index = base.distance(to: colon)
            if bytes.holds(marker, at: index) {
                let name = index + marker.count
                guard let slash = memchr(base + name, Int32(UInt8(ascii: "/")), count - name)
                else { return nil }
                return (base.distance(to: slash) + 1)..<count
            }
            index += 1
        }
        return nil
    }

    private static let assumedRoleMarker: StaticString = ":assumed-role/"

    /// Builds an identity ARN when the record left it out, taking the partition from the region.
    static func build(
        _ identity: IdentityFields, resource: String, name: String?, service: String = "iam"
    ) -> String {
        let account = identity.accountId ?? "unknown-account"
        let found =
            identity.issuerArn.flatMap { ARN.partition(of: $0) }.map(String.init)
            ?? ARN.partition(forRegion: identity.region)
        return
            "arn:\(found):\(service)::\(account):\(resource)\(name ?? identity.principalId ?? "")"
    }

    /// The partition AWS uses for a region name; for ARNs the event did not write out.
    /// Whether `text` is an account id: twelve decimal digits.
    static func isAccountID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    package static func partition(forRegion region: String?) -> String {
        guard let region else { return "aws" }
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        if region.hasPrefix("us-iso-") { return "aws-iso" }
        if region.hasPrefix("us-isob-") { return "aws-iso-b" }
        if region.hasPrefix("eu-isoe-") { return "aws-iso-e" }
        if region.hasPrefix("us-isof-") { return "aws-iso-f" }
        if region.hasPrefix("eusc-") { return "aws-eusc" }
        return "aws"
    }
}

#if canImport(Glibc)
    import Glibc
#endif

extension String {
    /// Byte offset of the first occurrence of `needle` in the UTF-8 text, or nil.
    ///
    /// Plain byte search; Foundation's `range(of:)` goes through NSString and was the largest
    /// cost on the per-event path.
    func utf8Offset(of needle: StaticString) -> Int? {
        var text = self
        return text.withUTF8 { haystack -> Int? in
            guard let base = haystack.baseAddress, haystack.count >= needle.utf8CodeUnitCount else {
                return nil
            }
            let count = needle.utf8CodeUnitCount
            let first = needle.utf8Start.pointee
            var offset = 0
            while offset + count <= haystack.count {
                if base[offset] == first, memcmp(base + offset, needle.utf8Start, count) == 0 {
                    return offset
                }
                offset += 1
            }
            return nil
        }
    }

    /// Whether `byte` occurs in the UTF-8 text at or after offset `start`.
    func containsByte(_ byte: UInt8, fromOffset start: Int) -> Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, start < bytes.count else { return false }
            return memchr(base + start, Int32(byte), bytes.count - start) != nil
        }
    }

    /// Whether the UTF-8 text contains `needle`.
    func containsBytes(_ needle: StaticString) -> Bool {
        utf8Offset(of: needle) != nil
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes hold `bytes` at `offset` (false where `bytes` would run past the end).
    func holds(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, offset + bytes.count <= count else { return false }
        guard let base = baseAddress, let other = bytes.baseAddress else { return bytes.isEmpty }
        return memcmp(base + offset, other, bytes.count) == 0
    }
}
