import CZlib
import Foundation
import Testing

@testable import TrailAudit

/// gzip-compresses `bytes` as one member.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    precondition(trailaudit_deflate_init2(&stream, 6, 15 + 16) == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    var input = bytes
    let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            stream.next_out = outputBuffer.baseAddress
            stream.avail_out = uInt(outputBuffer.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outputBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output[..<produced])
}

func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }

/// Everything a reader yields, joined.
func inflateAll(
    _ bytes: [UInt8], chunkSize: Int = 256 * 1024, maxInflated: Int? = nil,
    engine: InflateEngine = .fastest
) throws -> [UInt8] {
    let reader = GzipReader(
        input: MemorySource(bytes), chunkSize: chunkSize,
        maxInflatedBytes: maxInflated, engine: engine)
    var output: [UInt8] = []
    try reader.forEachChunk { output.append(contentsOf: $0) }
    return output
}

/// The records a framer finds when fed `text` in pieces of `pieceSize` bytes.
func frame(_ text: String, pieceSize: Int = .max, maxRecord: Int = 1 << 20) throws
    -> [(String, RecordContext)]
{
    var framer = RecordFramer(maxRecordSize: maxRecord)
    var records: [(String, RecordContext)] = []
    let bytes = Array(text.utf8)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + pieceSize)
        try bytes[start..<end].withUnsafeBytes { piece in
            try framer.consume(piece) { record, context, _ in
                records.append((String(decoding: record, as: UTF8.self), context))
            }
        }
        start = end
    }
    try framer.finish()
    return records
}

/// The repository's root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared` beside the repository (read-only reference data; also present in CI).
let sharedRoot = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("trailaudit-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs the report over `paths` and returns the report.
func runReport(
    _ paths: [String], jobs: Int = 2, window: TimeWindow = TimeWindow(),
    engine: InflateEngine = .fastest, keyListLimit: Int? = EventClaims.defaultKeyListLimit
) -> Report {
    var options = RunOptions()
    options.jobs = jobs
    options.inflateEngine = engine
    options.window = window
    if keyListLimit != EventClaims.defaultKeyListLimit {
        options.claims = EventClaims(
            horizonDays: options.dedupeHorizonDays, keyListLimit: keyListLimit)
    }
    let tree = ExportTree(paths: paths, window: window)
    defer { tree.removeSpools() }
    return Report(AuditRun.run(tree, options: options), window: window)
}

extension Report {
    func principal(_ id: String) -> PrincipalEntry? {
        principals.first { $0.principal.id == id }
    }
}

extension Report.PrincipalEntry {
    func action(_ name: String) -> Report.ActionEntry? {
        actions.first { $0.action == name }
    }
}

/// A reproducible stream of numbers for generated test inputs (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Distinct event keys spread over the claim table, as GUIDs are.
func spreadKey(_ index: Int) -> EventKey {
    EventKey(
        high: UInt64(index) &* 0x9E37_79B9_7F4A_7C15,
        low: (UInt64(index) &+ 1) &* 0xC2B2_AE3D_27D4_EB4F)
}
