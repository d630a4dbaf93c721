#if canImport(Glibc)
    import Glibc
#endif

/// Interns strings by their bytes, so a value seen a million times is decoded once.
///
/// One table per worker: not thread-safe. Open addressing on a 64-bit hash of the raw bytes.
package struct StringTable {
    private var hashes: [UInt64]
    private var strings: [String?]
    /// Number of distinct strings held.
    package private(set) var count = 0
    /// UTF-8 bytes of the strings held.
    private var bytesHeld = 0

    /// Values longer than this are decoded directly; they are rarely repeated (error messages).
    package static let maxInternedLength = 512

    /// Distinct strings held before the table starts again empty. Session names, principal
    /// ids and addresses keep coming over a long run; without a bound the table would hold
    /// every one ever seen. What repeats is interned again within a few events.
    package static let maxCount = 1 << 16

    /// Bytes of strings held before the table starts again empty: long values that never
    /// repeat (crafted ones among them) would otherwise hold up to `maxCount` times
    /// `maxInternedLength` bytes (32 MB) per worker.
    package static let maxBytes = 4 << 20

    /// Creates an empty table.
    package init() {
        hashes = Array(repeating: 0, count: 1024)
        strings = Array(repeating: nil, count: 1024)
    }

    /// The decoded string for `range` in `scanner`'s record; nil when absent or empty.
    package mutating func string(_ range: JSONStringRange, in scanner: JSONScanner) -> String? {
        guard range.isNonEmpty else { return nil }
        if range.hasEscapes || range.count > StringTable.maxInternedLength {
            return scanner.string(range)
        }
        let bytes = UnsafeRawBufferPointer(start: scanner.base + range.start, count: range.count)
        return intern(bytes)
    }

    /// The interned string with exactly these UTF-8 bytes.
    package mutating func intern(_ bytes: UnsafeRawBufferPointer) -> String {
        let hash = StringTable.hash(bytes)
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while let existing = strings[slot] {
            if hashes[slot] == hash, StringTable.equal(existing, bytes) { return existing }
            slot = (slot + 1) & mask
        }

        let string = String(decoding: bytes, as: UTF8.self)
        // Bytes that are not UTF-8 come back repaired (U+FFFD) and would never match their own
        // entry again: one new entry per event, each lookup walking them all. Not interned.
        guard string.utf8.count == bytes.count, StringTable.equal(string, bytes) else {
            return string
        }
        if count == StringTable.maxCount || bytesHeld + bytes.count > StringTable.maxBytes {
            self = StringTable()
            slot = Int(truncatingIfNeeded: hash) & (hashes.count - 1)
        }
        hashes[slot] = hash
        strings[slot] = string
        count += 1
        bytesHeld += bytes.count
        if count * 2 > hashes.count { grow() }
        return string
    }

    private static func equal(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var string = string
        return string.withUTF8 { utf8 in
            utf8.count == bytes.count
                && (bytes.count == 0
                    || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    private mutating func grow() {
        let oldStrings = strings
        let oldHashes = hashes
        let capacity = hashes.count * 2
        hashes = Array(repeating: 0, count: capacity)
        strings = Array(repeating: nil, count: capacity)
        for (index, string) in oldStrings.enumerated() {
            guard let string else { continue }
            var slot = Int(truncatingIfNeeded: oldHashes[index]) & (capacity - 1)
            while strings[slot] != nil { slot = (slot + 1) & (capacity - 1) }
            hashes[slot] = oldHashes[index]
            strings[slot] = string
        }
    }

    /// FNV-1a over 8-byte words then bytes; fast and good enough for a probe table.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            hash =
                (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            index += 8
        }
        while index < count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3
            index += 1
        }
        return hash ^ (hash >> 32)
    }
}
