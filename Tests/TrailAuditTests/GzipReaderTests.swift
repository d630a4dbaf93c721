import Testing

@testable import TrailAudit

@Suite struct GzipReaderTests {
    static let text = String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 4000)

    @Test func emptyInputYieldsNothing() throws {
        #expect(try inflateAll([]) == [])
    }

    @Test func oneByteOfPlainTextPassesThrough() throws {
        #expect(try inflateAll([0x7B]) == [0x7B])
    }

    @Test(arguments: [1, 2, 3])
    func plainInputComesInChunksNoLargerThanTheChunkSize(chunkSize: Int) throws {
        let reader = GzipReader(
            input: MemorySource(Array("{\"a\":[1,2,3]}".utf8)), chunkSize: chunkSize)
        var sizes: [Int] = []
        try reader.forEachChunk { sizes.append($0.count) }
        #expect(sizes.allSatisfy { $0 <= chunkSize })
        #expect(sizes.reduce(0, +) == 13)
    }

    @Test func oneByteThatStartsGzipMagicIsPlain() throws {
        // A lone 0x1f cannot be gzip (the magic is two bytes), so it passes through.
        #expect(try inflateAll([0x1F]) == [0x1F])
    }

    @Test(arguments: [1, 2, 7, 4095, 4096, 4097, 65_536])
    func inflatesAcrossChunkBoundaries(chunkSize: Int) throws {
        let compressed = gzip(Self.text)
        #expect(try inflateAll(compressed, chunkSize: chunkSize) == Array(Self.text.utf8))
    }

    @Test(arguments: [1, 3, 10])
    func readsEveryMemberOfAMultiMemberFile(members: Int) throws {
        var bytes: [UInt8] = []
        var expected: [UInt8] = []
        for index in 0..<members {
            let part = "{\"member\":\(index)}\n"
            bytes += gzip(part)
            expected += Array(part.utf8)
        }
        #expect(try inflateAll(bytes, chunkSize: 5) == expected)
        #expect(try inflateAll(bytes) == expected)
    }

    @Test func memberBoundaryOnAChunkBoundary() throws {
        let first = gzip("{\"a\":1}")
        let second = gzip("{\"b\":2}")
        let output = try inflateAll(first + second, chunkSize: first.count)
        #expect(String(decoding: output, as: UTF8.self) == "{\"a\":1}{\"b\":2}")
    }

    @Test(arguments: [1, 10, 20])
    func truncatedFileFails(cut: Int) throws {
        let compressed = gzip(Self.text)
        let truncated = Array(compressed.dropLast(cut))
        #expect(throws: InputError.truncatedGzip) { try inflateAll(truncated) }
    }

    @Test func garbageAfterTheLastMemberFails() throws {
        let bytes = gzip("{}") + Array("trailing".utf8)
        #expect(throws: InputError.trailingGarbage(afterMembers: 1)) { try inflateAll(bytes) }
    }

    @Test func corruptCRCFails() throws {
        var bytes = gzip(Self.text)
        bytes[bytes.count - 6] ^= 0xFF  // inside the CRC-32 trailer
        #expect {
            try inflateAll(bytes)
        } throws: { error in
            guard case InputError.zlib(let code, _)? = error as? InputError else { return false }
            return code == -3  // Z_DATA_ERROR
        }
    }

    @Test func inflatedSizeCapStopsABomb() throws {
        let bomb = gzip([UInt8](repeating: 0x20, count: 1 << 20))
        #expect(bomb.count < 10_000)
        #expect(throws: InputError.inflatedSizeLimit(limit: 1000)) {
            try inflateAll(bomb, maxInflated: 1000)
        }
    }
}

extension GzipReaderTests {
    /// 96 MiB of spaces compress about 1000:1; refused by the ratio cap, read without it.
    @Test func compressionRatioCapStopsABombPastTheFloor() throws {
        let bomb = gzip([UInt8](repeating: 0x20, count: 96 << 20))
        #expect(bomb.count * 500 < 96 << 20)
        let capped = GzipReader(input: MemorySource(bomb), maxRatio: 200)
        #expect(throws: InputError.compressionRatioLimit(ratio: 200)) {
            try capped.forEachChunk { _ in }
        }
        let uncapped = GzipReader(input: MemorySource(bomb), maxRatio: nil)
        var total = 0
        try uncapped.forEachChunk { total += $0.count }
        #expect(total == 96 << 20)
    }
}
