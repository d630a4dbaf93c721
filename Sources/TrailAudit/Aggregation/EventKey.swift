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
        guard bytes.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if nibbles < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            nibbles += 1
        }
        return EventKey(high: high, low: low)
    }
}
