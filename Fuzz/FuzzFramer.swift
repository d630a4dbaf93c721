// libFuzzer target: the record framer, and the event scanner over every record it emits.
//
// Input: byte 0 seeds the piece sizes (and, when its top two bits are set, a small record
// limit); the rest is the decompressed stream. The stream is framed twice: in one piece, then
// in pieces of 1 to 67 bytes. Both framings must emit the same records with the same context
// and end with the same error (or none): a mismatch traps. Every record emitted is scanned.

/// What one framing produced: each record with its context, and the error that ended it.
struct Framing: Equatable {
    var records: [[UInt8]] = []
    var contexts: [Bool] = []  // true = .recordsElement
    var error: InputError?
}

func frame(_ stream: UnsafeBufferPointer<UInt8>, pieces seed: UInt8?, maxRecordSize: Int) -> Framing
{
    var framer = RecordFramer(maxRecordSize: maxRecordSize)
    var framing = Framing()
    let emit: (UnsafeRawBufferPointer, RecordContext, Int) throws -> Void = {
        record, context, start in
        check(record.count <= maxRecordSize, "record of \(record.count) bytes over the limit")
        check(record.first == UInt8(ascii: "{"), "record does not start with '{'")
        check(
            start >= 0 && start < stream.count && stream[start] == UInt8(ascii: "{"),
            "record start \(start) is not its '{' in the stream")
        framing.records.append(Array(record))
        if case .recordsElement = context {
            framing.contexts.append(true)
        } else {
            framing.contexts.append(false)
        }
        // Scanning may fail (the framer does not validate); it must not crash.
        _ = try? EventScanner.scan(record)
    }
    do {
        if let seed {
            // xorshift32 seeded from the input: piece sizes vary but replay exactly.
            var state = UInt32(seed) &* 2_654_435_761 | 1
            var start = 0
            while start < stream.count {
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                let size = state & 3 == 0 ? 1 : Int(state >> 8) % 67 + 1
                let end = min(stream.count, start + size)
                // Each piece in its own allocation, so a read past its end is an ASan report.
                let piece = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: end - start, alignment: 1)
                defer { piece.deallocate() }
                piece.copyMemory(
                    from: UnsafeRawBufferPointer(
                        start: stream.baseAddress! + start, count: end - start))
                try framer.consume(UnsafeRawBufferPointer(piece), emit: emit)
                start = end
            }
        } else {
            try framer.consume(UnsafeRawBufferPointer(stream), emit: emit)
        }
        try framer.finish()
    } catch let error as InputError {
        framing.error = error
    } catch {
        fatalError("RecordFramer threw a non-InputError: \(error)")
    }
    return framing
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let seed = data[0]
    let limits = [1 << 20, 1 << 20, 1 << 20, 97]
    let maxRecordSize = limits[Int(seed >> 6)]
    let stream = UnsafeBufferPointer(start: data + 1, count: size - 1)

    let whole = frame(stream, pieces: nil, maxRecordSize: maxRecordSize)
    let pieced = frame(stream, pieces: seed, maxRecordSize: maxRecordSize)
    if whole != pieced {
        let first =
            zip(whole.records, pieced.records).enumerated().first { $0.element.0 != $0.element.1 }?
            .offset
            ?? min(whole.records.count, pieced.records.count)
        fatalError(
            """
            framing in pieces differs from framing whole: whole \(whole.records.count) records, \
            \(String(describing: whole.error)); pieces \(pieced.records.count) records, \
            \(String(describing: pieced.error)); first difference at record \(first)
            """)
    }
    return 0
}
