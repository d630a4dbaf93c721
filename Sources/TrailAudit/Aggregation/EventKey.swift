/// 128-bit identity of an event for de-duplication: the `eventID` GUID (or a hash of the raw
/// `eventID` text when it is not a GUID), mixed with a hash of the whole record.
///
/// CloudTrail's duplicates are copies of one record (CT-FIND), byte for byte. Two different
/// records that reuse an `eventID` (synthetic and hand-edited data does) stay two events, and
/// which copy of a duplicate is counted cannot change the report, whatever the file order.
///
/// The record hash is fast, not cryptographic: whoever knows its seed and a real record can
/// build another record with the same `eventID` and hash, which would pass for a copy and hide
/// the real one. A run that keeps no keys (`report`, `events`, ...) draws a random seed, never
/// written anywhere; the nightly state's keys must compare across runs and shards, so `ingest`
/// uses seed 0 (README, known limits).
package struct EventKey: Sendable, Hashable {
    package var high: UInt64
    package var low: UInt64

    /// The key of the raw `eventID` bytes.
    package init(eventID bytes: UnsafeRawBufferPointer) {
        if let guid = EventKey.parseGUID(bytes) {
            self = guid
        } else {
            // Two differently seeded 64-bit hashes: as unlikely to collide as two GUIDs.
            high = StringTable.hash(bytes)
            var seeded = StringTable.hash(bytes) ^ 0x9E37_79B9_7F4A_7C15
            for byte in bytes { seeded = (seeded ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            low = seeded
        }
    }

    /// This key with `bytes` (the record, or another field of it) mixed in, hashed with `seed`.
    package func mixing(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> EventKey {
        let hash = EventKey.contentHash(bytes, seed: seed)
        return EventKey(
            high: (high ^ hash) &* 0x9E37_79B9_7F4A_7C15,
            low: (low ^ (hash >> 7 | hash << 57)) &* 0xC2B2_AE3D_27D4_EB4F)
    }

    /// A 64-bit hash of a whole record: four independent lanes of 8 bytes, so it runs at a
    /// fraction of a cycle per byte on records of a kilobyte or two.
    /// With seed 0, the hash the nightly state's keys were made with.
    static func contentHash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (
            0x9E37_79B9_7F4A_7C15 ^ seed, 0xC2B2_AE3D_27D4_EB4F ^ (seed >> 17 | seed << 47),
            0x1656_67B1_9E37_79F9 ^ (seed >> 31 | seed << 33),
            0x27D4_EB2F_1656_67C5 ^ (seed >> 47 | seed << 17)
        )
        let count = bytes.count
        var index = 0
        while index + 32 <= count {
            lanes.0 =
                (lanes.0 ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                &* 0x0000_0100_0000_01b3
            lanes.1 =
                (lanes.1 ^ bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                &* 0x0000_0100_0000_01b3
            lanes.2 =
                (lanes.2 ^ bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
                &* 0x0000_0100_0000_01b3
            lanes.3 =
                (lanes.3 ^ bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))
                &* 0x0000_0100_0000_01b3
            lanes.0 ^= lanes.0 >> 29
            lanes.1 ^= lanes.1 >> 29
            lanes.2 ^= lanes.2 >> 29
            lanes.3 ^= lanes.3 >> 29
            index += 32
        }
        let tail = StringTable.hash(UnsafeRawBufferPointer(rebasing: bytes[index..<count]))
        var hash =
            lanes.0 ^ (lanes.1 >> 1 | lanes.1 << 63) ^ (lanes.2 >> 2 | lanes.2 << 62)
            ^ (lanes.3 >> 3 | lanes.3 << 61) ^ tail ^ UInt64(count)
        hash = (hash ^ (hash >> 31)) &* 0x9E37_79B9_7F4A_7C15
        return hash ^ (hash >> 29)
    }

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case).
    private static func parseGUID(_ bytes: UnsafeRawBufferPointer) -> EventKey? {
        let dash = UInt8(ascii: "-")
        guard bytes.count == 36, bytes[8] == dash, bytes[13] == dash, bytes[18] == dash,
            bytes[23] == dash
        else { return nil }
        // The digits' values, or'ed: a value over 15 marks a byte that is not a hex digit.
        // A table, not a test per byte: which of digit or letter comes next is a coin toss
        // in a GUID, and a branch on it mispredicts a third of the time.
        return EventKey.hexValues.withUnsafeBufferPointer { hexValues in
            var invalid: UInt8 = 0
            func append(_ digits: Range<Int>, to word: inout UInt64) {
                for index in digits {
                    let value = hexValues[Int(bytes[index])]
                    invalid |= value
                    word = word << 4 | UInt64(value & 15)
                }
            }
            var high: UInt64 = 0
            var low: UInt64 = 0
            append(0..<8, to: &high)
            append(9..<13, to: &high)
            append(14..<18, to: &high)
            append(19..<23, to: &low)
            append(24..<36, to: &low)
            return invalid > 15 ? nil : EventKey(high: high, low: low)
        }
    }

    /// Each byte's value as a hex digit (either case); 16 for any other byte.
    private static let hexValues: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x30...0x39: UInt8(byte - 0x30)
        case 0x41...0x46: UInt8(byte - 0x41 + 10)
        case 0x61...0x66: UInt8(byte - 0x61 + 10)
        default: 16
        }
    }
}
