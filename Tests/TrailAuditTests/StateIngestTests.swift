import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// `trailaudit ingest` and `report --state`: the state answers as a direct run would.
@Suite struct StateIngestTests {
    /// A fresh tree of `days` days and a state path beside it.
    static func tree(days: Range<Int> = 0..<5) throws -> (URL, String, StateFixture) {
        let root = try temporaryDirectory()
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        try fixture.write(days: days)
        return (root, root.appendingPathComponent("state.db").path, fixture)
    }

    static func day(_ offset: Int) -> EpochSeconds {
        StateFixture.firstDay + EpochSeconds(offset) * 86_400
    }

    /// `--require-new`: a night whose sync brought nothing exits 1 and says so (without it, 0):
    /// `changes` alone takes such a night for a quiet one.
    @Test func requireNewFailsANightWithNothingNew() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let base = ["ingest", "--quiet", "--state", state, fixture.root.path]
        let (_, first, _) = try StateCrashTests.run(base + ["--require-new"])
        #expect(first == 0)
        let (_, again, message) = try StateCrashTests.run(base + ["--require-new"])
        #expect(again == 1)
        #expect(
            message.contains(
                "trailaudit ingest: no new log file under \(fixture.root.path) (--require-new)"))
        let (_, plain, _) = try StateCrashTests.run(base)
        #expect(plain == 0)
    }

    @Test func stateReportEqualsTheDirectReport() throws {
        let (root, state, fixture) = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try StateRun.ingest([fixture.root.path], into: state)

        let direct = StateRun.directJSON([fixture.root.path])
        #expect(try StateRun.stateJSON(state) == direct)
        let report = runReport([fixture.root.path])
        #expect(summary.eventsCommitted == report.input.events)
        // The generator re-delivers 4 records of every 15:00 file: 5 days x 4 folders x 4.
        #expect(report.input.duplicateEvents == 80)
        // 2,600 possible object keys, 1,000 kept: the set is truncated across days, exactly.
        let loader = try #require(
            report.principal("arn:aws:iam::111122223333:role/data-loader")?.action("s3:GetObject"))
        #expect(loader.resources.isTruncated)
        #expect(loader.resources.count == 1000)
    }

    /// Windows on day boundaries, from the state, equal a direct run with `--since/--until`;
    /// only the counters of files read differ (a direct run skips files by key).
    @Test(arguments: [(1, 3), (0, 5), (4, 9), (2, 3)])
    func windowsEqualDirectRuns(from: Int, to: Int) throws {
        let (root, state, fixture) = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let window = TimeWindow(since: Self.day(from), until: Self.day(to))

        let direct = runReport([fixture.root.path], window: window)
        var fromState = Report(
            try StateStore(path: state, create: false).auditResult(window: window),
            window: window)
        #expect(fromState.input.events == direct.input.events)
        fromState.input.filesRead = direct.input.filesRead
        fromState.input.skipped = direct.input.skipped
        fromState.input.duplicateEvents = direct.input.duplicateEvents
        fromState.input.eventsOutsideWindow = direct.input.eventsOutsideWindow
        #expect(fromState.json() == direct.json())
    }

    @Test func windowNotOnADayBoundaryIsRefused() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        #expect(throws: StateError.self) {
            try store.aggregate(window: TimeWindow(since: Self.day(0) + 3600))
        }
    }

    /// A commit per file appends a segment per touched day; a day is compacted at 8.
    @Test func commitsAppendSegmentsAndCompactThem() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try StateRun.ingest(
            [fixture.root.path], into: state, jobs: 1, commitEveryFile: true)
        #expect(summary.filesCommitted == 34)

        let segments = try SQLiteDatabase(path: state, create: false)
            .integer("SELECT max(n) FROM (SELECT count(*) AS n FROM days GROUP BY day)")
        #expect((2...StateStore.maxSegments).contains(segments))
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    @Test func sameFilesTwiceCountOnce() throws {
        let (root, state, fixture) = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)
        let second = try StateRun.ingest([fixture.root.path], into: state)

        #expect(first.filesCommitted == first.filesFound)
        #expect(second.filesCommitted == 0)
        #expect(second.filesUnchanged == first.filesFound)
        #expect(second.input.filesRead == 0)
        #expect(try StateRun.stateJSON(state) == before)
    }

    @Test func resyncedCopiesAreNotCountedAgain() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)

        // The same bytes under another path (a second sync target), with new times.
        let copy = root.appendingPathComponent("resync")
        try FileManager.default.copyItem(at: fixture.root, to: copy)
        let again = try StateRun.ingest([copy.path], into: state)
        #expect(again.filesCommitted == 0)
        #expect(again.input.skipped.count == again.filesFound)
        #expect(again.input.skipped.allSatisfy { $0.reason.contains("ingested before") })
        #expect(try StateRun.stateJSON(state) == before)

        // Recorded: the next run skips them by stat without reading.
        let third = try StateRun.ingest([copy.path], into: state)
        #expect(third.filesUnchanged == third.filesFound)
        #expect(third.input.filesRead == 0)
    }

    /// The same bytes under two paths in one run: one path counts every event, the other is
    /// recorded as its copy (before, both counted, each the events the other had dropped, and
    /// a kill between their commits lost the first one's share: the next run refused it as a
    /// copy of the second). A state in that shape (the copy's row committed, its original's
    /// not) reads the original on the next run.
    @Test func theSameBytesTwiceInOneRunCountOnceUnderOnePath() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("resync")
        try FileManager.default.copyItem(at: fixture.root, to: copy)
        let direct = StateRun.directJSON([fixture.root.path])
        let both = try StateRun.ingest([fixture.root.path, copy.path], into: state)
        #expect(both.filesCommitted * 2 == both.filesFound)
        #expect(both.input.skipped.count == both.filesCommitted)
        #expect(both.input.skipped.allSatisfy { $0.reason.contains("read in this run") })
        #expect(try StateRun.events(in: state) == Self.events(inJSON: direct))
        // The summary line says where the other half went (a breaking pass: not at all).
        #expect(
            IngestCommand.describe(both, statePath: state).contains(
                ", \(both.filesCommitted) copies of ingested files"))
        var rows: [FileRecord] = []
        try StateStore(path: state, create: false).database
            .prepare("SELECT path, size, checksum, copy_of FROM files").forEachRow { row in
                rows.append(
                    FileRecord(
                        path: row.text(0), size: row.int(1), modified: -1,
                        checksum: UInt64(bitPattern: Int64(row.int(2))), events: 0,
                        duplicates: 0, nonCallRecords: 0, unrecognizedRecords: 0,
                        copyOf: row.optionalText(3), keys: [], newestDay: .untimed))
            }
        #expect(rows.filter { $0.copyOf == nil }.count == both.filesCommitted)

        // Every original's row lost, as if killed between the commits: each is read again,
        // not refused as a copy of its copy.
        let reduced = root.appendingPathComponent("copy-rows-only.db").path
        let store = try StateStore(path: reduced, create: true)
        try store.database.writeTransaction {
            try store.record(rows.filter { $0.copyOf != nil }, at: 0)
        }
        let resumed = try StateRun.ingest([fixture.root.path, copy.path], into: reduced)
        #expect(resumed.filesCommitted == both.filesCommitted)
        #expect(try StateRun.events(in: reduced) == Self.events(inJSON: direct))
    }

    private static func events(inJSON json: String) -> Int {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["input"] as? [String: Any])?["events"] as? Int ?? -1
    }

    @Test func touchedFileIsRecognisedAndAChangedOneFails() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)
        let files = ExportTree(paths: [fixture.root.path]).files.map(\.name)

        let touched = URL(fileURLWithPath: files[0])
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: touched.path)
        let changed = URL(fileURLWithPath: files[1])
        try Data(gzip(#"{"Records":[]}"#)).write(to: changed)

        let again = try StateRun.ingest([fixture.root.path], into: state)
        #expect(again.input.skipped.map(\.path) == [touched.path])
        #expect(again.input.failed.map(\.path) == [changed.path])
        #expect(again.input.failed.first?.reason.contains("changed since it was ingested") == true)
        #expect(try StateRun.stateJSON(state) == before)
        // The summary counts the touched file among those already ingested, and says why.
        let line = IngestCommand.describe(again, statePath: state)
        #expect(
            line.contains(
                "; \(files.count - 1) files already ingested (1 read again: same content, new"
                    + " modification time)"))
    }

    /// A CloudTrail log file met under another path with other bytes than the one of its name
    /// ingested before (or read in the same run) fails: CloudTrail names each log file once
    /// (a breaking pass put a tampered copy in through a second path, exit 0).
    @Test func aLogFileOfAKnownNameWithOtherBytesFails() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let before = try StateRun.stateJSON(state)

        let copy = root.appendingPathComponent("resynced")
        try FileManager.default.copyItem(at: fixture.root, to: copy)
        let files = ExportTree(paths: [copy.path]).files.map(\.name)
        let tampered = try #require(files.first)
        try Data(gzip(#"{"Records":[]}"#)).write(to: URL(fileURLWithPath: tampered))
        let again = try StateRun.ingest([copy.path], into: state)
        #expect(again.input.failed.map(\.path) == [tampered])
        #expect(
            again.input.failed.first?.reason.hasPrefix("other bytes than ") == true
                && again.input.failed.first?.reason.contains("a log file of the same name") == true)
        #expect(again.filesCommitted == 0)
        #expect(try StateRun.stateJSON(state) == before)

        // Both in one run: whichever is read second fails; one of the two counts.
        let fresh = root.appendingPathComponent("fresh.db").path
        let both = try StateRun.ingest([fixture.root.path, copy.path], into: fresh, jobs: 1)
        #expect(both.input.failed.count == 1)
        #expect(both.input.failed.first?.reason.hasPrefix("other bytes than ") == true)
    }

    /// A file delivered days after its events is skipped by a direct run with `--until` unless
    /// `--late` reaches it; the state holds it under its event's day either way (a breaking
    /// pass found a late CreateAccessKey missing from `events`/`report` with a window).
    @Test func lateReadsFilesDeliveredDaysAfterTheWindow() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<0)
        defer { try? FileManager.default.removeItem(at: root) }
        var late = fixture
        // Delivered three days and one hour after its event, which is at noon of day 1.
        try late.writeCall(
            role: "late-role", account: StateFixture.accounts[0], region: "us-east-1",
            at: Self.day(1) + 12 * 3600, action: ("iam.amazonaws.com", "CreateAccessKey"),
            delay: 3 * 86_400 - 11 * 3600)
        let output = root.appendingPathComponent("out.json").path
        func events(_ extra: [String]) throws -> Int? {
            let status = TrailAuditCommand.run(
                [
                    "report", "--since", DayNumber(day: Self.day(1)).dateText, "--until",
                    DayNumber(day: Self.day(2)).dateText, "--format", "json", "--output", output,
                    "--quiet",
                ] + extra + [late.root.path])
            #expect(status == .success)
            let object =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: output)))
                as? [String: Any]
            return (object?["input"] as? [String: Any])?["events"] as? Int
        }
        #expect(try events([]) == 0)
        #expect(try events(["--late", "2d"]) == 0)
        #expect(try events(["--late", "3d"]) == 1)
        // Without --until it means nothing; 0 would drop the window's last minutes.
        #expect(TrailAuditCommand.run(["report", "--late", "3d", late.root.path]) == .usage)
        #expect(
            TrailAuditCommand.run([
                "report", "--until", DayNumber(day: Self.day(2)).dateText, "--late", "0",
                late.root.path,
            ]) == .usage)
        try StateRun.ingest([late.root.path], into: state)
        #expect(try StateRun.events(in: state) == 1)
        #expect(
            TrailAuditCommand.run([
                "report", "--state", state, "--late", "3d", "--output", output,
            ]) == .usage)
    }

    @Test func nightsOneAfterAnotherEqualOneRun() throws {
        let (root, state, _) = try Self.tree(days: 0..<0)
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        for night in 0..<4 {
            try fixture.write(days: night..<(night + 1))
            try StateRun.ingest([fixture.root.path], into: state)
        }
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    @Test func retainPrunesOldDaysButKeepsTheFiles() throws {
        let (root, state, fixture) = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let pruned = try StateRun.ingest([fixture.root.path], into: state, retainDays: 2)

        let store = try StateStore(path: state, create: false)
        // Days 0..5 hold events (day 4's last file spills into day 5): 5 and 4 are kept.
        #expect(pruned.daysPruned == 4)
        #expect(try store.oldestDay() == DayNumber(day: Self.day(4)))
        #expect(try store.newestDay() == DayNumber(day: Self.day(5)))
        let window = TimeWindow(since: Self.day(4))
        var direct = runReport([fixture.root.path], window: window)
        let kept = Report(try store.auditResult(window: TimeWindow()), window: window)
        #expect(kept.input.events == direct.input.events)
        direct.input = kept.input
        #expect(kept.json() == direct.json())
    }

    @Test func reportCommandReadsTheState() throws {
        let (root, state, fixture) = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let output = root.appendingPathComponent("report.json").path
        func report(_ arguments: [String]) -> (TrailAuditCLI.ExitStatus, String) {
            let status = TrailAuditCommand.run(
                ["report", "--state", state, "--format", "json", "--output", output] + arguments)
            return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        }

        #expect(report([]) == (.success, StateRun.directJSON([fixture.root.path])))
        // The newest day is day 5 (day 4's last files spill past midnight).
        let window = TimeWindow(since: Self.day(4), until: Self.day(6))
        #expect(
            report(["--window", "2d"]) == (.success, try StateRun.stateJSON(state, window: window)))
        #expect(
            report(["--since", "2024-03-05", "--until", "2024-03-07"]).1
                == (try StateRun.stateJSON(state, window: window)))
        #expect(report(["--since", "7d"]).0 == .usage)
        #expect(report(["--window", "2d", "--since", "2024-03-05"]).0 == .usage)
        #expect(TrailAuditCommand.run(["report", "--state", state, fixture.root.path]) == .usage)
        #expect(TrailAuditCommand.run(["ingest", "--state", state, "-"]) == .usage)
        #expect(TrailAuditCommand.run(["ingest", "--state", "-", fixture.root.path]) == .usage)
        #expect(!FileManager.default.fileExists(atPath: "-"))
        #expect(TrailAuditCommand.run(["changes", "--state", "-"]) == .usage)
        // A pipe (<(zcat ...)) has no name or time that tells one night's from the next.
        let fifo = root.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(TrailAuditCommand.run(["ingest", "--state", state, fifo]) == .usage)
        #expect(TrailAuditCommand.run(["report", "--window", "2d", fixture.root.path]) == .usage)
        #expect(
            TrailAuditCommand.run(["report", "--state", root.appendingPathComponent("none").path])
                == .inputFailed)
    }

    /// Whoever sends requests to a public bucket chooses their user agents: 3,000 distinct
    /// ones keep 1,000 rows a day in the state, count the rest as unlisted, and read back as a
    /// direct run reports them.
    @Test func distinctUserAgentsAreBoundedAndCounted() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let records = (0..<3000).map { index in
            #"{"eventVersion":"1.09","userIdentity":{"type":"AWSAccount","#
                + #""principalId":"","accountId":"ANONYMOUS_PRINCIPAL"},"#
                + #""eventTime":"2024-03-05T10:00:00Z","eventSource":"s3.amazonaws.com","#
                + #""eventName":"GetObject","awsRegion":"us-east-1","#
                + #""sourceIPAddress":"198.51.100.\#(index % 7)","#
                + #""userAgent":"agent-\#(String(format: "%05d", index))","#
                + #""requestParameters":{"bucketName":"b","key":"k"},"#
                + #""eventID":"\#(String(format: "%08x-0000-4000-8000-000000000000", index))","#
                + #""recipientAccountId":"111122223333"}"#
        }
        let file = root.appendingPathComponent("flood.json")
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(to: file)
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([file.path], into: state)

        let report = runReport([file.path])
        let principal = try #require(report.principals.first)
        #expect(principal.userAgents.count == 1000)
        #expect(principal.userAgentsUnlisted == 2000)
        #expect(principal.sourceIPs.count == 7 && principal.sourceIPsUnlisted == 0)
        let rows = try SQLiteDatabase(path: state, create: false)
            .integer("SELECT count(*) FROM principal_user_agents")
        #expect(rows == 1000)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([file.path]))
    }

    /// A commit that fails while its rows are still being built (here an insert refused by a
    /// trigger, as a full disk would refuse a write) stops the builder, reports the error,
    /// and marks no file: the next run counts them all, as a clean run would.
    @Test func aCommitThatFailsMidwayMarksNothingAndTheNextRunCountsAll() throws {
        let (root, state, fixture) = try Self.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        var grown = fixture
        try StateRun.ingest([fixture.root.path], into: state)
        try grown.write(days: 3..<6)
        // A connection per use: one held open across an in-process ingest would lose its
        // locks when the ingest's lock closes its own descriptor of the file (POSIX locks
        // belong to the process).
        func database() throws -> SQLiteDatabase { try SQLiteDatabase(path: state, create: false) }
        let filesBefore = try database().integer("SELECT count(*) FROM files")
        try database().execute(
            """
            CREATE TRIGGER refuse BEFORE INSERT ON action_resources
            BEGIN SELECT RAISE(ABORT, 'no space left (test)'); END
            """)

        let failed = try StateRun.ingest([fixture.root.path], into: state)
        #expect(failed.writeError?.description.contains("no space left (test)") == true)
        #expect(failed.input.filesRead > 0 && failed.filesCommitted == 0)
        #expect(try database().integer("SELECT count(*) FROM files") == filesBefore)
        // The command's summary tells what the state holds, not what the run read.
        let command = Process()
        command.executableURL = StateRun.executable
        command.arguments = ["ingest", "--state", state, fixture.root.path]
        let output = Pipe()
        command.standardOutput = output
        command.standardError = FileHandle.nullDevice
        try command.run()
        let summary = String(
            decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        command.waitUntilExit()
        #expect(command.terminationStatus == 1)
        // A commit before the failing one (a slow machine reaches the writer's interval
        // before the last file) holds files none of whose rows the trigger refuses.
        let committed = try database().integer("SELECT count(*) FROM files") - filesBefore
        #expect(committed < failed.input.filesRead)
        #expect(summary.hasPrefix("ingested \(committed) files ("))
        #expect(summary.contains(" into \(state) before the error; "))
        #expect(!summary.contains("duplicates"))

        try database().execute("DROP TRIGGER refuse")
        let again = try StateRun.ingest([fixture.root.path], into: state)
        #expect(again.writeError == nil)
        #expect(committed + again.filesCommitted == failed.input.filesRead)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }
}
