#if canImport(Glibc)
    import Glibc
#endif

/// The two buffers a `GzipReader` reads into and inflates into, `chunkSize` bytes each. A
/// worker keeps one pair for every file it reads: a pair per file was half a megabyte
/// allocated and freed per file, which glibc serves with `mmap` and takes back with `munmap`
/// (fresh pages to fault in each time), or, once its adaptive threshold has risen past that
/// size, from a heap that then never shrinks.
package final class ChunkBuffers {
    package let chunkSize: Int
    fileprivate let input: UnsafeMutableRawBufferPointer
    fileprivate let output: UnsafeMutableRawBufferPointer

    package init(chunkSize: Int = 256 * 1024) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.chunkSize = chunkSize
        // At least two bytes, so the first read can see the whole gzip magic.
        input = .allocate(byteCount: max(chunkSize, 2), alignment: 16)
        output = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }
}

/// Streams the decompressed bytes of a file, gzip (every member) or plain, in fixed-size chunks.
///
/// Memory is two buffers of `chunkSize` bytes (its own, or a worker's `ChunkBuffers` used
/// for file after file; one reader at a time) and the inflater's state (zlib's about 45 KB,
/// ISA-L's 87 KB) whatever the file size. The content decides the shape: a file that starts
/// with the gzip magic is inflated (by `engine`), anything else passes through.
package final class GzipReader {
    /// Bytes read from the file per `read(2)` and inflated per call.
    package var chunkSize: Int { buffers.chunkSize }
    /// Inflated bytes after which the file is refused; nil for no cap.
    package let maxInflatedBytes: Int?
    /// Inflated-to-compressed ratio above which a gzip file is refused, checked once it has
    /// inflated `ratioFloor` bytes; nil for no cap. CloudTrail's JSON compresses about 10:1.
    package let maxRatio: Int?
    /// Inflated bytes below which the ratio is not checked (small files compress oddly).
    package static let ratioFloor = 64 << 20

    private let input: ByteSource
    private let buffers: ChunkBuffers
    private var inputBuffer: UnsafeMutableRawBufferPointer { buffers.input }
    private var outputBuffer: UnsafeMutableRawBufferPointer { buffers.output }
    /// Which inflate reads gzip members.
    package let engine: InflateEngine
    private var inputCount = 0
    private var inputOffset = 0
    private var inputExhausted = false

    /// Total bytes handed to the consumer so far.
    package private(set) var inflatedBytes = 0
    /// Total bytes read from the source so far.
    package private(set) var compressedBytes = 0
    /// Whether the source turned out to be gzip.
    package private(set) var isGzip = false

    /// Creates a reader over `input` with buffers of its own.
    package convenience init(
        input: ByteSource, chunkSize: Int = 256 * 1024, maxInflatedBytes: Int? = nil,
        maxRatio: Int? = nil, engine: InflateEngine = .fastest
    ) {
        self.init(
            input: input, buffers: ChunkBuffers(chunkSize: chunkSize),
            maxInflatedBytes: maxInflatedBytes, maxRatio: maxRatio, engine: engine)
    }

    /// Creates a reader over `input` that reads and inflates through `buffers`, which no other
    /// reader may use until this one is done.
    package init(
        input: ByteSource, buffers: ChunkBuffers, maxInflatedBytes: Int? = nil,
        maxRatio: Int? = nil, engine: InflateEngine = .fastest
    ) {
        self.maxRatio = maxRatio
        self.engine = engine
        self.input = input
        self.buffers = buffers
        self.maxInflatedBytes = maxInflatedBytes
    }

    /// Calls `consume` with each chunk of decompressed bytes until the input ends.
    ///
    /// The buffer passed to `consume` is only valid during the call.
    package func forEachChunk(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        try refill()
        guard inputCount > 0 else { return }

        let bytes = UnsafeRawBufferPointer(rebasing: inputBuffer[0..<inputCount])
        isGzip = inputCount >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
        if isGzip {
            try inflateAll(consume)
        } else {
            try passThrough(consume)
        }
    }

    private func refill() throws {
        inputCount = try input.read(into: inputBuffer)
        inputOffset = 0
        compressedBytes += inputCount
        if inputCount == 0 { inputExhausted = true }
    }

    private func deliver(
        _ chunk: UnsafeRawBufferPointer,
        to consume: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        inflatedBytes += chunk.count
        if let cap = maxInflatedBytes, inflatedBytes > cap {
            throw InputError.inflatedSizeLimit(limit: cap)
        }
        if isGzip, let ratio = maxRatio, inflatedBytes > GzipReader.ratioFloor,
            inflatedBytes / max(1, compressedBytes) > ratio
        {
            throw InputError.compressionRatioLimit(ratio: ratio)
        }
        try consume(chunk)
    }

    private func passThrough(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        while inputCount > 0 {
            // The input buffer can be a byte larger than a chunk (see init); keep chunks fixed.
            var start = 0
            while start < inputCount {
                let end = min(inputCount, start + chunkSize)
                try deliver(UnsafeRawBufferPointer(rebasing: inputBuffer[start..<end]), to: consume)
                start = end
            }
            try refill()
        }
    }

    private func inflateAll(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let inflater = engine.makeInflater()
        var memberCount = 0
        while true {
            try inflater.startMember()
            try inflateMember(inflater, consume)
            memberCount += 1

            // Another member may follow (multi-member gzip, e.g. concatenated uploads).
            try skipToNextMember()
            guard inputOffset < inputCount else { return }
            let next = UnsafeRawBufferPointer(rebasing: inputBuffer[inputOffset..<inputCount])
            guard next.count >= 2 || !inputExhausted else {
                throw InputError.trailingGarbage(afterMembers: memberCount)
            }
            if next[0] == 0 {
                // Zero padding after the last member (tape and some upload tools): ignored,
                // as gzip does, as long as nothing but zeros follows.
                try skipZeroPadding(afterMembers: memberCount)
                return
            }
            guard next[0] == 0x1f, next.count < 2 || next[1] == 0x8b else {
                throw InputError.trailingGarbage(afterMembers: memberCount)
            }
        }
    }

    private func skipZeroPadding(afterMembers members: Int) throws {
        while inputCount > 0 {
            let rest = UnsafeRawBufferPointer(rebasing: inputBuffer[inputOffset..<inputCount])
            guard rest.allSatisfy({ $0 == 0 }) else {
                throw InputError.trailingGarbage(afterMembers: members)
            }
            try refill()
        }
    }

    /// Leaves `inputOffset` at the next unread byte, refilling when the buffer is used up.
    private func skipToNextMember() throws {
        if inputOffset >= inputCount, !inputExhausted { try refill() }
    }

    private func inflateMember(
        _ inflater: any MemberInflater, _ consume: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let output = UnsafeMutableRawBufferPointer(rebasing: outputBuffer[0..<chunkSize])
        // With the output full, the inflater may hold output for which it needs no more input
        // (ISA-L buffers input bits ahead), so only a call that left room in the output asks
        // for more.
        var needsInput = inputOffset >= inputCount
        while true {
            if needsInput, inputOffset >= inputCount {
                try refill()
                if inputCount == 0 { throw InputError.truncatedGzip }
            }
            let step = try inflater.inflate(
                UnsafeRawBufferPointer(rebasing: inputBuffer[inputOffset..<inputCount]),
                into: output)
            inputOffset += step.consumed
            if step.produced > 0 {
                let produced = UnsafeRawBufferPointer(rebasing: output[0..<step.produced])
                try deliver(produced, to: consume)
            }
            if step.memberEnded { return }
            needsInput = step.produced < chunkSize
            // Room left in the output and the member goes on: the inflater took every byte.
            guard !needsInput || inputOffset >= inputCount else {
                throw InputError.corruptGzip("the inflater stopped before the end of its input")
            }
        }
    }
}
