import Foundation
import Testing

@testable import TrailAudit

/// A file that fails after claiming events that another file also holds: those events are
/// counted from the other file, in the state as in a direct run. With 4 jobs, idle workers
/// decode the broken file's first batch (the shared events) while it is still being read, so
/// the good file drops its copies, waits, and gets them back after the broken file fails (the
/// writer's recovery path); with fewer jobs the good file claims them itself.
@Suite struct StateRecoveryTests {
    @Test(arguments: [1, 2, 4])
    func eventsOfAFailedFileAreCountedFromTheirCopies(jobs: Int) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        let account = StateFixture.accounts[0]
        let start = StateFixture.firstDay + 8 * 3600
        let shared = (0..<50).map {
            fixture.call(
                role: "ops-role", account: account, region: "us-east-1", at: start + $0,
                action: ("s3.amazonaws.com", "ListBuckets"))
        }
        let filler = (0..<3000).map {
            fixture.call(
                role: "app/orders-role", account: account, region: "us-east-1",
                at: start + 100 + EpochSeconds($0 % 3000),
                action: ("dynamodb.amazonaws.com", "DescribeTable"))
        }
        // Broken: the shared events first, then over a megabyte of others, then cut short.
        let broken = try fixture.writeFile(
            account: account, region: "us-east-1", delivered: start + 300,
            records: shared + filler)
        let bytes = try Data(contentsOf: broken)
        try bytes.prefix(bytes.count - 100).write(to: broken)
        // Good: its own events, then the shared ones at the end.
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: start + 360,
            records: Array(
                filler.prefix(1500).map { $0.replacingOccurrences(of: "8000-0", with: "8000-1") })
                + shared)

        let state = root.appendingPathComponent("state.db").path
        let summary = try StateRun.ingest([fixture.root.path], into: state, jobs: jobs)
        #expect(summary.input.failed.map(\.path) == [broken.path])

        var direct = runReport([fixture.root.path], jobs: jobs)
        let fromState = Report(
            try StateStore(path: state, create: false).auditResult(window: TimeWindow()))
        #expect(
            fromState.principal("arn:aws:iam::\(account):role/ops-role")?
                .action("s3:ListAllMyBuckets")?.counts.succeeded == 50)
        direct.input.failed = []
        direct.input.eventsInFailedFiles = 0
        #expect(fromState.json() == direct.json())
    }
}
