// The benchmark's floor: inflate every file under the given paths on one core, touching the
// output not at all. `trailaudit report` is measured against this in the same run. With
// `--isal` first, ISA-L's inflate does it (where the build has ISA-L): the faster floor.
import CZlib

#if TRAILAUDIT_ISAL
    import CISAL
#endif

#if canImport(Glibc)
    import Glibc
#endif

func files(under path: String, into list: inout [String]) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFREG {
        list.append(path)
        return
    }
    guard status.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) else { return }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) {
            String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
        }
        if !name.hasPrefix(".") { names.append(name) }
    }
    closedir(directory)
    for name in names.sorted() { files(under: path + "/" + name, into: &list) }
}

/// Reads the file at `path` into `input` piece by piece, handing each piece's length to
/// `inflate`, until the file ends or `inflate` returns false (corrupt data).
func forEachPiece(
    of path: String, into input: UnsafeMutableRawBufferPointer, _ inflate: (Int) -> Bool
) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    while true {
        let count = read(descriptor, input.baseAddress, input.count)
        if count <= 0 || !inflate(count) { return }
    }
}

/// Inflates one file (every gzip member) and returns the inflated byte count.
func inflateFile(
    _ path: String, input: UnsafeMutableRawBufferPointer,
    output: UnsafeMutableRawBufferPointer
) -> Int {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        inflateEnd(stream)
        stream.deallocate()
    }
    guard trailaudit_inflate_init2(stream, 15 + 32) == Z_OK else { return 0 }

    var total = 0
    forEachPiece(of: path, into: input) { count in
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(count)
        while stream.pointee.avail_in > 0 {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let status = inflate(stream, Z_NO_FLUSH)
            total += output.count - Int(stream.pointee.avail_out)
            if status == Z_STREAM_END {
                if stream.pointee.avail_in == 0 { break }
                inflateReset(stream)
            } else if status != Z_OK && status != Z_BUF_ERROR {
                return false
            }
        }
        return true
    }
    return total
}

#if TRAILAUDIT_ISAL
    /// Inflates one file with ISA-L (headers with optional fields only whole, as CloudTrail's
    /// are: its own header parsing fails on pieces, see MemberInflater.swift).
    func inflateFileISAL(
        _ path: String, input: UnsafeMutableRawBufferPointer,
        output: UnsafeMutableRawBufferPointer
    ) -> Int {
        let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
        defer { state.deallocate() }
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        var total = 0
        forEachPiece(of: path, into: input) { count in
            state.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_in = UInt32(count)
            while true {
                state.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
                state.pointee.avail_out = UInt32(output.count)
                guard isal_inflate(state) == ISAL_DECOMP_OK else { return false }
                total += output.count - Int(state.pointee.avail_out)
                if state.pointee.block_state == ISAL_BLOCK_FINISH {
                    guard state.pointee.avail_in > 0 else { return true }
                    isal_inflate_reset(state)
                    state.pointee.crc_flag = UInt32(ISAL_GZIP)
                } else if state.pointee.avail_out > 0 {
                    return true  // needs more input
                }
            }
        }
        return total
    }
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
let useISAL = arguments.first == "--isal"
if useISAL {
    arguments.removeFirst()
    #if !TRAILAUDIT_ISAL
        print("inflate-baseline: this build has no ISA-L (libisal-dev not installed)")
        exit(2)
    #endif
}
var paths: [String] = []
for argument in arguments { files(under: argument, into: &paths) }
let chunk = 256 * 1024
let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
let output = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
var inflated = 0
for path in paths {
    #if TRAILAUDIT_ISAL
        if useISAL {
            inflated += inflateFileISAL(path, input: input, output: output)
            continue
        }
    #endif
    inflated += inflateFile(path, input: input, output: output)
}
print("files=\(paths.count) inflated_bytes=\(inflated)")
