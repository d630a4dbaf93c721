import Foundation
import Testing

@testable import TrailAudit

/// A forged or mis-clocked eventTime in the future must not move the state's anchors.
@Suite struct StateFutureTests {
    typealias F = AnalysisFixture

    @Test func anEventIn2099PrunesNothingAndDoesNotMoveTheHorizon() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        func write(_ name: String, _ events: [String]) throws {
            try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8)
                .write(to: logs.appendingPathComponent(name))
        }
        let real = [
            F.event(1, source: "sqs", name: "ListQueues", time: "2025-03-01T10:00:00Z"),
            F.event(2, source: "sqs", name: "ListQueues", time: "2025-03-02T10:00:00Z"),
        ]
        try write("a.json", real)
        try write(
            "b.json", [F.event(3, source: "sqs", name: "ListQueues", time: "2099-01-01T00:00:00Z")])
        let state = root.appendingPathComponent("state.db").path
        let summary = try StateRun.ingest([logs.path], into: state, retainDays: 400)
        #expect(summary.daysPruned == 0)

        // The next night re-delivers one real event: still within the horizon of its day.
        try write("c.json", [real[1]])
        try StateRun.ingest([logs.path], into: state, retainDays: 400)
        let stored = try StateStore(path: state, create: false).auditResult(window: TimeWindow())
        #expect(stored.aggregate.events.total == 3)
        #expect(
            try StateStore(path: state, create: false).newestDay() == DayNumber(day: 1_740_873_600))
    }

    /// `--window 3d` over a state whose only events lie in the future ends today: it holds
    /// none of them (it held all, the window dropped, where `changes` said no events yet).
    @Test func aWindowOverOnlyFutureEventsHoldsNone() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let future = (1...3).map {
            F.event($0, source: "sqs", name: "ListQueues", time: "2099-01-0\($0)T00:00:00Z")
        }
        try Data(("{\"Records\":[" + future.joined(separator: ",") + "]}").utf8)
            .write(to: logs.appendingPathComponent("future.json"))
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([logs.path], into: state)
        let store = try StateStore(path: state, create: false)
        #expect(try store.window(lastDays: 3) == nil)
        let window = try store.windowEndingByToday(lastDays: 3)
        let today = DayNumber(day: EpochSeconds(Date().timeIntervalSince1970))
        #expect(window.until == (today + 1).start)
        #expect(window.since == (today - 2).start)
        #expect(try store.auditResult(window: window).aggregate.events.total == 0)
        #expect(try store.auditResult(window: TimeWindow()).aggregate.events.total == 3)
    }
}

@Suite struct StateFileKeyTests {
    @Test(arguments: [
        ([UInt8]("logs/a.json".utf8), "logs/a.json"),
        ([0x61, 0xFF, 0x2E, 0x6A], "a\u{FFFD}ff.j"),
        ([0x61, 0xFE, 0x2E, 0x6A], "a\u{FFFD}fe.j"),
        ([0xC3, 0xA9, 0xC3], "é\u{FFFD}c3"),
    ])
    func namesThatDifferOnlyInInvalidBytesStayApart(raw: [UInt8], key: String) {
        let file = InputFile(rawPath: raw, key: ExportKey(path: "x"), size: 1)
        #expect(file.stateKey == key)
    }
}
