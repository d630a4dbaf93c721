import Foundation
import Testing

@testable import TrailAudit

/// Which copies of an event a run drops, when claims are forgotten (the horizon), files fail
/// and workers race; the cases a breaking pass found in the ninth session's horizon rule.
@Suite struct DuplicateHorizonTests {
    /// Writes `records` as an S3-layout file delivered `day` days after 2024-03-01, or as a
    /// file without a delivery time when `day` is nil; `truncated` cuts its gzip in half.
    private static func write(
        _ records: [String], day: Int?, name: String, under root: URL, truncated: Bool = false
    ) throws {
        let folder: URL
        let file: String
        if let day {
            let stamp = EventTime.format(1_709_251_200 + EpochSeconds(day) * 86_400 + 300)
            let digits = stamp.filter(\.isNumber)
            folder = root.appendingPathComponent(
                "AWSLogs/111122223333/CloudTrail/us-east-1/\(digits.prefix(4))/"
                    + "\(digits.dropFirst(4).prefix(2))/\(digits.dropFirst(6).prefix(2))")
            file =
                "111122223333_CloudTrail_us-east-1_\(digits.prefix(8))T"
                + "\(digits.dropFirst(8).prefix(4))Z_\(name).json.gz"
        } else {
            folder = root.appendingPathComponent("other")
            file = "\(name).json.gz"
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bytes = gzip("{\"Records\":[" + records.joined(separator: ",") + "]}")
        try Data(truncated ? Array(bytes.prefix(bytes.count / 2)) : bytes)
            .write(to: folder.appendingPathComponent(file))
    }

    private static func events(_ ids: Range<Int>) -> [String] {
        ids.map { PipelineTests.event($0) }
    }

    /// G (day 0) and B (day 1) hold an event; A (day 10, too far to see G) holds it too, with
    /// 40,000 others that make the claim table forget G's claims while A is read, and fails.
    /// B dropped its copy because of G, not A: the event counts once, from G. (The first rule
    /// recovered every copy of an event a failed file had held: B's was counted again.) Also
    /// when A lists none of its keys (past the limit, its claims are found by owner).
    @Test(arguments: [EventClaims.defaultKeyListLimit, 0])
    func aFailedFileRecoversOnlyTheCopiesItAloneHeld(keyListLimit: Int) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let shared = Self.events(0..<1)
        try Self.write(shared, day: 0, name: "g", under: root)
        try Self.write(shared, day: 1, name: "b", under: root)
        try Self.write(
            shared + Self.events(1..<40_001), day: 10, name: "a", under: root, truncated: true)
        for jobs in [1, 2] {
            let input = runReport([root.path], jobs: jobs, keyListLimit: keyListLimit).input
            #expect(input.events == 1, "jobs \(jobs)")
            #expect(input.duplicateEvents == 1, "jobs \(jobs)")
            #expect(input.failed.count == 1, "jobs \(jobs)")
        }
    }

