import CJSONScan

#if canImport(Glibc)
    import Glibc
#endif

/// Where a framed record came from, which tells the decoder how to read it.
package enum RecordContext: Sendable {
    /// An element of a `{"Records": [...]}` array: a CloudTrail event.
    case recordsElement
    /// A whole top-level JSON object (JSONL line, single event, bare-array element, or an
    /// envelope: EventBridge, CloudWatch Logs subscription, digest file).
    case topLevelObject
}

/// Splits a stream of JSON bytes into records without parsing them, in bounded memory.
///
/// Understands `{"Records":[...]}` (streamed element by element, whatever the file size),
/// bare arrays, and any number of top-level objects (JSONL or concatenated). It only tracks
/// strings and nesting; the event scanner validates each record's contents.
package struct RecordFramer {
    private enum Mode {
        case betweenValues
        case topObject
        case arrayGap(inRecords: Bool)
        case element(inRecords: Bool)
    }

    /// Largest record, in bytes, that is buffered before the file fails.
    package let maxRecordSize: Int

    private var mode = Mode.betweenValues
    private var depth = 0
    private var inString = false
    private var escapePending = false
    private var buffer: [UInt8] = []
    private var streamOffset = 0
    /// Where in the stream the record being buffered began: decoders' offsets count from it.
    private var recordStart = 0
    private var sawAnyValue = false
    /// In an array: what came last, so `[,{}]`, `[{},]` and `[{}{}]` are refused.
    private var lastArrayToken = ArrayToken.open

    private enum ArrayToken {
        case open, comma, element
    }

    // Depth-1 key tracking inside a buffered top-level object, to find "Records".
    private var expectKey = false
    private var keyStart = -1
    private var lastKeyIsRecords = false
    private var awaitingValueOfRecords = false
    /// Set while reading what follows a `Records` array inside its envelope.
    private var inEnvelopeRemainder = false

    /// Creates a framer that refuses records over `maxRecordSize` bytes.
    package init(maxRecordSize: Int = 16 * 1024 * 1024) {
        self.maxRecordSize = maxRecordSize
        buffer.reserveCapacity(64 * 1024)
    }

    /// Frames the records in `chunk`, calling `emit` for each complete one with where in the
    /// stream (all chunks so far) it begins.
    ///
    /// The bytes passed to `emit` are only valid during the call.
    package mutating func consume(
        _ chunk: UnsafeRawBufferPointer,
        emit: (UnsafeRawBufferPointer, RecordContext, Int) throws -> Void
    ) throws {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = chunk.count
        var index = 0
        while index < end {
            switch mode {
            case .betweenValues:
                index = try skipBetweenValues(base, index, end)
            case .arrayGap(let inRecords):
                index = try skipArrayGap(base, index, end, inRecords: inRecords)
            case .element(let inRecords):
                index = try scanElement(base, index, end, inRecords: inRecords, emit: emit)
            case .topObject:
                index = try scanTopObject(base, index, end, emit: emit)
            }
        }
        streamOffset += end
    }

    /// Checks that the stream ended between records.
    package func finish() throws {
        switch mode {
        case .betweenValues:
            return
        default:
            throw InputError.truncatedJSON
        }
    }

    // MARK: - Between values

    private mutating func skipBetweenValues(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int
    ) throws -> Int {
        var index = start
        while index < end {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                index += 1
            case 0xEF, 0xBB, 0xBF:
                // A UTF-8 byte-order mark is allowed at the very start, nowhere else.
                guard !sawAnyValue && streamOffset + index < 3 else {
                    throw InputError.invalidJSON(
                        offset: streamOffset + index, reason: "unexpected \(describe(byte))")
                }
                index += 1
            case UInt8(ascii: "{"):
                sawAnyValue = true
                beginTopObject()
                recordStart = streamOffset + index
                buffer.append(byte)
                return index + 1
            case UInt8(ascii: "["):
                sawAnyValue = true
                mode = .arrayGap(inRecords: false)
                lastArrayToken = .open
                return index + 1
            default:
                throw InputError.invalidJSON(
                    offset: streamOffset + index,
                    reason: "expected an object or array, found \(describe(byte))")
            }
        }
        return index
    }

    private mutating func skipArrayGap(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, inRecords: Bool
    ) throws -> Int {
        var index = start
        while index < end {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                index += 1
            case UInt8(ascii: ","):
                guard lastArrayToken == .element else {
                    throw InputError.invalidJSON(
                        offset: streamOffset + index, reason: "',' without an element before it")
                }
                lastArrayToken = .comma
                index += 1
            case UInt8(ascii: "{"):
                guard lastArrayToken != .element else {
                    throw InputError.invalidJSON(
                        offset: streamOffset + index, reason: "missing ',' between elements")
                }
                lastArrayToken = .element
                buffer.removeAll(keepingCapacity: true)
                depth = 1
                mode = .element(inRecords: inRecords)
                recordStart = streamOffset + index
                buffer.append(byte)
                return index + 1
            case UInt8(ascii: "]"):
                guard lastArrayToken != .comma else {
                    throw InputError.invalidJSON(
                        offset: streamOffset + index, reason: "',' before ']'")
                }
                if inRecords {
                    // The rest of the envelope: its keys are still watched, so a second
                    // "Records" array is streamed too; the other values are dropped at its end.
                    buffer.removeAll(keepingCapacity: true)
                    mode = .topObject
                    depth = 1
                    expectKey = false
                    keyStart = -1
                    lastKeyIsRecords = false
                    inEnvelopeRemainder = true
                } else {
                    mode = .betweenValues
                }
                return index + 1
            default:
                throw InputError.invalidJSON(
                    offset: streamOffset + index,
                    reason: "expected an event object in the array, found \(describe(byte))")
            }
        }
        return index
    }

    // MARK: - Inside values

    /// Advances through strings and brackets until `depth` reaches 0 or the chunk ends
    /// (`trailaudit_scan_nesting`, in C for its 64-byte blocks: most of a file's bytes pass
    /// through here).
    private mutating func scanNesting(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int
    {
        var state = trailaudit_nesting(
            depth: Int64(depth), in_string: inString, escape_pending: escapePending)
        let stop = trailaudit_scan_nesting(base, start, end, &state)
        depth = Int(state.depth)
        inString = state.in_string
        escapePending = state.escape_pending
        return stop
    }

    /// Whether `from..<end` ends in an unfinished escape (an odd run of backslashes).
    static func endsWithOpenEscape(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Bool
    {
        var backslashes = 0
        while end - backslashes - 1 >= start, base[end - backslashes - 1] == 0x5C {
            backslashes += 1
        }
        return backslashes & 1 == 1
    }

    private mutating func scanElement(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, inRecords: Bool,
        emit: (UnsafeRawBufferPointer, RecordContext, Int) throws -> Void
    ) throws -> Int {
        let stop = scanNesting(base, start, end)
        try append(base, start, stop)
        guard depth == 0 else { return stop }

        try buffer.withUnsafeBytes {
            try emit($0, inRecords ? .recordsElement : .topLevelObject, recordStart)
        }
        buffer.removeAll(keepingCapacity: true)
        mode = .arrayGap(inRecords: inRecords)
        return stop
    }

    private mutating func append(_ base: UnsafePointer<UInt8>, _ start: Int, _ stop: Int) throws {
        guard stop > start else { return }
        guard buffer.count + (stop - start) <= maxRecordSize else {
            throw InputError.recordTooLarge(limit: maxRecordSize)
        }
        buffer.append(contentsOf: UnsafeBufferPointer(start: base + start, count: stop - start))
    }

    /// Whether the `count` bytes at `key` spell `Records`.
    private static func isRecords(_ key: UnsafePointer<UInt8>, count: Int) -> Bool {
        count == 7 && memcmp(key, "Records", 7) == 0
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }
}

extension RecordFramer {
    private mutating func beginTopObject() {
        buffer.removeAll(keepingCapacity: true)
        inEnvelopeRemainder = false
        mode = .topObject
        depth = 1
        expectKey = true
        keyStart = -1
        lastKeyIsRecords = false
        awaitingValueOfRecords = false
    }

    /// Buffers a top-level object byte by byte, watching its depth-1 keys for "Records".
    ///
    /// Slower than `scanElement`, but it runs only over envelope heads and JSONL lines.
    private mutating func scanTopObject(
        _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
        emit: (UnsafeRawBufferPointer, RecordContext, Int) throws -> Void
    ) throws -> Int {
        // Bytes from `flushed` to the cursor are copied in one piece when needed, not one by one.
        var flushed = start
        func flush(to index: Int) throws {
            try append(base, flushed, index)
            flushed = index
        }

        var index = start
        while index < end {
            if inString {
                // Jump to the closing quote (JSON Lines records are mostly strings).
                if escapePending {
                    escapePending = false
                    index += 1
                    continue
                }
                // The scanner's string end (`index` never sits inside an escape here).
                var hasEscapes = false
                let close = trailaudit_string_end(base, index, end, &hasEscapes)
                guard close >= 0 else {
                    escapePending = RecordFramer.endsWithOpenEscape(base, from: index, end: end)
                    try flush(to: end)
                    return end
                }
                inString = false
                if keyStart >= 0 {
                    if keyStart >= buffer.count {
                        // The key is in this chunk, not copied yet: compare it where it is.
                        let from = flushed + (keyStart - buffer.count)
                        lastKeyIsRecords = RecordFramer.isRecords(base + from, count: close - from)
                    } else {
                        // It began in an earlier chunk, so its start was copied already.
                        try flush(to: close)
                        lastKeyIsRecords = buffer.withUnsafeBufferPointer {
                            RecordFramer.isRecords(
                                $0.baseAddress! + keyStart, count: buffer.count - keyStart)
                        }
                    }
                    keyStart = -1
                }
                index = close + 1
                continue
            }
            let byte = base[index]
            index += 1

            if awaitingValueOfRecords {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    continue
                case UInt8(ascii: "["):
                    // The envelope of a trail file: stream its events one by one.
                    awaitingValueOfRecords = false
                    buffer.removeAll(keepingCapacity: true)
                    mode = .arrayGap(inRecords: true)
                    lastArrayToken = .open
                    return index
                default:
                    awaitingValueOfRecords = false
                }
            }

            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                if depth == 1 && expectKey {
                    // Where the key will sit in `buffer`, without copying it there yet.
                    keyStart = buffer.count + (index - flushed)
                    expectKey = false
                }
            case UInt8(ascii: ":") where depth == 1:
                awaitingValueOfRecords = lastKeyIsRecords
                lastKeyIsRecords = false
            case UInt8(ascii: ",") where depth == 1:
                expectKey = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    try flush(to: index)
                    if inEnvelopeRemainder {
                        // Nothing in it is read, but it must still be JSON.
                        inEnvelopeRemainder = false
                        var remainder = Array(#"{"":0"#.utf8) + buffer
                        try remainder.withUnsafeMutableBytes { bytes in
                            var scanner = JSONScanner(UnsafeRawBufferPointer(bytes))
                            try scanner.skipValue()
                            guard scanner.peekByte() == nil else {
                                throw scanner.error("bytes after the Records envelope")
                            }
                        }
                    } else {
                        try buffer.withUnsafeBytes { try emit($0, .topLevelObject, recordStart) }
                    }
                    buffer.removeAll(keepingCapacity: true)
                    mode = .betweenValues
                    return index
                }
            default:
                break
            }
        }
        try flush(to: index)
        return index
    }

}
