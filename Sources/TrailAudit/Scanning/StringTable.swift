#if canImport(Glibc)
    import Glibc
#endif

/// Interns strings by their bytes, so a value seen a million times is decoded once.
///
/// One table per worker: not thread-safe. Open addressing on a 64-bit hash of the raw bytes,
/// seeded at random per process: the values are the log's (user agents of a public bucket's
/// data events are whoever sent the request), and strings made to share a slot under a known
/// hash would pile up in one run of slots, each new one walking them all.
package struct StringTable {
    /// Hash of the string in each slot with the top bit set; 0 for an empty slot.
    private var hashes: [UInt64]
    private var strings: [String]
    private let seed: UInt64
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

    /// The seed of every table of this process.
    private static let processSeed = UInt64.random(in: .min ... .max)

    /// Marks a slot's hash as taken (slots are picked by the low bits).
    private static let occupied: UInt64 = 1 << 63

    /// Creates an empty table; `seed` only for tests (the process's random seed otherwise).
    package init(seed: UInt64? = nil) {
        hashes = Array(repeating: 0, count: 1024)
        strings = Array(repeating: "", count: 1024)
        self.seed = seed ?? StringTable.processSeed
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
        let hash = StringTable.hash(bytes, seed: seed) | StringTable.occupied
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 {
            if hashes[slot] == hash {
                let existing = strings[slot]
                if StringTable.equal(existing, bytes) { return existing }
            }
            slot = (slot + 1) & mask
        }

        let string = String(decoding: bytes, as: UTF8.self)
        // Bytes that are not UTF-8 come back repaired (U+FFFD) and would never match their own
        // entry again: one new entry per event, each lookup walking them all. Not interned.
        guard string.utf8.count == bytes.count, StringTable.equal(string, bytes) else {
            return string
        }
        if count == StringTable.maxCount || bytesHeld + bytes.count > StringTable.maxBytes {
            self = StringTable(seed: seed)
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
        // The table's strings are native, so contiguous: no copy of `string` to get at them.
        string.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.count == bytes.count
                && (bytes.count == 0
                    || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        } ?? string.utf8.elementsEqual(bytes)
    }

    private mutating func grow() {
        let oldStrings = strings
        let oldHashes = hashes
        let capacity = hashes.count * 2
        hashes = Array(repeating: 0, count: capacity)
        strings = Array(repeating: "", count: capacity)
        for (index, hash) in oldHashes.enumerated() where hash != 0 {
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while hashes[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            hashes[slot] = hash
            strings[slot] = oldStrings[index]
        }
    }

    /// Slots a lookup of `bytes` visits before it finds them or an empty slot (for tests of
    /// how the table holds up against crafted strings).
    func probes(_ bytes: UnsafeRawBufferPointer) -> Int {
        let hash = StringTable.hash(bytes, seed: seed) | StringTable.occupied
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        var visited = 1
        while hashes[slot] != 0, hashes[slot] != hash || !StringTable.equal(strings[slot], bytes) {
            slot = (slot + 1) & mask
            visited += 1
        }
        return visited
    }

    /// FNV-1a over 8-byte words then bytes; fast and good enough for a probe table. With
    /// `seed` 0 the same in every process (`EventKey` keeps such hashes across runs).
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
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
