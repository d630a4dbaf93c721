/// A 64-bit checksum of a file's bytes as stored, fed in pieces of any size: the same bytes
/// give the same value however they were read. It recognises a file that was already ingested
/// under another path (a re-sync); it is not a defence against someone forging files, who could
/// as well delete them.
package struct ContentChecksum: Sendable {
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
        0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9,
        0x27D4_EB2F_1656_67C5
    )
    /// Bytes left over from the last piece, fewer than one 32-byte block.
    private var pending: [UInt8] = []
    private var count = 0

    package init() {}

    /// Adds the next piece.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        count += bytes.count
        var index = 0
        if !pending.isEmpty {
            let taken = min(32 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            index = taken
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { absorb($0, at: 0) }
            pending.removeAll(keepingCapacity: true)
        }
        while index + 32 <= bytes.count {
            absorb(bytes, at: index)
            index += 32
        }
        if index < bytes.count { pending.append(contentsOf: bytes[index...]) }
    }

    /// The checksum of everything added.
    package var value: UInt64 {
        var tail: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in pending { tail = (tail ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var hash =
            lanes.0 ^ rotate(lanes.1, 17) ^ rotate(lanes.2, 31) ^ rotate(lanes.3, 47) ^ tail
            ^ UInt64(count)
        hash = (hash ^ (hash >> 31)) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    @inline(__always)
    private mutating func absorb(_ bytes: UnsafeRawBufferPointer, at index: Int) {
        lanes.0 = mix(lanes.0, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        lanes.1 = mix(lanes.1, bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
        lanes.2 = mix(lanes.2, bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
        lanes.3 = mix(lanes.3, bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))
    }

    @inline(__always)
    private func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let product = (lane ^ word) &* 0x9FB2_1C65_1E98_DF25
        return rotate(product, 27) &+ word
    }

    @inline(__always)
    private func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
        value << bits | value >> (64 - bits)
    }
}

/// A byte source that checksums what it passes on.
final class ChecksummingSource: ByteSource {
    private let inner: ByteSource
    private(set) var checksum = ContentChecksum()

    init(_ inner: ByteSource) {
        self.inner = inner
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        checksum.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        return count
    }
}
