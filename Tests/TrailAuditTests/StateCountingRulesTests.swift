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

    /// An SQS ListQueues call of the fixture's role at `time`, failed with `error` if given.
    static func call(_ id: Int, at time: String, error: String? = nil) -> String {
        F.event(id, source: "sqs", name: "ListQueues", error: error, time: time)
    }

    /// One event a day: succeeded on the 5th, denied on the 6th, failed on the 7th and the
    /// 9th, and a failed event without a readable time.
    static let mixed = [
        call(1, at: "2024-03-05T10:00:00Z"),
        call(2, at: "2024-03-06T10:00:00Z", error: "AccessDenied"),
        call(3, at: "2024-03-07T10:00:00Z", error: "ThrottlingException"),
        call(4, at: "soon", error: "ThrottlingException"),
        call(7, at: "2024-03-09T10:00:00Z", error: "ThrottlingException"),
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
        let (sixth, seventh, ninth) = (
            Self.day("2024-03-06"), Self.day("2024-03-07"), Self.day("2024-03-09")
        )
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow())
                == [.untimed, sixth, seventh, ninth])
        // A window holds the untimed events, as a direct run's does.
        #expect(
            try store.daysCountedByOlderRules(
                in: TimeWindow(since: sixth.start, until: seventh.start)) == [.untimed, sixth])

        // Days counted now are current; a day with an old segment stays named.
        try StateRun.ingest(
            [
                try logs.write([
                    Self.call(5, at: "2024-03-06T11:00:00Z", error: "AccessDenied"),
                    Self.call(6, at: "2024-03-08T11:00:00Z", error: "AccessDenied"),
                ])
            ], into: logs.state)
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow())
                == [.untimed, sixth, seventh, ninth])
        #expect(try StateRun.events(in: logs.state) == 7)
    }

    /// A day compacted from an old segment and new ones is only as current as its oldest
    /// segment of denied or failed calls; an old segment of succeeded calls alone counted as
    /// this trailaudit would (a breaking pass: compacting such a day named it).
    @Test func compactingADayKeepsTheOldestRulesOfItsFailures() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        try StateRun.ingest([try logs.write(Self.mixed)], into: logs.state)
        try SQLiteDatabase(path: logs.state, create: false).execute(Self.version7Days)
        let (fifth, seventh) = (Self.day("2024-03-05"), Self.day("2024-03-07"))
        for id in 10..<(10 + StateStore.maxSegments) {
            let events = [
                Self.call(id, at: "2024-03-07T12:00:00Z"),
                Self.call(100 + id, at: "2024-03-05T12:00:00Z", error: "AccessDenied"),
            ]
            try StateRun.ingest([try logs.write(events)], into: logs.state)
        }
        let store = try StateStore(path: logs.state, create: false)
        for day in [fifth, seventh] {
            let segments = try store.database.integer(
                "SELECT count(*) FROM days WHERE day = \(Int64(day))")
            #expect(segments < StateStore.maxSegments)
        }
        #expect(try store.countingRules(of: seventh) == 1)
        #expect(try store.countingRules(of: fifth) == StateSchema.countingRules)
        let named = try store.daysCountedByOlderRules(in: TimeWindow())
        #expect(named.contains(seventh))
        #expect(!named.contains(fifth))
    }

    /// Merging an old part into a new state keeps the days whose denied or failed calls it
    /// counted named; the new part's are not, nor a day the old part held succeeded calls of.
    @Test func aMergeKeepsAPartsOldRules() throws {
        var logs = try Logs()
        defer { try? FileManager.default.removeItem(at: logs.root) }
        let old = logs.root.appendingPathComponent("old.db").path
        let new = logs.root.appendingPathComponent("new.db").path
        try StateRun.ingest([try logs.write(Self.mixed)], into: old)
        try SQLiteDatabase(path: old, create: false).execute(Self.version7Days)
        let newer = ["2024-03-05", "2024-03-10"].enumerated().map { index, date in
            Self.call(20 + index, at: "\(date)T11:00:00Z", error: "AccessDenied")
        }
        try StateRun.ingest([try logs.write(newer)], into: new)
        let merged = logs.root.appendingPathComponent("merged.db").path
        _ = try StateMerge.run(output: merged, parts: [old, new], wait: false)
        let store = try StateStore(path: merged, create: false)
        #expect(
            try store.daysCountedByOlderRules(in: TimeWindow())
                == [
                    .untimed, Self.day("2024-03-06"), Self.day("2024-03-07"),
                    Self.day("2024-03-09"),
                ])
        for date in ["2024-03-05", "2024-03-10"] {
            #expect(try store.countingRules(of: Self.day(date)) == StateSchema.countingRules)
        }
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
                "trailaudit: the denied or failed calls of 3 days (2024-03-06..2024-03-07,"
                    + " 2024-03-09) and of the events without a time in the window were counted"
                    + " by an older trailaudit"))
        #expect(errors.contains("trailaudit ingest --state NEWFILE PATH..."))

        // The newest day, the 9th, against the 8th.
        let (_, _, changesErrors) = try StateCrashTests.run([
            "changes", "--state", logs.state, "--output", "/dev/null",
        ])
        #expect(
            changesErrors.contains(
                "of 1 day (2024-03-09) and of the events without a time in the two windows"
                    + " compared were"))
        let (_, _, windowErrors) = try StateCrashTests.run(
            report + ["--since", "2024-03-05", "--until", "2024-03-06"])
        #expect(
            windowErrors.contains(
                "trailaudit: the denied or failed calls of the events without a time in the"
                    + " window were"))
    }
}
