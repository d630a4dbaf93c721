#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address or CIDR block (`203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`).
package struct AddressRange: Sendable, Equatable {
    private var network: [UInt8]
    private var prefixLength: Int

    /// Parses an address or block; nil if it is neither.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = AddressRange.bytes(of: String(parts[0])) else { return nil }
        let bits = address.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        network = address
    }

    /// Whether `address` (as CloudTrail writes `sourceIPAddress`) is in the range. Service
    /// names such as `lambda.amazonaws.com` are not addresses and never match. An IPv4 range
    /// holds the IPv4-mapped IPv6 form of its addresses (`::ffff:198.51.100.9`, RFC 4291),
    /// which is the same IPv4 address.
    package func contains(_ address: String) -> Bool {
        guard var bytes = AddressRange.bytes(of: address) else { return false }
        if network.count == 4, bytes.count == 16,
            bytes[..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF
        {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for (have, want) in zip(bytes, network) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if have & mask != want & mask { return false }
            remaining -= bits
        }
        return true
    }

    private static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: v6) { Array($0) }
        }
        return nil
    }
}
