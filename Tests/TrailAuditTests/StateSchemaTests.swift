import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// Schema versions: a version 1 state is migrated, a newer one refused with what to do.
@Suite struct StateSchemaTests {
    /// Version 1 as it was: `files` had no `mtime` and no `copy_of`.
    static let version1Files = """
        DROP TABLE files;
        CREATE TABLE files(
            path TEXT PRIMARY KEY, size INTEGER NOT NULL, checksum INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL, events INTEGER NOT NULL, duplicates INTEGER NOT NULL,
            non_call_records INTEGER NOT NULL, unrecognized_records INTEGER NOT NULL);
        CREATE INDEX files_by_checksum ON files(checksum, size);
        PRAGMA user_version = 1;
        """

    @Test func version1IsMigratedAndItsFilesAreNotCountedAgain() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ExportTree(paths: [fixture.root.path]).files
        let ingested = files[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ingested.name))
        var checksum = ContentChecksum()
        bytes.withUnsafeBytes { checksum.update($0) }

        // A version 1 state that holds the first file (its counts are not needed here).
        do {
            let database = try SQLiteDatabase(path: state, create: true)
            try database.execute(StateSchema.version2)
            try database.execute(
                "INSERT INTO meta VALUES ('application', '\(StateSchema.application)')")
            try database.execute(Self.version1Files)
            try database.prepare("INSERT INTO files VALUES (?, ?, ?, 0, 1, 0, 0, 0)")
                .bind(
                    .text(ingested.name), .int(bytes.count),
                    .integer(Int64(bitPattern: checksum.value))
                ).run()
        }

        let store = try StateStore(path: state, create: false)
        #expect(try store.schemaVersion() == StateSchema.current)
        let migrated = try #require(try store.ingestedFiles()[ingested.name])
        #expect(migrated.modified == -1)
        #expect(migrated.checksum == checksum.value)

        // Read once more (its time is unknown), recognised by its bytes, not counted.
        let summary = try StateRun.ingest([fixture.root.path], into: state)
        #expect(summary.input.skipped.map(\.path) == [ingested.name])
        let others = files.dropFirst().map(\.name)
        let expected = runReport(Array(others))
        #expect(try store.aggregate(window: TimeWindow()).events.total == expected.input.events)

        let again = try StateRun.ingest([fixture.root.path], into: state)
        #expect(again.filesUnchanged == files.count)
    }

    /// Rewrites a current state's days as version 7 wrote them: no counting rules.
    static let version7Days = """
        ALTER TABLE days DROP COLUMN rules;
        """

    /// Rewrites a current state's actions as version 6 wrote them: no implied calls (and its
    /// days as version 7 did).
    static let version6Actions = """
        \(version7Days)
        ALTER TABLE actions DROP COLUMN implied_calls;
        """

    /// Rewrites a current state's files as version 5 wrote them: no event days (and its
    /// actions as version 6 did).
    static let version5Files = """
        \(version6Actions)
        ALTER TABLE files DROP COLUMN event_days;
        """

    /// A version 5 state is migrated in place and reads as it did; its files have no event
    /// days (NULL), which a new ingest writes for its own.
    @Test func version5IsMigratedAndNewFilesGetTheirDays() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)
        try SQLiteDatabase(path: state, create: false).execute(
            Self.version5Files + "PRAGMA user_version = 5;")
        #expect(try StateRun.stateJSON(state) == before)
        let store = try StateStore(path: state, create: false)
        #expect(try store.schemaVersion() == StateSchema.current)
        func days(_ sql: String) throws -> Int {
            let statement = try store.database.prepare(sql)
            return try statement.step() ? statement.int(0) : -1
        }
        #expect(try days("SELECT count(*) FROM files WHERE event_days IS NOT NULL") == 0)
        var grown = fixture
        try grown.write(days: 2..<3)
        try StateRun.ingest([grown.root.path], into: state)
        let day2 = DayNumber(day: StateIngestTests.day(2))
        // Day 2's files hold events of day 2, some of day 3 (past midnight), and the fixture's
        // one untimed event a day has a file of its own, with no day.
        var lists: Set<String> = []
        try store.database.prepare("SELECT event_days FROM files WHERE event_days IS NOT NULL")
            .forEachRow { lists.insert($0.text(0)) }
        #expect(lists.isSubset(of: ["\(day2)", "\(day2),\(day2 + 1)", "\(day2 + 1)", ""]))
        #expect(lists.contains("\(day2),\(day2 + 1)"))
    }

    /// Rewrites a current state as version 3 wrote it: a resource both lists of an action
    /// hold was stored twice, once per list, in the column `of_succeeded_calls`.
    static let version3Resources = """
        \(version5Files)
        ALTER TABLE actions DROP COLUMN own_calls;
        INSERT INTO action_resources SELECT day, action_id, 0, resource FROM action_resources
            WHERE lists = 2;
        UPDATE action_resources SET lists = 1 WHERE lists = 2;
        ALTER TABLE action_resources RENAME COLUMN lists TO of_succeeded_calls;
        PRAGMA user_version = 3;
        """

    /// A version 3 state (a resource of both lists stored twice) is migrated in place and
    /// reads as it did; what is added after holds each such resource once.
    @Test func version3IsMigratedAndReadsTheSame() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ExportTree(paths: [fixture.root.path]).files.map(\.name)
        let (early, late) = (
            Array(files.prefix(files.count / 2)), Array(files.dropFirst(files.count / 2))
        )
        try StateRun.ingest(early, into: state)
        let before = try StateRun.stateJSON(state)
        let rows = "SELECT count(*) FROM action_resources"
        let both = try SQLiteDatabase(path: state, create: false).integer(
            "\(rows) WHERE lists = 2")
        #expect(both > 0)
        let stored = try SQLiteDatabase(path: state, create: false).integer(rows)
        try SQLiteDatabase(path: state, create: false).execute(Self.version3Resources)
        #expect(try SQLiteDatabase(path: state, create: false).integer(rows) == stored + both)
        #expect(try SQLiteDatabase(path: state, create: false).userVersion() == 3)

        #expect(try StateRun.stateJSON(state) == before)
        #expect(
            try StateStore(path: state, create: false).schemaVersion() == StateSchema.current)
        #expect(before == StateRun.directJSON(early))
        try StateRun.ingest(late, into: state)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON(files))
    }

    /// A resource both lists hold is one row only where the two spell it byte for byte alike:
    /// a composed and a decomposed é are equal Swift Strings but two objects to IAM, so the
    /// list of all calls holds both (it held the first seen only, a Swift set's pick), the
    /// succeeded calls' list the one they named, and the state keeps each as it was.
    @Test func aResourceOfBothListsIsOneRowOnlyWhenSpelledAlike() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        func call(_ id: Int, key: String, error: String?) -> String {
            let event = AnalysisFixture.event(
                id, source: "s3", name: "GetObject", error: error,
                request: #"{"bucketName":"bkt","key":"\#(key)"}"#)
            let listed = #"[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::bkt/\#(key)"}]"#
            return String(event.dropLast()) + #","resources":\#(listed)}"#
        }
        let file = root.appendingPathComponent("events.json")
        let records = [
            call(1, key: composed, error: "AccessDenied"), call(2, key: decomposed, error: nil),
            call(3, key: "same", error: "AccessDenied"), call(4, key: "same", error: nil),
        ]
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(to: file)
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([file.path], into: state)

        let usage = try #require(
            try StateStore(path: state, create: false).aggregate(window: TimeWindow())
                .principals.values.first?.actions["s3:GetObject"])
        let bytes = { (keys: [String]) in keys.map { Array("arn:aws:s3:::bkt/\($0)".utf8) } }
        let spelled = { (set: BoundedSet) in set.sorted.map { Array($0.utf8) } }
        // In byte order where Swift calls them equal: "e" (0x65) before "\u{E9}" (0xC3 0xA9).
        #expect(spelled(usage.resources) == bytes([decomposed, composed, "same"]))
        #expect(spelled(usage.succeededResources) == bytes([decomposed, "same"]))
        let database = try SQLiteDatabase(path: state, create: false)
        #expect(try database.integer("SELECT count(*) FROM action_resources") == 3)
        #expect(try database.integer("SELECT count(*) FROM action_resources WHERE lists = 2") == 2)
    }

    /// A version 4 state (no count of each action's own calls) is migrated in place, reads as
    /// it did, and its rows count every call as the action's own, as version 4 did: a copy's
    /// read of its source written before still vouches for reads (said in the README), one
    /// written after does not.
    @Test func version4IsMigratedAndItsCallsCountAsTheirActionsOwn() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = AnalysisFixture.event(
            1, source: "s3", name: "CopyObject",
            request: #"{"bucketName":"dst","key":"b","copySource":"src/a"}"#)
        let statement = AnalysisFixture.event(2, source: "dynamodb", name: "ExecuteStatement")
        let file = root.appendingPathComponent("copy.json")
        try Data(("{\"Records\":[" + copy + "," + statement + "]}").utf8).write(to: file)
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([file.path], into: state)
        func ownCalls(_ action: String = "s3:GetObject") throws -> Int? {
            try StateStore(path: state, create: false).aggregate(window: TimeWindow())
                .principals.values.first?.actions[action]?.ownCalls
        }
        #expect(try ownCalls() == 0)
        #expect(try ownCalls("dynamodb:PartiQLSelect") == 0)
        let before = try StateRun.stateJSON(state)
        try SQLiteDatabase(path: state, create: false).execute(
            Self.version5Files
                + "ALTER TABLE actions DROP COLUMN own_calls; PRAGMA user_version = 4;")
        #expect(try StateRun.stateJSON(state) == before)
        #expect(try StateStore(path: state, create: false).schemaVersion() == StateSchema.current)
        #expect(try ownCalls() == 1)
        // No event names a PartiQL verb: none of its calls was its own, in any version.
        #expect(try ownCalls("dynamodb:PartiQLSelect") == 0)
    }

    /// A version 2 state (no counts of unlisted source IPs and user agents) is migrated in
    /// place and reads as it did.
    @Test func version2IsMigratedAndReadsTheSame() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)
        do {
            let database = try SQLiteDatabase(path: state, create: false)
            try database.execute(Self.version3Resources)
            try database.execute(
                """
                ALTER TABLE principals DROP COLUMN source_ips_unlisted;
                ALTER TABLE principals DROP COLUMN user_agents_unlisted;
                PRAGMA user_version = 2;
                """)
        }
        #expect(try SQLiteDatabase(path: state, create: false).userVersion() == 2)
        #expect(try StateRun.stateJSON(state) == before)
        #expect(try StateStore(path: state, create: false).schemaVersion() == StateSchema.current)
        #expect(before == StateRun.directJSON([fixture.root.path]))
    }

    /// A new state gets pages of 16 KiB; a file made with SQLite's 4 KiB pages keeps them
    /// (SQLite cannot change a written file's page size in WAL mode) and holds the same.
    @Test func newStatesGetLargePagesAndOlderFilesKeepTheirs() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        func pageSize(_ path: String) throws -> Int {
            let statement = try SQLiteDatabase(path: path, create: false).prepare(
                "PRAGMA page_size")
            return try statement.step() ? statement.int(0) : -1
        }
        try StateRun.ingest([fixture.root.path], into: state)
        #expect(try pageSize(state) == 16384)

        let small = root.appendingPathComponent("small-pages.db").path
        try SQLiteDatabase(path: small, create: true).execute(
            "PRAGMA page_size = 4096; CREATE TABLE t(x); DROP TABLE t")
        try StateRun.ingest([fixture.root.path], into: small)
        #expect(try pageSize(small) == 4096)
        #expect(try StateRun.stateJSON(small) == StateRun.stateJSON(state))
    }

    @Test func newerStateIsRefusedWithWhatToDo() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let state = root.appendingPathComponent("state.db").path
        _ = try StateStore(path: state, create: true)
        try SQLiteDatabase(path: state, create: false).execute(
            "PRAGMA user_version = \(StateSchema.current + 1)")

        let error = try #require(throws: StateError.self) {
            try StateStore(path: state, create: false)
        }
        #expect(error.description.contains("schema version \(StateSchema.current + 1) is newer"))
        #expect(error.description.contains("use the trailaudit that wrote it or a newer one"))
        #expect(error.description.contains(state))
    }

    @Test func otherFilesAreRefused() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let other = root.appendingPathComponent("other.db").path
        try SQLiteDatabase(path: other, create: true).execute("CREATE TABLE t(x)")
        #expect(throws: StateError.self) { try StateStore(path: other, create: true) }

        let text = root.appendingPathComponent("notes.txt")
        try Data("not a database at all, just some text that is long enough".utf8).write(to: text)
        let error = try #require(throws: StateError.self) {
            try StateStore(path: text.path, create: false)
        }
        #expect(
            error.description
                == "state \(text.path): not a trailaudit state (not an SQLite file); nothing written"
        )
        let writing = try #require(throws: StateError.self) {
            try StateStore(path: text.path, create: true, verify: true)
        }
        #expect(writing.description.contains("not a trailaudit state (not an SQLite file)"))

        let missing = root.appendingPathComponent("missing.db").path
        let absent = try #require(throws: StateError.self) {
            try StateStore(path: missing, create: false)
        }
        #expect(absent.description.contains("trailaudit ingest --state"))
    }

    /// A truncated state ('> state.db', a full disk) or a blank SQLite file is not an empty
    /// state to a reader: no report of nothing, and the file is left as it was.
    @Test func readersRefuseEmptyAndTablelessFilesWithoutTouchingThem() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil))
        let blank = root.appendingPathComponent("blank.db").path
        try SQLiteDatabase(path: blank, create: true).execute("CREATE TABLE t(x); DROP TABLE t")
        let other = root.appendingPathComponent("other.db").path
        try SQLiteDatabase(path: other, create: true).execute("CREATE TABLE t(x)")
        let cases = [
            (empty, "empty file"), (blank, "no trailaudit tables"),
            (other, "an SQLite file with other tables"),
        ]
        for (file, reason) in cases {
            let before = try Data(contentsOf: URL(fileURLWithPath: file))
            let error = try #require(throws: StateError.self) {
                try StateStore(path: file, create: false)
            }
            #expect(error.description == "state \(file): not a trailaudit state (\(reason))")
            for command in ["report", "changes", "coverage"] {
                #expect(TrailAuditCommand.run([command, "--state", file]) == .inputFailed)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
            #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)

        // A writer takes an empty or blank file as a new state.
        for file in [empty, blank] {
            #expect(try StateStore(path: file, create: true).schemaVersion() == StateSchema.current)
            #expect(try StateStore(path: file, create: false).newestDay() == nil)
        }
    }

    @Test func readersDoNotWaitForAWriter() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let expected = try StateRun.stateJSON(state)

        // Another connection in the middle of a write (as an ingest is while it commits).
        let writer = try SQLiteDatabase(path: state, create: false, busyTimeout: 0)
        try writer.execute("BEGIN IMMEDIATE; DELETE FROM days;")
        defer { try? writer.execute("ROLLBACK") }
        let started = Date()
        #expect(try StateRun.stateJSON(state) == expected)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test(arguments: [0, 1, 31, 32, 33, 100, 4096])
    func checksumDoesNotDependOnPieceSizes(pieceSize: Int) {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 3) }
        var whole = ContentChecksum()
        bytes.withUnsafeBytes { whole.update($0) }
        var pieces = ContentChecksum()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + max(1, pieceSize))
            bytes[start..<end].withUnsafeBytes { pieces.update($0) }
            start = end
        }
        #expect(pieces.value == whole.value)
        var other = ContentChecksum()
        (bytes.dropLast() + [bytes.last! ^ 1]).withUnsafeBytes { other.update($0) }
        #expect(other.value != whole.value)
    }
}
