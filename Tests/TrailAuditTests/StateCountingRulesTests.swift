import Foundation
import Testing

@testable import TrailAudit

/// A state holds counts, not events: days an older trailaudit counted keep its classing of
/// denied and failed calls, so readers must name them (`StateSchema.countingRules`).
@Suite struct StateCountingRulesTests {
    typealias F = AnalysisFixture

    /// A folder of logs to write one-file batches into.
    struct Logs {
        let root: URL
        let state: String
        private var written = 0

        init() throws {
            root = try temporaryDirectory()
            state = root.appendingPathComponent("state.db").path
        }

        /// A new file holding `events`, in its own folder (so it alone is ingested); its path.
        mutating func write(_ events: [String]) throws -> String {
            written += 1
            let folder = root.appendingPathComponent("logs-\(written)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("events.json")
            try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
            return file.path
        }
    }

    /// One event a day: succeeded on the 5th, denied on the 6th, failed on the 7th, and a
    /// failed event without a readable time.
    static let mixed = [
        F.event(1, source: "sqs", name: "ListQueues", time: "2024-03-05T10:00:00Z"),
        F.event(
            2, source: "sqs", name: "ListQueues", error: "AccessDenied",
            time: "2024-03-06T10:00:00Z"),
        F.event(
            3, source: "sqs", name: "ListQueues", error: "ThrottlingException",
            time: "2024-03-07T10:00:00Z"),
        F.event(4, source: "sqs", name: "ListQueues", error: "ThrottlingException", time: "soon"),
    ]

    /// The day of March 2024 numbered `date` ("2024-03-06").
    static func day(_ date: String) -> DayNumber {
        let dayOfMonth = Int(date.suffix(2))!
        return DayNumber(day: StateFixture.firstDay + EpochSeconds(dayOfMonth - 1) * 86_400)
    }

    /// Rewrites a current state's days as version 7 wrote them: no counting rules.
    static let version7Days = StateSchemaTests.version7Days + "PRAGMA user_version = 7;"

    @Test func aVersion7StateNamesItsDaysWithDeniedOrFailedCalls() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        try StateRun.ingest([try logs.write(Self.mixed)], into: logs.state)
        #expect(
            try StateStore(path: logs.state, create: false)
                .daysCountedByOlderRules(in: TimeWindow()).isEmpty)

        try SQLiteDatabase(path: logs.state, create: false).execute(Self.version7Days)
        let store = try StateStore(path: logs.state, create: false)
        #expect(try store.schemaVersion() == StateSchema.current)
        let (sixth, seventh) = (Self.day("2024-03-06"), Self.day("2024-03-07"))
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow()) == [.untimed, sixth, seventh])
        // A window holds the untimed events, as a direct run's does.
        #expect(
            try store.daysCountedByOlderRules(
                in: TimeWindow(since: sixth.start, until: seventh.start)) == [.untimed, sixth])

        // Days counted now are current; a day with an old segment stays named.
        try StateRun.ingest(
            [
                try logs.write([
                    F.event(
                        5, source: "sqs", name: "ListQueues", error: "AccessDenied",
                        time: "2024-03-06T11:00:00Z"),
                    F.event(
                        6, source: "sqs", name: "ListQueues", error: "AccessDenied",
                        time: "2024-03-08T11:00:00Z"),
                ])
            ], into: logs.state)
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow()) == [.untimed, sixth, seventh])
        #expect(try StateRun.events(in: logs.state) == 6)
    }

    /// A day compacted from an old segment and new ones is only as current as its oldest.
    @Test func compactingADayKeepsItsOldestRules() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        try StateRun.ingest([try logs.write(Self.mixed)], into: logs.state)
        try SQLiteDatabase(path: logs.state, create: false).execute(Self.version7Days)
        let seventh = Self.day("2024-03-07")
        for id in 10..<(10 + StateStore.maxSegments) {
            let event = F.event(
                id, source: "sqs", name: "ListQueues", time: "2024-03-07T12:00:00Z")
            try StateRun.ingest([try logs.write([event])], into: logs.state)
        }
        let store = try StateStore(path: logs.state, create: false)
        let segments = try store.database.integer(
            "SELECT count(*) FROM days WHERE day = \(Int64(seventh))")
        #expect(segments < StateStore.maxSegments)
        #expect(try store.daysCountedByOlderRules(in: TimeWindow()).contains(seventh))
        #expect(try store.countingRules(of: seventh) == 1)
    }

    /// Merging an old part into a new state keeps its days named; the new part's are not.
    @Test func aMergeKeepsAPartsOldRules() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        let old = logs.root.appendingPathComponent("old.db").path
        let new = logs.root.appendingPathComponent("new.db").path
        try StateRun.ingest([try logs.write(Self.mixed)], into: old)
        try SQLiteDatabase(path: old, create: false).execute(Self.version7Days)
        let ninth = F.event(
            20, source: "sqs", name: "ListQueues", error: "AccessDenied",
            time: "2024-03-09T10:00:00Z")
        try StateRun.ingest([try logs.write([ninth])], into: new)
        let merged = logs.root.appendingPathComponent("merged.db").path
        try StateMerge.run(output: merged, parts: [old, new], wait: false)
        let store = try StateStore(path: merged, create: false)
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow())
                == [.untimed, Self.day("2024-03-06"), Self.day("2024-03-07")])
        #expect(try store.countingRules(of: Self.day("2024-03-09")) == StateSchema.countingRules)
    }

    /// `report --state` and `changes` say which days are counted by older rules, on standard
    /// error, and still answer; a current state gets no such line.
    @Test func readersNameTheDaysOnStandardError() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        try StateRun.ingest([try logs.write(Self.mixed)], into: logs.state)
        let report = ["report", "--state", logs.state, "--format", "json", "--output", "/dev/null"]
        let (_, fresh, freshErrors) = try StateCrashTests.run(report)
        #expect(fresh == 0)
        #expect(freshErrors.isEmpty)

        try SQLiteDatabase(path: logs.state, create: false).execute(Self.version7Days)
        let (_, status, errors) = try StateCrashTests.run(report)
        #expect(status == 0)
        #expect(
            errors.contains(
                "trailaudit: 2 days (2024-03-06..2024-03-07) and the events without a time of the"
                    + " window hold denied or failed calls counted by an older trailaudit"))
        #expect(errors.contains("trailaudit ingest --state NEWFILE PATH..."))

        let (_, _, changesErrors) = try StateCrashTests.run([
            "changes", "--state", logs.state, "--output", "/dev/null",
        ])
        #expect(changesErrors.contains("2 days (2024-03-06..2024-03-07) and the events"))
        let (_, _, windowErrors) = try StateCrashTests.run(
            report + ["--since", "2024-03-07", "--until", "2024-03-08"])
        #expect(windowErrors.contains("trailaudit: 1 day (2024-03-07) and the events without"))
    }
}
