import Foundation
import Testing

@testable import TrailAudit

/// Copies of an event delivered on a later night are dropped while the original is within
/// the horizon of kept event keys, and counted again after it (the documented bound).
@Suite struct StateHorizonTests {
    /// Ingests `fixture`'s tree with a 2-day horizon.
    private static func ingest(
        _ fixture: StateFixture, into state: String, jobs: Int = RunOptions().jobs
    ) throws -> IngestSummary {
        var options = IngestOptions()
        options.dedupeDays = 2
        options.run.jobs = jobs
        return try StateIngest.run(paths: [fixture.root.path], statePath: state, options: options)
    }

    /// A call of the first account's ops-role at `time`.
    private static func call(_ fixture: inout StateFixture, at time: EpochSeconds) -> String {
        fixture.call(
            role: "ops-role", account: StateFixture.accounts[0], region: "us-east-1", at: time,
            action: ("ec2.amazonaws.com", "DescribeInstances"))
    }

    @Test func copyOnALaterNightIsDroppedWithinTheHorizonOnly() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        let state = root.appendingPathComponent("state.db").path
        let account = StateFixture.accounts[0]
        let day0 = StateFixture.firstDay + 10 * 3600
        func ingest() throws -> IngestSummary { try Self.ingest(fixture, into: state) }
        func events() throws -> Int { try StateRun.events(in: state) }
        func call(at time: EpochSeconds) -> String { Self.call(&fixture, at: time) }

        let original = call(at: day0)
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day0 + 300,
            records: [original, call(at: day0 + 1)])
        #expect(try ingest().eventsCommitted == 2)

        // Night 2: CloudTrail delivers the first event again, with a new one.
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day0 + 86_400,
            records: [original, call(at: day0 + 86_000)])
        let second = try ingest()
        #expect(second.eventsCommitted == 1)
        #expect(second.input.duplicateEvents == 1)
        #expect(try events() == 3)

        // Five days later the original's key has left the 2-day horizon: a copy now counts.
        let day5 = day0 + 5 * 86_400
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day5 + 300,
            records: [call(at: day5)])
        #expect(try ingest().eventsCommitted == 1)
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day5 + 600,
            records: [original])
        let late = try ingest()
        #expect(late.eventsCommitted == 1)
        #expect(late.input.duplicateEvents == 0)
        #expect(try events() == 5)
    }

    /// A copy is dropped or counted by the delivery days of the files that hold it, whether
    /// they are read in one run or on two nights: the earlier night's keys keep their file's
    /// delivery day. (Stored keys used to be seen by every later file: the copy below, five
    /// days from its original, was dropped on a second night but not when both files were read
    /// at once, so a crashed and resumed ingest could count differently from a clean one.)
    @Test func aCopyCountsTheSameInOneRunAndOnTwoNights() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        let account = StateFixture.accounts[0]
        let day0 = StateFixture.firstDay + 10 * 3600
        // One job: the three copies of `original` below span 5 days, more than the horizon
        // plus a day (3), so with two workers which copy claims first could change the count
        // (README, known limits).
        func ingest(into state: String) throws -> IngestSummary {
            try Self.ingest(fixture, into: state, jobs: 1)
        }
        func events(in state: String) throws -> Int { try StateRun.events(in: state) }
        func call(at time: EpochSeconds) -> String { Self.call(&fixture, at: time) }
        let original = call(at: day0)
        // Night 1: the original; night 2: its copy delivered 5 days later (beyond the 2-day
        // horizon plus a day), and one delivered 2 days later (within it).
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day0 + 300, records: [original])
        let nightly = root.appendingPathComponent("nightly.db").path
        #expect(try ingest(into: nightly).eventsCommitted == 1)
        let copy = call(at: day0 + 60)
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day0 + 5 * 86_400,
            records: [original, copy])
        // (With one more event: the same bytes as the other file would make it a copy.)
        try fixture.writeFile(
            account: account, region: "us-east-1", delivered: day0 + 2 * 86_400,
            records: [original, copy, call(at: day0 + 120)])
        let second = try ingest(into: nightly)
        #expect(second.input.duplicateEvents == 2)
        #expect(try events(in: nightly) == 4)

        let once = root.appendingPathComponent("once.db").path
        let clean = try ingest(into: once)
        #expect(clean.input.duplicateEvents == 2)
        #expect(try events(in: once) == 4)
    }
}
