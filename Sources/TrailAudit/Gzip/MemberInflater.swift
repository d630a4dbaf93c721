import CZlib

#if TRAILAUDIT_ISAL
    import CISAL
#endif

/// Which library inflates gzip: both give the same bytes and refuse the same damage (a bad
/// header, deflate data, CRC-32 or length); ISA-L's takes about half zlib's CPU time.
package enum InflateEngine: String, Sendable, CaseIterable {
    case zlib
    /// Intel's ISA-L (igzip), when this build has it (see `Package.swift`).
    case isal

    /// The engines this build has.
    package static var available: [InflateEngine] {
        #if TRAILAUDIT_ISAL
            [.isal, .zlib]
        #else
            [.zlib]
        #endif
    }

    /// The fastest engine this build has.
    package static var fastest: InflateEngine { available[0] }

    /// A new inflater for one file's members.
    func makeInflater() -> any MemberInflater {
        switch self {
        case .zlib:
            return ZlibInflater()
        case .isal:
            #if TRAILAUDIT_ISAL
                return ISALInflater()
            #else
                preconditionFailure("this build has no ISA-L; use InflateEngine.available")
            #endif
        }
    }
}

/// What one call to an inflater did.
struct InflateStep {
    /// Input bytes taken (some may sit in the inflater until a later call).
    var consumed: Int
    /// Output bytes written.
    var produced: Int
    /// The member ended, its trailer checked: the next input byte is the next member's.
    var memberEnded: Bool
}

/// Inflates gzip members one after another (the reader finds where each begins).
///
/// A call returns when the input is used up, the output is full, or the member ended; with
/// the output full, output may still be pending inside, so the next call may take no input.
protocol MemberInflater: AnyObject {
    /// Prepares for the first byte of a member.
    func startMember() throws
    /// Inflates from `input` into `output`; throws `InputError.corruptGzip` on damage.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws -> InflateStep
}

/// zlib's inflate, gzip wrapper only (a zlib or raw deflate stream here is corrupt input).
final class ZlibInflater: MemberInflater {
    /// zlib keeps pointers into the stream, so it lives at one heap address until `deinit`.
    private let stream: UnsafeMutablePointer<z_stream>
    private var initialized = false

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    func startMember() throws {
        let status =
            initialized ? inflateReset(stream) : trailaudit_inflate_init2(stream, 15 + 16)
        guard status == Z_OK else { throw InputError.corruptGzip("zlib setup failed: \(status)") }
        initialized = true
    }

    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        throws -> InflateStep
    {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let step = InflateStep(
            consumed: input.count - Int(stream.pointee.avail_in),
            produced: output.count - Int(stream.pointee.avail_out),
            memberEnded: status == Z_STREAM_END)
        switch status {
        case Z_OK, Z_STREAM_END:
            return step
        case Z_BUF_ERROR where step.consumed == 0 && step.produced == 0:
            return step  // no input to go on with: the reader refills or finds the file cut
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "unknown error"
            throw InputError.corruptGzip("\(message) (zlib code \(status))")
        }
    }
}

#if TRAILAUDIT_ISAL
    /// ISA-L's inflate of the deflate data, with the trailer's CRC-32 and length checked by it
    /// (`ISAL_GZIP_NO_HDR_VER`). The header is read here: ISA-L 2.30 misreads a header with
    /// FEXTRA, FNAME or FHCRC when it arrives in pieces (a member that starts near the end of
    /// a read, or a small read size), and calls a sound file corrupt.
    final class ISALInflater: MemberInflater {
        /// 87 KB (history and decoding tables): allocated once per file.
        private let state: UnsafeMutablePointer<inflate_state>
        private var header = GzipHeaderReader()

        init() {
            state = .allocate(capacity: 1)
            isal_inflate_init(state)
        }

        deinit { state.deallocate() }

        func startMember() throws {
            isal_inflate_reset(state)
            state.pointee.crc_flag = UInt32(ISAL_GZIP_NO_HDR_VER)
            header = GzipHeaderReader()
        }

        func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
            throws -> InflateStep
        {
            var data = input
            var headerBytes = 0
            if !header.isComplete {
                headerBytes = try header.read(input)
                guard header.isComplete else {
                    return InflateStep(consumed: headerBytes, produced: 0, memberEnded: false)
                }
                data = UnsafeRawBufferPointer(rebasing: input[headerBytes...])
            }
            state.pointee.next_in = UnsafeMutablePointer(
                mutating: data.baseAddress?.assumingMemoryBound(to: UInt8.self))
            state.pointee.avail_in = UInt32(data.count)
            state.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = UInt32(output.count)
            let status = isal_inflate(state)
            guard status == ISAL_DECOMP_OK else {
                throw InputError.corruptGzip("\(Self.meaning(of: status)) (ISA-L code \(status))")
            }
            return InflateStep(
                consumed: headerBytes + data.count - Int(state.pointee.avail_in),
                produced: output.count - Int(state.pointee.avail_out),
                memberEnded: state.pointee.block_state == ISAL_BLOCK_FINISH)
        }

        private static func meaning(of status: Int32) -> String {
            switch status {
            case ISAL_INVALID_BLOCK: return "invalid deflate block"
            case ISAL_INVALID_SYMBOL: return "invalid deflate symbol"
            case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
            case ISAL_INCORRECT_CHECKSUM: return "incorrect CRC-32 or length check"
            default: return "unknown error"
            }
        }
    }