    /// A file without a delivery time sees every claim and is seen by every file, so it claims
    /// its events before any S3-layout file claims one, however many workers there are: here
    /// its copy (last of 50,001 events) makes both S3 copies, 20 days apart, duplicates.
    @Test func filesWithoutADeliveryTimeClaimFirst() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let shared = Self.events(0..<1)
        try Self.write(Self.events(1..<50_001) + shared, day: nil, name: "export", under: root)
        try Self.write(shared, day: 0, name: "first", under: root)
        try Self.write(shared, day: 20, name: "late", under: root)
        for jobs in [1, 2, 2, 3] {
            let input = runReport([root.path], jobs: jobs).input
            #expect(input.events == 50_001, "jobs \(jobs)")
            #expect(input.duplicateEvents == 2, "jobs \(jobs)")
        }
    }

    /// An event delivered again every 9 days (never within the horizon of its last claim)
    /// replaces its claims that no file can see any more instead of piling them up: one key's
    /// claims are probed one after another, so a pile would make each claim slower.
    @Test func aKeyDeliveredAgainAndAgainHoldsFewClaims() {
        var table = ClaimTable()
        let key = EventKey(high: 3, low: 4)
        for step in 0..<100 {
            let day = DayNumber(step * 9)
            #expect(
                table.insert(key, owner: Int32(step), day: day, reach: 8) { day - 8 } == nil)
        }
        #expect(table.count == 1)
        #expect(table.insert(key, owner: 500, day: 99 * 9 + 3, reach: 8) == 99)
    }

    /// A file that fails gives its claims back, and every claim of those events is kept from
    /// then on: a file that dropped a copy because of the failed file is checked against them
    /// at the end of the run, whatever the table forgot in between.
    /// With a key list or without (found by owner), the same.
    @Test(arguments: [nil, 0] as [Int?])
    func claimsOfEventsAFailedFileHeldAreKept(keyListLimit: Int?) {
        let event = EventKey(high: 1, low: 2)
        for fails in [false, true] {
            let claims = EventClaims(horizonDays: 7, keyListLimit: keyListLimit)
            claims.started(day: 10)
            claims.started(day: 19)
            var claimed = ClaimedKeys()
            #expect(claims.claim(event, file: 1, day: 10) == .claimed)
            claimed.append(event, limit: claims.keyListLimit)
            #expect(claimed.isComplete == (keyListLimit == nil))
            #expect(claims.claim(event, file: 2, day: 19) == .claimed)
            if fails { claims.release(claimed, of: 1) }
            claims.finished(day: 10)
            claims.finished(day: 19)
            claims.started(day: 40)
            for index in 0..<150_000 { _ = claims.claim(spreadKey(index), file: 3, day: 40) }
            claims.finished(day: 40)
            // File 4 (day 12) checks its copy at the end of the run: it sees file 2's claim
            // only while that is kept.
            let expected: EventClaims.Claim = fails ? .duplicate(owner: 2) : .claimed
            #expect(claims.claim(event, file: 4, day: 12) == expected, "fails: \(fails)")
        }
    }

    /// A copy of an event a committed file counts can never be counted (a committed file's
    /// claims stand): the claim says so, and the decoder keeps nothing for it, so a run full
    /// of copies does not hold one record per copy until its end.
    @Test func aCopyOfACommittedFilesEventIsSettled() {
        let claims = EventClaims(horizonDays: 7)
        let event = EventKey(high: 5, low: 6)
        #expect(claims.claim(event, file: 70, day: 3) == .claimed)
        #expect(claims.claim(event, file: 71, day: 4) == .duplicate(owner: 70))
        claims.committed(file: 70)
        #expect(claims.claim(event, file: 72, day: 5) == .duplicate(owner: 70, settled: true))
        #expect(
            claims.claim(EventKey(high: 5, low: 7), file: EventClaims.earlierRun, day: 3)
                == .claimed)
        #expect(
            claims.claim(EventKey(high: 5, low: 7), file: 73, day: 3)
                == .duplicate(owner: EventClaims.earlierRun, settled: true))
    }

    /// `ingest` sets aside the second of two files with the same bytes: what it claimed passes
    /// to its twin, so no other file finds those events unclaimed in between (a released claim
    /// let a file 7 days later claim one, changing which copies of a spread-out event counted:
    /// 1 event in 1,390, now and then, with 3 jobs), and the twin finds its own claim when it
    /// counts them at the end.
    /// With a key list or without (found by owner), the same.
    @Test(arguments: [nil, 0] as [Int?])
    func aCopysClaimsPassToItsTwin(keyListLimit: Int?) {
        let claims = EventClaims(horizonDays: 7)
        let event = EventKey(high: 9, low: 10)
        var claimed = ClaimedKeys()
        #expect(claims.claim(event, file: 1, day: 5) == .claimed)
        claimed.append(event, limit: keyListLimit)
        #expect(claims.claim(event, file: 0, day: 5) == .duplicate(owner: 1))
        claims.transfer(claimed, from: 1, to: 0, day: 5)
        #expect(claims.claim(event, file: 2, day: 12) == .duplicate(owner: 0))
        #expect(claims.claim(event, file: 0, day: 5) == .duplicate(owner: 0))
        claims.release([event], file: 1)
        #expect(claims.claim(event, file: 3, day: 13) == .duplicate(owner: 0))
    }
}

@Suite struct ClaimedKeysTests {
    /// A file lists its keys up to the limit; past it the list goes (memory does not follow a
    /// single file's events), and a failing file's claims are then found by their owner: all
    /// of them, and only them.
    @Test func aFileWhoseListWasDroppedGivesBackEveryClaimItHeld() {
        let claims = EventClaims(horizonDays: 7, keyListLimit: 3)
        var claimed = ClaimedKeys()
        for index in 0..<10 {
            #expect(claims.claim(spreadKey(index), file: 1, day: 5) == .claimed)
            claimed.append(spreadKey(index), limit: claims.keyListLimit)
            #expect(claimed.isComplete == (index < 3))
        }
        #expect(claims.claim(spreadKey(10), file: 2, day: 5) == .claimed)
        #expect(claims.claim(spreadKey(0), file: 2, day: 5) == .duplicate(owner: 1))

        claims.release(claimed, of: 1)
        for index in 0..<10 {
            #expect(claims.claim(spreadKey(index), file: 3, day: 5) == .claimed)
        }
        #expect(claims.claim(spreadKey(10), file: 3, day: 5) == .duplicate(owner: 2))
    }

    /// Pieces of one file merge their lists; one incomplete piece makes the whole incomplete.
    @Test func piecesMergeTheirLists() {
        var first = ClaimedKeys()
        var second = ClaimedKeys()
        first.append(spreadKey(0), limit: 2)
        second.append(spreadKey(1), limit: 2)
        var merged = first
        merged.merge(second)
        #expect(merged.isComplete && merged.keys == [spreadKey(0), spreadKey(1)])
        for index in 2..<5 { second.append(spreadKey(index), limit: 2) }
        merged.merge(second)
        #expect(!merged.isComplete && merged.keys.isEmpty)
    }
}
