import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// `trailaudit changes`: the newest day against the day before.
@Suite struct StateChangesTests {
    /// A state of days 0..2, then day 3 with a new role, a new GitHub branch assuming the
    /// deploy role, and a new denied action.
    static func grownState() throws -> (URL, String) {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        try StateRun.ingest([fixture.root.path], into: state)
        var grown = fixture
        let account = StateFixture.accounts[0]
        let noon = StateIngestTests.day(3) + 12 * 3600
        // Day 3 repeats the usual traffic, so only the additions below are new.
        try grown.write(days: 3..<4)
        let records = [
            grown.call(
                role: "audit/new-role", account: account, region: "us-east-1", at: noon,
                action: ("s3.amazonaws.com", "ListBuckets")),
            grown.webIdentity(
                account: account, at: noon + 60, subject: "repo:org/app:ref:refs/heads/feature"),
            grown.denied(account: account, region: "us-east-1", at: noon + 120, name: "DeleteRole"),
        ]
        try grown.writeFile(
            account: account, region: "us-east-1", delivered: noon + 300, records: records)
        try StateRun.ingest([grown.root.path], into: state)
        return (root, state)
    }

    @Test func newRoleAssumerAndDenialAreReported() throws {
        let (root, state) = try Self.grownState()
        defer { try? FileManager.default.removeItem(at: root) }
        // The newest day is day 4 (day 3's last files spill past midnight): look at two days.
        let changes = try #require(try StateStore(path: state, create: false).changes(lastDays: 2))
        let account = StateFixture.accounts[0]

        #expect(
            changes.newPrincipals.map(\.principal.id)
                == ["arn:aws:iam::\(account):role/audit/new-role"])
        #expect(
            changes.newAssumers.map { $0.caller.subject }
                == ["repo:org/app:ref:refs/heads/feature"])
        #expect(changes.newAssumers.first?.role == "arn:aws:iam::\(account):role/deploy")
        #expect(changes.newDenials.map(\.key.action) == ["iam:DeleteRole"])
        #expect(
            changes.newDenials.first?.key.principal.id == "arn:aws:iam::\(account):role/ops-role")
        #expect(!changes.isEmpty)

        let json = changes.json()
        #expect(json.contains(#""schemaVersion": 1"#))
        #expect(json.contains(#""subject": "repo:org/app:ref:refs/heads/feature""#))
        #expect(changes.text().contains("NEW ASSUMERS (1)"))
        #expect(changes.markdown().contains("## New denials"))

        // The same additions, seen from a run after midnight that looks at the complete day 3.
        let day3 = try #require(
            try StateStore(path: state, create: false).changes(
                lastDays: 1, until: StateIngestTests.day(4)))
        #expect(
            day3.current
                == TimeWindow(since: StateIngestTests.day(3), until: StateIngestTests.day(4)))
        #expect(day3.newDenials.map(\.key.action) == ["iam:DeleteRole"])
        #expect(day3.newPrincipals.count == 1)
    }

    @Test func exitCodeThreeOnlyWhenAskedAndSomethingChanged() throws {
        let (root, state) = try Self.grownState()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("changes.txt").path
        let base = ["changes", "--state", state, "--window", "2d", "--output", output]
        #expect(TrailAuditCommand.run(base) == .success)
        #expect(TrailAuditCommand.run(base + ["--exit-code"]) == .changed)
        #expect(TrailAuditCommand.run(base + ["--format", "yaml"]) == .usage)
        #expect(TrailAuditCommand.run(base + ["--until", "2024-03-05T06:00:00Z"]) == .usage)
        #expect(
            TrailAuditCommand.run(base + ["--until", "2024-03-05", "--exit-code"]) == .changed)
        #expect(ExitStatus.changed.rawValue == 3)
    }

    @Test func logsThatStopAreAChangeEveryNightUntilTheyComeBack() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        // Days 5 and 6 have no logs at all: both nights report every stream as stopped.
        for night in [5, 6] {
            let changes = try #require(
                try store.changes(lastDays: 1, until: StateIngestTests.day(night + 1)))
            #expect(!changes.isEmpty)
            #expect(changes.silentStreams.count == 4)
            #expect(changes.text().contains("LOGS THAT STOPPED"))
        }
        // Day 1, which has logs, against day 0: nothing stopped.
        let normal = try store.changes(
            in: TimeWindow(since: StateIngestTests.day(1), until: StateIngestTests.day(2)),
            against: TimeWindow(since: StateIngestTests.day(0), until: StateIngestTests.day(1)))
        #expect(normal.silentStreams.isEmpty)
    }

    /// Without --until the windows end with the newest day in the state: after every trail
    /// stops, each night would compare the same two days and find nothing. A newest day older
    /// than yesterday is a change of its own, said with its date.
    @Test func aStateWithoutLogsSinceBeforeYesterdayIsAChange() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let newest = try #require(try store.newestDay())

        // Read the day after the newest: its logs are yesterday's, nothing is stale.
        let fresh = try #require(try store.changes(lastDays: 1, today: newest + 1))
        #expect(fresh.staleLogs == nil)
        #expect(!fresh.text().contains("NO LOGS SINCE"))
        #expect(fresh.json().contains(#""noLogsSince": null"#))

        // Two days later: yesterday has no event in any account.
        let stale = try #require(try store.changes(lastDays: 1, today: newest + 2))
        #expect(stale.staleLogs == StateChanges.StaleLogs(newestDay: newest, today: newest + 2))
        #expect(stale.staleLogs?.quietDays == 1)
        #expect(!stale.isEmpty)
        #expect(stale.current.until == (newest + 1).start)
        #expect(stale.text().contains("NO LOGS SINCE \(newest.dateText)\n"))
        #expect(stale.text().contains("in the day before today (\((newest + 2).dateText) UTC)"))
        #expect(stale.markdown().contains("## No logs since \(newest.dateText)"))
        #expect(stale.json().contains(#""noLogsSince": "\#(newest.dateText)""#))
        #expect(stale.json().contains(#""changed": true"#))

        // A window the user names is read as asked.
        let named = try #require(
            try store.changes(lastDays: 1, until: (newest + 1).start, today: newest + 30))
        #expect(named.staleLogs == nil)

        // The command: the fixture's days are in 2024, long before today.
        let output = root.appendingPathComponent("changes.txt").path
        let base = ["changes", "--state", state, "--output", output]
        #expect(TrailAuditCommand.run(base + ["--exit-code"]) == .changed)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("NO LOGS SINCE \(newest.dateText)"))
    }

    /// Events without a recipientAccountId (or region) form a stream of their own; the text
    /// names it as `coverage` does, not as a blank.
    @Test func aStreamWithoutAccountIsNamedSo() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        let account = StateFixture.accounts[0]
        let noon = StateIngestTests.day(0) + 12 * 3600
        let anonymous =
            #"{"eventVersion":"1.09","userIdentity":{"type":"AWSService","#
            + #""invokedBy":"s3.amazonaws.com"},"eventTime":"\#(EventTime.format(noon))","#
            + #""eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"","#
            + #""eventID":"6c1e9a53-0000-4000-8000-000000000001"}"#
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: noon + 300, records: [anonymous])
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let changes = try #require(
            try store.changes(lastDays: 1, until: StateIngestTests.day(2)))
        #expect(changes.silentStreams.map(\.label) == ["(no account) (no region)"])
        #expect(changes.text().contains("\n  (no account) (no region)\n"))
        #expect(changes.json().contains(#""account": "","#))
        let view = try #require(try store.coverage(window: TimeWindow()))
        #expect(view.text().contains("  (no account) (no region): 1/1 days"))
    }

    /// A call that stops or narrows audit logging is a change every night it happens, even by
    /// a principal that made it before (so it is no new action); a refused one is a denial.
    @Test func callsThatTurnDownAuditLoggingAreAChangeEveryTime() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        var grown = fixture
        let account = StateFixture.accounts[0]
        for day in [2, 3] {
            let noon = StateIngestTests.day(day) + 12 * 3600
            let records = [
                grown.call(
                    role: "ops-role", account: account, region: "us-east-1", at: noon,
                    action: ("cloudtrail.amazonaws.com", "StopLogging")),
                grown.call(
                    role: "ops-role", account: account, region: "us-east-1", at: noon + 60,
                    action: ("guardduty.amazonaws.com", "DeleteDetector")),
                grown.denied(
                    account: account, region: "us-east-1", at: noon + 120, name: "DeleteRole"),
            ]
            try grown.writeFile(
                account: account, region: "us-east-1", delivered: noon + 300, records: records)
        }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let changes = try #require(
            try store.changes(lastDays: 1, until: StateIngestTests.day(4)))
        let role = "arn:aws:iam::\(account):role/ops-role"
        #expect(
            changes.loggingChanges.map { "\($0.principal.id) \($0.action)" }
                == ["\(role) cloudtrail:StopLogging", "\(role) guardduty:DeleteDetector"])
        #expect(changes.loggingChanges.map(\.counts.succeeded) == [1, 1])
        #expect(!changes.newActions.contains { $0.action == "cloudtrail:StopLogging" })
        #expect(!changes.isEmpty)
        #expect(changes.text().contains("AUDIT LOGGING TURNED DOWN OR CHANGED (2)"))
        #expect(
            changes.text().contains(
                "\(role): cloudtrail:StopLogging (1 call, last 2024-03-04T12:00:"))
        #expect(changes.markdown().contains("## Audit logging turned down or changed"))
        let object =
            try JSONSerialization.jsonObject(with: Data(changes.json().utf8)) as? [String: Any]
        let logged = object?["loggingChanges"] as? [[String: Any]]
        #expect(
            logged?.compactMap { $0["action"] as? String } == [
                "cloudtrail:StopLogging", "guardduty:DeleteDetector",
            ])
        #expect(logged?.first?["principal"] as? String == role)
        // The days before hold no such call.
        let before = try #require(
            try store.changes(lastDays: 1, until: StateIngestTests.day(2)))
        #expect(before.loggingChanges.isEmpty)
    }

    /// A file delivered days ago but synced a night late lands in days that night's window
    /// does not look at: the days are named, and a logging call in them is named the night
    /// it arrives (a breaking pass: a late GuardDuty DeleteDetector showed only as an action
    /// that stopped, the next night).
    @Test func lateDeliveriesAreNamedAndTheirLoggingCallsToo() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        // The earlier nights' ingests ran before the window's end (day 4, midnight).
        let store = try StateStore(path: state, create: false)
        try store.database.execute(
            "UPDATE files SET ingested_at = \(StateIngestTests.day(3) + 9_000)")
        let account = StateFixture.accounts[0]
        #expect(try store.changes(lastDays: 1, until: StateIngestTests.day(4))?.lateDays == [])

        // Tonight's sync brings a file delivered at the end of day 1; a file delivered on
        // day 3 (the window's day) but holding an event of day 2, hours late; and a file
        // outside the S3 layout with an event of day 0. Their events' days are late.
        var late = fixture
        let evening = StateIngestTests.day(1) + 86_340
        try late.writeFile(
            account: account, region: "us-east-1", delivered: evening,
            records: [
                late.call(
                    role: "intruder", account: account, region: "us-east-1", at: evening - 60,
                    action: ("guardduty.amazonaws.com", "deletedetector"))
            ])
        try late.writeFile(
            account: account, region: "us-east-1", delivered: StateIngestTests.day(3) + 19_200,
            records: [
                late.call(
                    role: "intruder", account: account, region: "us-east-1",
                    at: StateIngestTests.day(2) + 57_600,
                    action: ("cloudtrail.amazonaws.com", "StopLogging"))
            ])
        let byHand = root.appendingPathComponent("by-hand")
        try FileManager.default.createDirectory(at: byHand, withIntermediateDirectories: true)
        let record = late.call(
            role: "intruder", account: account, region: "us-east-1",
            at: StateIngestTests.day(0) + 3_600, action: ("cloudtrail.amazonaws.com", "DeleteTrail")
        )
        try Data(gzip("{\"Records\":[\(record)]}")).write(
            to: byHand.appendingPathComponent("export.json.gz"))
        // A late file of untimed events only has no late day; one with an event 20 days back
        // adds that day, not the days between.
        let untimed =
            #"{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","#
            + #""eventName":"ListBuckets","eventTime":"soon","eventID":"0d1e9a53-0000-4000"#
            + #"-8000-000000000009","recipientAccountId":"\#(account)"}"#
        try late.writeFile(
            account: account, region: "eu-west-1", delivered: StateIngestTests.day(-5) + 600,
            records: [untimed])
        try late.writeFile(
            account: account, region: "eu-west-1", delivered: StateIngestTests.day(1) + 900,
            records: [
                late.call(
                    role: "ops-role", account: account, region: "eu-west-1",
                    at: StateIngestTests.day(-19), action: ("ec2.amazonaws.com", "DescribeRegions"))
            ])
        try StateRun.ingest([late.root.path, byHand.path], into: state)
        let changes = try #require(
            try store.changes(lastDays: 1, until: StateIngestTests.day(4)))
        let day1 = DayNumber(day: StateIngestTests.day(1))
        #expect(changes.lateDays == [day1 - 20, day1 - 1, day1, day1 + 1])
        let intruder = "arn:aws:iam::\(account):role/intruder"
        #expect(
            changes.loggingChanges.map { "\($0.principal.id) \($0.action)" }
                == [
                    "\(intruder) cloudtrail:DeleteTrail", "\(intruder) cloudtrail:StopLogging",
                    "\(intruder) guardduty:deletedetector",
                ])
        #expect(!changes.isEmpty)
        #expect(
            changes.text().contains("\n  \(day1.dateText): changes --until \((day1 + 1).dateText)"))
        #expect(changes.json().contains(#""lateDays": ["#))
        #expect(changes.markdown().contains("| \(day1.dateText) |"))

        // Late days alone are a change: the comparison that would show their events never runs.
        let window = TimeWindow(since: StateIngestTests.day(3), until: StateIngestTests.day(4))
        let same = try AnalysisFixture.aggregate([
            AnalysisFixture.event(1, source: "s3", name: "ListBuckets")
        ])
        var quiet = StateChanges(current: same, in: window, previous: same, in: window)
        #expect(quiet.isEmpty)
        quiet.lateDays = [day1]
        #expect(!quiet.isEmpty)

        // A first night (every file ingested after the window) has no late days.
        try store.database.execute("UPDATE files SET ingested_at = \(StateIngestTests.day(9))")
        #expect(try store.changes(lastDays: 1, until: StateIngestTests.day(4))?.lateDays == [])
    }

    /// Every action the logging watch names is one IAM knows, spelled as the catalog spells it.
    @Test func theLoggingActionsAreCatalogActions() {
        for action in StateChanges.loggingActions.sorted() {
            #expect(IAMCatalog.shared.action(named: action)?.name == action, "\(action)")
        }
    }

    /// With a window of several days, a stream quiet on its last day is a change that night:
    /// the old rule (no event in the whole window) let a trail stopped yesterday go unsaid
    /// for up to a window's length.
    @Test func aStreamQuietOnTheWindowsLastDayIsAChangeWhateverTheWindow() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        // Days 2..4 (day 2 with logs, days 3 and 4 without): every stream stopped.
        let stopped = try #require(
            try store.changes(lastDays: 3, until: StateIngestTests.day(5)))
        #expect(stopped.silentStreams.count == 4)
        #expect(!stopped.isEmpty)
        // Days 0..2, all with logs: none.
        let logging = try #require(
            try store.changes(lastDays: 3, until: StateIngestTests.day(3)))
        #expect(logging.silentStreams.isEmpty)
    }

    /// A refused assumption hands out nothing: it is a new denial group, not a new assumer;
    /// a caller refused before is new once it succeeds.
    @Test func onlyAssumptionsThatSucceededAreNewAssumers() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        var grown = fixture
        let account = StateFixture.accounts[0]
        let fork = "repo:someone/fork:ref:refs/heads/main"
        func refused(_ at: EpochSeconds) -> String {
            grown.webIdentity(account: account, at: at, subject: fork).replacingOccurrences(
                of: #","requestParameters""#,
                with: #","errorCode":"AccessDenied","errorMessage":"Not authorized to perform"#
                    + #" sts:AssumeRoleWithWebIdentity","requestParameters""#)
        }
        let day3 = StateIngestTests.day(3) + 12 * 3600
        try grown.writeFile(
            account: account, region: "us-east-1", delivered: day3 + 300,
            records: [refused(day3)])
        let day4 = StateIngestTests.day(4) + 12 * 3600
        try grown.writeFile(
            account: account, region: "us-east-1", delivered: day4 + 300,
            records: [grown.webIdentity(account: account, at: day4, subject: fork)])
        try StateRun.ingest([grown.root.path], into: state)
        let store = try StateStore(path: state, create: false)

        let denied = try #require(try store.changes(lastDays: 1, until: StateIngestTests.day(4)))
        #expect(denied.newAssumers.isEmpty)
        #expect(denied.newDenials.map(\.key.action) == ["sts:AssumeRoleWithWebIdentity"])
        let succeeded = try #require(
            try store.changes(lastDays: 1, until: StateIngestTests.day(5)))
        #expect(succeeded.newAssumers.map { $0.caller.subject } == [fork])
    }

    /// Days `--retain` deleted are not days without logs, nor a window to compare with: after
    /// it, everything would look new and every stream gappy.
    @Test func daysDeletedByRetainAreNeitherComparedNorGaps() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<6)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state, retainDays: 3)
        let store = try StateStore(path: state, create: false)
        let kept = try #require(try store.retainedFrom())
        #expect(try store.oldestDay() == kept)
        let error = try #require(throws: StateError.self) {
            _ = try store.changes(lastDays: 2, until: kept.start + 2 * 86_400)
        }
        #expect(error.description.contains("--retain deleted the days before"))
        #expect(try store.changes(lastDays: 1, until: kept.start + 2 * 86_400) != nil)
        let view = try #require(try store.coverage(window: TimeWindow(since: kept.start - 86_400)))
        #expect(view.range.lowerBound == kept)
        #expect(view.retainedFrom == kept)
        #expect(view.rows.allSatisfy { $0.gaps.isEmpty })
        #expect(view.text().contains("--retain deleted the days before"))
        let gone = try #require(throws: StateError.self) {
            _ = try store.coverage(window: TimeWindow(until: kept.start - 86_400))
        }
        #expect(gone.description.contains("the first day --retain kept: its days were deleted"))
        // report, unused and suggest read the window from the first day kept: its length, gaps
        // and counts are of days the state holds; a window wholly before it is refused.
        let early = TimeWindow(since: kept.start - 3 * 86_400, until: kept.start + 86_400)
        let held = try store.retained(early)
        #expect(held.window == TimeWindow(since: kept.start, until: kept.start + 86_400))
        #expect(held.retainedFrom == kept)
        #expect(try store.retained(TimeWindow(since: kept.start)).retainedFrom == nil)
        #expect(throws: StateError.self) {
            _ = try store.retained(TimeWindow(until: kept.start))
        }
        let output = root.appendingPathComponent("report.json").path
        #expect(
            TrailAuditCommand.run([
                "report", "--state", state, "--format", "json", "--output", output, "--since",
                (kept - 3).dateText, "--until", (kept + 1).dateText,
            ]) == .success)
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
            as? [String: Any]
        let input = report?["input"] as? [String: Any]
        #expect(input?["since"] as? String == EventTime.format(kept.start))
        #expect(
            TrailAuditCommand.run([
                "report", "--state", state, "--output", output, "--until", kept.dateText,
            ]) == .inputFailed)
    }

    /// A state without dated events answers `changes` and `coverage` in the format asked.
    @Test func anEmptyStateAnswersInTheFormatAsked() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let state = root.appendingPathComponent("empty.db").path
        _ = try StateStore(path: state, create: true)
        let output = root.appendingPathComponent("out.json").path
        for command in ["changes", "coverage"] {
            #expect(
                TrailAuditCommand.run([
                    command, "--state", state, "--format", "json", "--output", output,
                ]) == .success)
            let object =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
            #expect(object?["stateHoldsDatedEvents"] as? Bool == false)
        }
        // Nothing to compare is no quiet night for cron (a breaking pass: exit 0).
        #expect(
            TrailAuditCommand.run(["changes", "--state", state, "--exit-code", "--output", output])
                == .changed)
    }

    /// A stream's gaps start at its first day with logs, as `coverage` counts them: a region
    /// that began logging within the windows has no gap before it.
    @Test func aStreamThatBeganWithinTheWindowsHasNoGapBeforeIt() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<4)
        defer { try? FileManager.default.removeItem(at: root) }
        var grown = fixture
        try grown.writeCall(
            role: "ops-role", account: StateFixture.accounts[0], region: "ap-south-1",
            at: StateIngestTests.day(2) + 12 * 3600)
        try StateRun.ingest([grown.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let changes = try #require(try store.changes(lastDays: 2, until: StateIngestTests.day(4)))
        let gaps = changes.coverageGaps.filter { $0.region == "ap-south-1" }
        let first = DayNumber(day: StateIngestTests.day(2))
        #expect(gaps.map(\.days) == [(first + 1)...(first + 1)])
        let view = try #require(
            try store.coverage(
                window: TimeWindow(since: StateIngestTests.day(0), until: StateIngestTests.day(4))))
        #expect(view.rows.first { $0.region == "ap-south-1" }?.daysWithLogs == 1)
    }

    /// A stream that logged before the windows and in neither of them is dark on every day of
    /// both: its gap is named (a breaking pass found it left out, while lighter gaps showed).
    @Test func aStreamDarkInBothWindowsHasItsGapNamed() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<4)
        defer { try? FileManager.default.removeItem(at: root) }
        var grown = fixture
        try grown.writeCall(
            role: "ops-role", account: StateFixture.accounts[0], region: "eu-north-1",
            at: StateIngestTests.day(0) + 12 * 3600)
        try StateRun.ingest([grown.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let changes = try #require(try store.changes(lastDays: 1, until: StateIngestTests.day(4)))
        let first = DayNumber(day: StateIngestTests.day(2))
        #expect(
            changes.coverageGaps.filter { $0.region == "eu-north-1" }.map(\.days)
                == [first...(first + 1)])
        #expect(changes.silentStreams.contains { $0.region == "eu-north-1" })
    }

    @Test func sameDayAgainstItselfHasNoChanges() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: state)
        let store = try StateStore(path: state, create: false)
        let day = TimeWindow(since: StateIngestTests.day(1), until: StateIngestTests.day(2))
        let changes = try store.changes(in: day, against: day)
        #expect(changes.isEmpty)
        #expect(changes.text().contains("nothing new, nothing stopped"))
        #expect(changes.eventsInWindow > 0)
        #expect(!changes.text().contains("neither window holds an event"))
        // The fixture's one event without a time per day is in no window, and said.
        #expect(changes.eventsWithoutTime == 2)
        #expect(changes.text().contains("(2 events of the state have no readable eventTime"))
        #expect(changes.markdown().contains("2 events of the state have no readable eventTime"))
        // Days before the state's first: not a quiet night, and said.
        let before = TimeWindow(since: StateIngestTests.day(-5), until: StateIngestTests.day(-4))
        let early = try store.changes(
            in: before,
            against: TimeWindow(
                since: StateIngestTests.day(-6), until: StateIngestTests.day(-5)))
        #expect(early.eventsInWindow == 0 && early.eventsInPreviousWindow == 0)
        #expect(early.text().contains("neither window holds an event"))
        // Not "nothing changed": --exit-code must not tell cron that all is well.
        #expect(!early.isEmpty)
        #expect(!early.text().contains("nothing new, nothing stopped"))
        #expect(early.json().contains(#""changed": true"#))
        #expect(early.json().contains(#""eventsInWindow": 0"#))
    }

    @Test func coverageNamesTheDaysWithoutLogs() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        try fixture.write(days: 0..<1)
        try fixture.write(days: 3..<4)
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([fixture.root.path], into: state)

        let view = try #require(
            try StateStore(path: state, create: false).coverage(window: TimeWindow()))
        let first = DayNumber(day: StateFixture.firstDay)
        let row = try #require(
            view.rows.first { $0.account == StateFixture.accounts[1] && $0.region == "eu-west-1" })
        // Days 0, 1 (past midnight), 3 and 4 have logs; day 2 has none.
        #expect(row.gaps == [(first + 2)...(first + 2)])
        #expect(row.daysWithLogs == 4)
        #expect(view.text().contains("no logs 2024-03-03 (1 days)"))
    }
}
