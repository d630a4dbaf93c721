import Foundation
import Testing

@testable import TrailAudit

/// One row of `Tests/Fixtures/hostile/EXPECTED.md`: a hostile file and what reading it gives.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var file: String
    var outcome: String

    var testDescription: String { file }

    static let folder = repositoryRoot.appendingPathComponent("Tests/Fixtures/hostile")

    /// The rows of EXPECTED.md's table, in file order.
    static let all: [HostileCase] = {
        let url = folder.appendingPathComponent("EXPECTED.md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> HostileCase? in
            guard line.hasPrefix("| `") else { return nil }
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{0}")
                .split(separator: "|", omittingEmptySubsequences: false)
                .map {
                    $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(
                        of: "\u{0}", with: "|")
                }
            guard cells.count >= 4 else { return nil }
            return HostileCase(
                file: cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                outcome: cells[2])
        }
    }()
}

@Suite struct HostileCorpusTests {
    /// What the report says about one file, in EXPECTED.md's grammar; how corrupt gzip data
    /// is worded is the inflate library's ("…"; GzipReaderTests checks the words).
    static func outcome(of report: Report) -> String {
        if let failed = report.input.failed.first {
            let corrupt = InputError.corruptGzip("").description
            return "failed: " + (failed.reason.hasPrefix(corrupt) ? corrupt + "…" : failed.reason)
        }
        if let skipped = report.input.skipped.first { return "skipped: \(skipped.reason)" }
        var text = "read \(report.input.events)"
        if report.input.duplicateEvents > 0 {
            text += ", duplicates \(report.input.duplicateEvents)"
        }
        if report.input.nonCallRecords > 0 { text += ", non-call \(report.input.nonCallRecords)" }
        if report.input.unrecognizedRecords > 0 {
            text += ", unrecognized \(report.input.unrecognizedRecords)"
        }
        return text
    }

    @Test func everyFileIsListedAndSmall() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: HostileCase.folder.path)
            .filter { $0 != "make.py" && $0 != "EXPECTED.md" }.sorted()
        #expect(names == HostileCase.all.map(\.file).sorted())
        #expect(names.count >= 80)
        for name in names {
            let size =
                try FileManager.default.attributesOfItem(
                    atPath: HostileCase.folder.appendingPathComponent(name).path)[.size] as? Int
                ?? 0
            #expect(size < 20 * 1024, "\(name) is \(size) bytes")
        }
    }

    @Test(arguments: HostileCase.all)
    func eachFileHasItsExpectedOutcome(_ hostile: HostileCase) throws {
        let path = HostileCase.folder.appendingPathComponent(hostile.file).path
        let report = runReport([path])
        #expect(Self.outcome(of: report) == hostile.outcome)
        #expect(report.input.failed.count + report.input.skipped.count <= 1)
        if !report.input.failed.isEmpty || !report.input.skipped.isEmpty {
            #expect(report.input.events == 0)
        }
        // Whatever the bytes, the JSON report parses.
        let json = report.json()
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
    }

    /// zlib and ISA-L (when built in) accept and refuse the same hostile gzip files.
    @Test(arguments: HostileCase.all.filter { $0.file.hasSuffix(".gz") })
    func everyInflateEngineGivesTheSameOutcome(_ hostile: HostileCase) throws {
        let path = HostileCase.folder.appendingPathComponent(hostile.file).path
        for engine in InflateEngine.available {
            #expect(
                Self.outcome(of: runReport([path], engine: engine)) == hostile.outcome,
                "\(engine)")
        }
    }
}
