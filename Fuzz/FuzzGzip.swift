// libFuzzer target: the gzip reader over hostile bytes.
//
// Input: byte 0 picks the chunk size and the rest is the file. Any thrown `InputError` is a
// normal outcome; a crash, trap, hang or sanitizer report is a bug. As an oracle, the same
// bytes are read again with a 4096-byte chunk: both reads must succeed or fail alike and, when
// they succeed, yield the same bytes (chunking must not change what a file holds).

let chunkSizes = [1, 2, 3, 7, 64, 4096, 65_536, 4097]

/// The outcome of one read: the bytes it yielded, and the error that stopped it.
struct GzipOutcome: Equatable {
    var bytes: [UInt8] = []
    var error: InputError?
}

func readAll(_ file: [UInt8], chunkSize: Int) -> GzipOutcome {
    var outcome = GzipOutcome()
    let reader = GzipReader(
        input: MemorySource(file), chunkSize: chunkSize,
        maxInflatedBytes: 1 << 24)
    do {
        try reader.forEachChunk { chunk in
            // The input buffer is at least 2 bytes (for the magic), so a pass-through read with
            // chunkSize 1 yields 2-byte chunks: known, see Fuzz/README.md (finding F3).
            check(
                chunk.count > 0 && chunk.count <= max(chunkSize, 2),
                "chunk of \(chunk.count) bytes from a \(chunkSize)-byte reader")
            outcome.bytes.append(contentsOf: chunk)
        }
    } catch let error as InputError {
        outcome.error = error
    } catch {
        fatalError("GzipReader threw a non-InputError: \(error)")
    }
    check(
        reader.inflatedBytes == outcome.bytes.count || outcome.error != nil,
        "inflatedBytes \(reader.inflatedBytes) != delivered \(outcome.bytes.count)")
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let chunkSize = chunkSizes[Int(data[0]) % chunkSizes.count]
    let file = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    let small = readAll(file, chunkSize: chunkSize)
    guard chunkSize != 4096 else { return 0 }
    let reference = readAll(file, chunkSize: 4096)
    if (small.error == nil) != (reference.error == nil)
        || (small.error == nil && small.bytes != reference.bytes)
    {
        fatalError(
            """
            chunk size changes the outcome: chunk \(chunkSize) -> \(small.bytes.count) bytes, \
            \(String(describing: small.error)); chunk 4096 -> \(reference.bytes.count) bytes, \
            \(String(describing: reference.error))
            """)
    }
    return 0
}