#endif

/// Reads a gzip member header (RFC 1952 2.3) that may arrive in pieces of any size.
struct GzipHeaderReader {
    private enum Part {
        case fixed, extraLength, extra, name, comment, headerCRC, done
    }

    private var part = Part.fixed
    /// Bytes of the current part seen (fixed fields, extra length, header CRC).
    private var seen: [UInt8] = []
    private var flags: UInt8 = 0
    /// FEXTRA bytes still to skip.
    private var extraLeft = 0
    /// CRC-32 of the header bytes before the header CRC (for FHCRC).
    private var crc: uLong = crc32(0, nil, 0)

    var isComplete: Bool { part == .done }

    /// Takes header bytes from the start of `input`; returns how many it took (all of them
    /// unless the header ended inside `input`).
    mutating func read(_ input: UnsafeRawBufferPointer) throws -> Int {
        var index = 0
        while index < input.count, part != .done {
            let byte = input[index]
            index += 1
            if part != .headerCRC {
                crc = withUnsafePointer(to: byte) { crc32(crc, $0, 1) }
            }
            try take(byte)
        }
        return index
    }

    private mutating func take(_ byte: UInt8) throws {
        switch part {
        case .fixed:
            seen.append(byte)
            guard seen.count == 10 else { return }
            guard seen[0] == 0x1F, seen[1] == 0x8B else {
                throw InputError.corruptGzip("incorrect header check")
            }
            guard seen[2] == 8 else { throw InputError.corruptGzip("unknown compression method") }
            flags = seen[3]
            guard flags & 0xE0 == 0 else {
                throw InputError.corruptGzip("unknown header flags set")
            }
            seen = []
            advance(after: .fixed)
        case .extraLength:
            seen.append(byte)
            guard seen.count == 2 else { return }
            extraLeft = Int(seen[0]) | Int(seen[1]) << 8
            seen = []
            if extraLeft == 0 { advance(after: .extra) } else { part = .extra }
        case .extra:
            extraLeft -= 1
            if extraLeft == 0 { advance(after: .extra) }
        case .name:
            if byte == 0 { advance(after: .name) }
        case .comment:
            if byte == 0 { advance(after: .comment) }
        case .headerCRC:
            seen.append(byte)
            guard seen.count == 2 else { return }
            guard Int(seen[0]) | Int(seen[1]) << 8 == Int(crc & 0xFFFF) else {
                throw InputError.corruptGzip("header crc mismatch")
            }
            part = .done
        case .done:
            return
        }
    }

    /// Moves to the first part after `finished` that the flags say is present.
    private mutating func advance(after finished: Part) {
        let order: [(Part, UInt8)] = [
            (.extraLength, 0x04), (.name, 0x08), (.comment, 0x10), (.headerCRC, 0x02),
        ]
        let position: Int
        switch finished {
        case .fixed: position = 0
        case .extraLength, .extra: position = 1
        case .name: position = 2
        case .comment: position = 3
        case .headerCRC, .done: position = 4
        }
        part = order[position...].first { flags & $0.1 != 0 }?.0 ?? .done
    }
}
