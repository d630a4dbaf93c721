import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// A state with damaged pages is refused by the writers (`ingest`, `merge`), which would
/// otherwise write on into it, with what to do; the file is left as it was.
@Suite struct StateDamageTests {
    /// Overwrites the header of the root page of the `actions` table (checkpointed first, so
    /// every page is in the file): `PRAGMA quick_check` reads every b-tree page and sees it, and
    /// a night with nothing new reads no day's rows, so it does not.
    static func damage(_ state: String) throws -> Data {
        let page = try {
            let database = try SQLiteDatabase(path: state, create: false)
            try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            let root = try database.prepare(
                "SELECT rootpage FROM sqlite_master WHERE name = 'actions'")
            #expect(try root.step())
            return root.int(0) - 1
        }()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: state))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        // Page types: interior and leaf pages of tables (5, 13).
        #expect([5, 13].contains(bytes[page * pageSize]))
        for offset in 0..<8 { bytes[page * pageSize + offset] = 0xFF }
        try bytes.write(to: URL(fileURLWithPath: state))
        return bytes
    }

    @Test func writersRefuseADamagedStateAndSayWhatToDo() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let good = root.appendingPathComponent("good.db").path
        try FileManager.default.copyItem(atPath: state, toPath: good)
        let damaged = try Self.damage(state)

        // A night with nothing new writes nothing (and checks nothing): the file stays as is.
        #expect(try StateRun.ingest([fixture.root.path], into: state).filesCommitted == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == damaged)

        // A night with new files checks first, and refuses.
        var grown = fixture
        try grown.write(days: 2..<3)
        let error = try #require(throws: StateError.self) {
            try StateRun.ingest([fixture.root.path], into: state)
        }
        #expect(error.description.hasPrefix("state \(state): damaged: PRAGMA quick_check found "))
        #expect(error.description.contains("Restore the file from a backup"))
        #expect(error.description.contains("'trailaudit ingest --state NEWFILE PATH...'"))
        #expect(error.isCorrupt)
        #expect(
            TrailAuditCommand.run(["ingest", "--quiet", "--state", state, fixture.root.path])
                == .inputFailed)

        // merge: as the output, and as a part (its counts would be carried over).
        let merged = root.appendingPathComponent("merged.db").path
        for (output, parts) in [(state, [good]), (merged, [state])] {
            let refusal = try #require(throws: StateError.self) {
                try StateMerge.run(output: output, parts: parts, wait: false)
            }
            #expect(refusal.description.hasPrefix("state \(state): damaged: "))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == damaged)
        // A refused part leaves no new output behind (an empty state would pass for a merge).
        #expect(!FileManager.default.fileExists(atPath: merged))

        // The same state undamaged takes the next night's files.
        #expect(try StateRun.ingest([fixture.root.path], into: good).filesUnchanged > 0)
    }
}
