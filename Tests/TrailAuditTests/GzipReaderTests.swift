import CZlib
import Foundation
import Testing

@testable import TrailAudit

/// Every engine this build has (zlib, and ISA-L when built in) is held to the same answers.
@Suite struct GzipReaderTests {
    static let text = String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 4000)
    static let engines = InflateEngine.available

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

    /// A worker reads file after file through one pair of buffers: nothing of a longer file
    /// read before shows through in a shorter one, gzip or plain, whatever the order.
    @Test(arguments: engines)
    func buffersUsedForFileAfterFileCarryNothingOver(engine: InflateEngine) throws {
        let buffers = ChunkBuffers(chunkSize: 4096)
        let long = Array(Self.text.utf8)
        let files: [(input: [UInt8], expected: [UInt8])] = [
            (gzip(Self.text), long), (gzip("{\"a\":1}"), Array("{\"a\":1}".utf8)),
            (long, long), (Array("{}".utf8), Array("{}".utf8)),
            (gzip(Self.text), long), ([], []),
        ]
        for (input, expected) in files {
            let reader = GzipReader(input: MemorySource(input), buffers: buffers, engine: engine)
            var output: [UInt8] = []
            try reader.forEachChunk { output.append(contentsOf: $0) }
            #expect(output == expected)
            #expect(reader.chunkSize == 4096)
        }
    }

    @Test func oneByteThatStartsGzipMagicIsPlain() throws {
        // A lone 0x1f cannot be gzip (the magic is two bytes), so it passes through.
        #expect(try inflateAll([0x1F]) == [0x1F])
    }

    @Test(arguments: engines, [1, 2, 7, 4095, 4096, 4097, 65_536])
    func inflatesAcrossChunkBoundaries(engine: InflateEngine, chunkSize: Int) throws {
        let compressed = gzip(Self.text)
        #expect(
            try inflateAll(compressed, chunkSize: chunkSize, engine: engine)
                == Array(Self.text.utf8))
    }

    @Test(arguments: engines, [1, 3, 10])
    func readsEveryMemberOfAMultiMemberFile(engine: InflateEngine, members: Int) throws {
        var bytes: [UInt8] = []
        var expected: [UInt8] = []
        for index in 0..<members {
            let part = "{\"member\":\(index)}\n"
            bytes += gzip(part)
            expected += Array(part.utf8)
        }
        #expect(try inflateAll(bytes, chunkSize: 5, engine: engine) == expected)
        #expect(try inflateAll(bytes, engine: engine) == expected)
    }

    @Test(arguments: engines)
    func memberBoundaryOnAChunkBoundary(engine: InflateEngine) throws {
        let first = gzip("{\"a\":1}")
        let second = gzip("{\"b\":2}")
        let output = try inflateAll(first + second, chunkSize: first.count, engine: engine)
        #expect(String(decoding: output, as: UTF8.self) == "{\"a\":1}{\"b\":2}")
    }

    /// Members whose output fills the buffer exactly: output may wait inside the inflater
    /// after it has taken the member's last input byte.
    @Test(arguments: engines, [4096, 26, 1 << 16])
    func membersThatEndWhereTheOutputBufferFills(engine: InflateEngine, chunkSize: Int) throws {
        let part = String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 4096 * 4 / 26 + 1)
        let text = String(part.prefix(chunkSize * 2))
        let bytes = gzip(text) + gzip(text)
        #expect(
            try inflateAll(bytes, chunkSize: chunkSize, engine: engine)
                == Array((text + text).utf8))
    }

    @Test(arguments: engines, [1, 10, 20])
    func truncatedFileFails(engine: InflateEngine, cut: Int) throws {
        let compressed = gzip(Self.text)
        let truncated = Array(compressed.dropLast(cut))
        #expect(throws: InputError.truncatedGzip) { try inflateAll(truncated, engine: engine) }
    }

    @Test(arguments: engines)
    func garbageAfterTheLastMemberFails(engine: InflateEngine) throws {
        let bytes = gzip("{}") + Array("trailing".utf8)
        #expect(throws: InputError.trailingGarbage(afterMembers: 1)) {
            try inflateAll(bytes, engine: engine)
        }
    }

    @Test(arguments: engines)
    func zeroPaddingAfterTheLastMemberIsIgnored(engine: InflateEngine) throws {
        let bytes = gzip("{}") + [UInt8](repeating: 0, count: 1000)
        #expect(try inflateAll(bytes, chunkSize: 300, engine: engine) == Array("{}".utf8))
    }

    /// The trailer holds the CRC-32 (bytes -8..<-4) and the length (-4..<0) of the member.
    @Test(arguments: engines, [6, 2])
    func corruptTrailerFails(engine: InflateEngine, fromEnd: Int) throws {
        var bytes = gzip(Self.text)
        bytes[bytes.count - fromEnd] ^= 0xFF
        #expect(throws: InputError.self) { try inflateAll(bytes, engine: engine) }
        #expect {
            try inflateAll(bytes, engine: engine)
        } throws: { error in
            guard case InputError.corruptGzip(let detail)? = error as? InputError else {
                return false
            }
            return detail.contains("check")
        }
    }

    @Test(arguments: engines)
    func corruptDeflateDataFails(engine: InflateEngine) throws {
        var bytes = gzip(Self.text)
        for index in 20..<40 { bytes[index] = 0xFF }
        #expect {
            try inflateAll(bytes, engine: engine)
        } throws: { error in
            guard case InputError.corruptGzip? = error as? InputError else { return false }
            return true
        }
    }

    /// A header with every optional field (RFC 1952 2.3.1: FEXTRA, FNAME, FCOMMENT, FHCRC)
    /// is read in pieces of any size, also as a second member that starts inside a read
    /// (ISA-L 2.30's own header parsing failed at pieces under 48 bytes); a wrong header
    /// CRC-16 is refused.
    @Test(arguments: engines, [1, 7, 13, 47, 1 << 16])
    func optionalHeaderFieldsAreRead(engine: InflateEngine, chunkSize: Int) throws {
        let plain = gzip(Self.text)
        var header: [UInt8] = [0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02] + plain[4..<10]
        header += [3, 0, 0x41, 0x42, 0x43]  // FEXTRA: length 3, then the bytes
        header += Array("CloudTrail_name.json".utf8) + [0]
        header += Array("a comment".utf8) + [0]
        let crc = header.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        let full = header + [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF)] + plain[10...]
        let text = Array(Self.text.utf8)
        #expect(try inflateAll(full, chunkSize: chunkSize, engine: engine) == text)
        let second = gzip("{}") + full
        #expect(try inflateAll(second, chunkSize: chunkSize, engine: engine) == [123, 125] + text)

        var wrong = full
        wrong[header.count] ^= 0xFF
        #expect(throws: InputError.self) { try inflateAll(wrong, engine: engine) }
    }

    @Test(arguments: engines)
    func inflatedSizeCapStopsABomb(engine: InflateEngine) throws {
        let bomb = gzip([UInt8](repeating: 0x20, count: 1 << 20))
        #expect(bomb.count < 10_000)
        #expect(throws: InputError.inflatedSizeLimit(limit: 1000)) {
            try inflateAll(bomb, maxInflated: 1000, engine: engine)
        }
    }

    /// The engines give the same bytes for every gzip file of the sample logs and the cases.
    @Test func enginesAgreeOnRealFiles() throws {
        let roots = [
            repositoryRoot.appendingPathComponent("SampleLogs"),
            sharedRoot.appendingPathComponent("cases"),
        ]
        var files = 0
        for root in roots {
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                guard url.pathExtension == "gz" else { continue }
                let bytes = try [UInt8](Data(contentsOf: url))
                let outputs = try Self.engines.map { try inflateAll(bytes, engine: $0) }
                #expect(outputs.allSatisfy { $0 == outputs[0] }, "\(url.path)")
                #expect(outputs[0].first == UInt8(ascii: "{"), "\(url.path)")
                files += 1
            }
        }
        #expect(files >= 10)
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
