import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

@Suite struct PipelineTests {
    static func event(
        _ id: Int, name: String = "ListQueues", time: String = "2024-03-05T10:00:00Z",
        errorCode: String? = nil
    ) -> String {
        let error = errorCode.map { #","errorCode":"\#($0)","errorMessage":"no""# } ?? ""
        return
            #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn"#
            + #":aws:sts::111122223333:assumed-role/app/s\#(id % 3)","accountId":"1111"#
            + #"22223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:"#
            + #"aws:iam::111122223333:role/team/app"}}},"eventTime":"\#(time)","eventS"#
            + #"ource":"sqs.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east"#
            + #"-1","sourceIPAddress":"198.51.100.\#(id % 7)","userAgent":"agent-\#(id % 2)""#
            + #","eventID":"\#(String(format: "%08x-0000-4000-8000-%012x", id, id))",""#
            + #"recipientAccountId":"111122223333"\#(error)}"#
    }

    static func records(_ ids: Range<Int>) -> String {
        "{\"Records\":[" + ids.map { event($0) }.joined(separator: ",") + "]}"
    }

    /// A tree of gzip files with overlapping events, one truncated file and one digest.
    static func makeTree() throws -> URL {
        let root = try temporaryDirectory()
        let day = root.appendingPathComponent(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05")
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: day.appendingPathComponent(name))
        }
        try write(
            "111122223333_CloudTrail_us-east-1_20240305T1005Z_a.json.gz", gzip(records(0..<300)))
        // Overlaps the first file by 100 events and repeats one of its own.
        try write(
            "111122223333_CloudTrail_us-east-1_20240305T1010Z_b.json.gz",
            gzip(records(200..<400) + records(399..<400)))
        try write(
            "111122223333_CloudTrail_us-east-1_20240305T1015Z_c.jsonl.gz",
            gzip((400..<450).map { event($0) }.joined(separator: "\n")))
        let broken = gzip(records(1000..<1100))
        try write(
            "111122223333_CloudTrail_us-east-1_20240305T1020Z_d.json.gz",
            Array(broken.prefix(broken.count / 2)))
        return root
    }

    @Test func countsEachEventOnceAndFailedFilesNotAtAll() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = runReport([root.path], jobs: 2)
        #expect(report.input.events == 450)
        #expect(report.input.duplicateEvents == 101)
        #expect(report.input.filesRead == 3)
        #expect(report.input.failed.count == 1)
        #expect(report.input.failed.first?.path.hasSuffix("_d.json.gz") == true)
        let role = report.principal("arn:aws:iam::111122223333:role/team/app")
        #expect(role?.action("sqs:ListQueues")?.counts.succeeded == 450)
        #expect(role?.sessions.sorted == ["s0", "s1", "s2"])
    }

    @Test func outputIsIdenticalForAnyJobCountAndFileOrder() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let day = root.appendingPathComponent(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05")
        let files = try FileManager.default.contentsOfDirectory(atPath: day.path).sorted()
            .map { day.appendingPathComponent($0).path }
        let reference = runReport([root.path], jobs: 1).json()
        #expect(runReport([root.path], jobs: 2).json() == reference)
        #expect(runReport([root.path], jobs: 5).json() == reference)
        #expect(runReport(files.reversed(), jobs: 3).json() == reference)
    }

    @Test func largeFileIsSplitIntoBatchesAndStillCountedOnce() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("big.json.gz")
        // About 6 MB inflated: several batches handed to other workers.
        try Data(gzip(Self.records(0..<12_000))).write(to: path)
        let one = runReport([path.path], jobs: 1)
        let three = runReport([path.path], jobs: 3)
        #expect(one.input.events == 12_000)
        #expect(three.json() == one.json())
    }

    /// Workers fill the next batch with the buffers of one decoded before (theirs or another
    /// worker's): each event of each file counts once, whatever the file sizes and jobs.
    @Test func batchesReusedAcrossFilesAndWorkersCountEachEventOnce() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ranges = [0..<12_000, 12_000..<12_003, 20_000..<27_000, 30_000..<30_001]
        for (index, range) in ranges.enumerated() {
            try Data(gzip(Self.records(range))).write(
                to: root.appendingPathComponent("\(index).json.gz"))
        }
        let one = runReport([root.path], jobs: 1)
        #expect(one.input.events == 19_004)
        #expect(one.input.duplicateEvents == 0)
        let role = one.principal("arn:aws:iam::111122223333:role/team/app")
        #expect(role?.action("sqs:ListQueues")?.counts.succeeded == 19_004)
        #expect(runReport([root.path], jobs: 2).json() == one.json())
        #expect(runReport([root.path], jobs: 3).json() == one.json())
    }

    /// Files around `PendingEvents.limit` (held whole, held to the limit and counted on into
    /// their own aggregate, or failing with events held): each event of a good file counts
    /// once, none of a failed file, the same in a report and in a state, with any jobs.
    @Test func filesAroundTheHoldLimitCountEachEventOnce() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let limit = PendingEvents.limit
        let sizes = [1, limit - 1, limit, limit + 1, 2 * limit + 3]
        var first = 0
        for (index, size) in sizes.enumerated() {
            try Data(gzip(Self.records(first..<first + size))).write(
                to: root.appendingPathComponent("\(index).json.gz"))
            first += size + 10_000
        }
        for (index, size) in [limit + 10, 5].enumerated() {
            let broken = gzip(Self.records(first..<first + size))
            try Data(broken.prefix(broken.count - 4)).write(
                to: root.appendingPathComponent("broken-\(index).json.gz"))
            first += size + 10_000
        }
        let expected = sizes.reduce(0, +)
        let one = runReport([root.path], jobs: 1)
        #expect(one.input.events == expected)
        #expect(one.input.failed.count == 2)
        let role = one.principal("arn:aws:iam::111122223333:role/team/app")
        #expect(role?.action("sqs:ListQueues")?.counts.succeeded == expected)
        #expect(role?.sessions.sorted == ["s0", "s1", "s2"])
        #expect(runReport([root.path], jobs: 3).json() == one.json())

        // The state keeps no record of failed files: all but the input summary compares.
        let stateFolder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: stateFolder) }
        let state = stateFolder.appendingPathComponent("state.db").path
        try StateRun.ingest([root.path], into: state, jobs: 3)
        #expect(try StateRun.events(in: state) == expected)
        func counts(_ json: String) throws -> NSDictionary {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
            let report = try #require(object as? [String: Any])
            return report.filter { $0.key != "input" } as NSDictionary
        }
        #expect(try counts(StateRun.stateJSON(state)) == counts(StateRun.directJSON([root.path])))
    }

    /// A file's held events stop at the limit, whatever its size: the rest is counted into its
    /// own aggregate as it is read.
    @Test func aLargeFileHoldsAtMostTheLimit() throws {
        let claims = EventClaims(horizonDays: 7, contentSeed: 0)
        var decoder = EventDecoder(window: TimeWindow())
        var partial = FilePartial()
        let count = 3 * PendingEvents.limit
        for id in 0..<count {
            try Array(Self.event(id).utf8).withUnsafeBytes {
                try decoder.decode(
                    $0, context: .recordsElement, into: &partial,
                    dedupe: .claim(claims, file: 0, day: EventClaims.timeless))
            }
        }
        #expect(partial.findings.pending.events.count == PendingEvents.limit)
        #expect(partial.findings.aggregate.events.total == count - PendingEvents.limit)
        #expect(partial.findings.settled.aggregate.events.total == count)
        #expect(partial.findings.settled.pending.isEmpty)
    }

    /// An exporter that writes `\/` in the session ARN: the session name is still read, from
    /// the decoded ARN (it was dropped, and `events --session` found nothing; breaking pass).
    @Test func aSessionARNWrittenWithEscapesKeepsItsSessionName() throws {
        let claims = EventClaims(horizonDays: 7, contentSeed: 0)
        var decoder = EventDecoder(window: TimeWindow())
        var partial = FilePartial()
        let escaped = Self.event(1).replacingOccurrences(
            of: "assumed-role/app/s1", with: #"assumed-role\/app\/s\u0031"#)
        #expect(escaped != Self.event(1))
        try Array(escaped.utf8).withUnsafeBytes {
            try decoder.decode(
                $0, context: .recordsElement, into: &partial,
                dedupe: .claim(claims, file: 0, day: EventClaims.timeless))
        }
        let usage = try #require(partial.findings.settled.aggregate.principals.values.first)
        #expect(usage.sessions.sorted == ["s1"])
    }

    /// A file drops copies of events another file, still being read, holds; that file fails
    /// and gives them back; the first file meets one of them again and claims it. That one it
    /// counts already: only the other is left to recover (recovering both counted one twice,
    /// now and then under `--jobs` 2 and more, found by a breaking pass).
    @Test func aCopyClaimedAfterItsOwnerFailedIsNotRecoveredAgain() throws {
        let claims = EventClaims(horizonDays: 7, contentSeed: 0)
        var decoder = EventDecoder(window: TimeWindow())
        let events = (0..<3).map { AnalysisFixture.event($0, source: "sqs", name: "ListQueues") }
        func decode(_ event: Int, file: Int32, into partial: inout FilePartial) throws {
            try Array(events[event].utf8).withUnsafeBytes {
                try decoder.decode(
                    $0, context: .recordsElement, into: &partial,
                    dedupe: .claim(claims, file: file, day: EventClaims.timeless))
            }
        }
        var failing = FilePartial()
        var good = FilePartial()
        for event in 0..<2 { try decode(event, file: 1, into: &failing) }
        let keys = failing.claimedKeys.keys
        for event in 0..<3 { try decode(event, file: 0, into: &good) }
        #expect(good.droppedCopies.map(\.key) == keys)
        claims.release(failing.claimedKeys, of: 1)
        try decode(0, file: 0, into: &good)  // claimed now, and counted
        #expect(good.findings.settled.aggregate.events.total == 2)
        #expect(good.copiesNotClaimedHere.map(\.key) == [keys[1]])
    }

    @Test(arguments: [1, 2])
    func eventsSharedWithAFileThatFailsLaterAreStillCounted(jobs: Int) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // The broken copy sorts first, so it claims events in batches before it fails.
        let full = gzip(Self.records(0..<12_000))
        try Data(full.prefix(full.count / 2)).write(
            to: root.appendingPathComponent("1-broken.json.gz"))
        try Data(full).write(to: root.appendingPathComponent("2-good.json.gz"))
        let report = runReport([root.path], jobs: jobs)
        #expect(
            report.input.failed.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "1-broken.json.gz"
            ])
        #expect(report.input.eventsInFailedFiles > 1000)
        #expect(report.input.events == 12_000)
        #expect(report.input.duplicateEvents == 0)
        let role = report.principal("arn:aws:iam::111122223333:role/team/app")
        #expect(role?.action("sqs:ListQueues")?.counts.succeeded == 12_000)
    }

    @Test func timeWindowFiltersEventsAndSkipsFilesByKey() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let after = runReport(
            [root.path], window: TimeWindow(since: EventTime.parse("2024-03-06T00:00:00Z")))
        #expect(after.input.events == 0)
        #expect(after.input.skipped.filter { $0.reason.contains("window") }.count == 4)

        let inside = runReport(
            [root.path], window: TimeWindow(until: EventTime.parse("2024-03-05T10:00:01Z")))
        #expect(inside.input.events == 450)
        let before = runReport(
            [root.path], window: TimeWindow(until: EventTime.parse("2024-03-05T10:00:00Z")))
        #expect(before.input.events == 0)
        #expect(before.input.eventsOutsideWindow == 450 + 101)
    }

    /// A file name's delivery stamp has minutes only: a file stamped 10:05 may hold an event
    /// of 10:05:40, so `--since 10:05:30` reads it (it was skipped as delivered before the
    /// window, found by a breaking pass); `--since 10:06` may skip it.
    @Test func aFileDeliveredInTheMinuteTheWindowStartsIsRead() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let day = root.appendingPathComponent(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05")
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        try Data(
            gzip("{\"Records\":[" + Self.event(1, time: "2024-03-05T10:05:40Z") + "]}")
        ).write(
            to: day.appendingPathComponent(
                "111122223333_CloudTrail_us-east-1_20240305T1005Z_a.json.gz"))
        let inside = runReport(
            [root.path], window: TimeWindow(since: EventTime.parse("2024-03-05T10:05:30Z")))
        #expect(inside.input.events == 1)
        let after = runReport(
            [root.path], window: TimeWindow(since: EventTime.parse("2024-03-05T10:06:00Z")))
        #expect(after.input.events == 0)
        #expect(after.input.skipped.count == 1)
    }

    @Test func envelopesAreUnwrapped() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let inner = Self.event(1)
        let quoted = inner.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        let cloudWatch =
            #"{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"\#(quoted)"}]}"#
        let bridge =
            #"{"version":"0","detail-type":"AWS API Call via CloudTrail","detail":\#(Self.event(2))}"#
        try Data(cloudWatch.utf8).write(to: root.appendingPathComponent("cw.json"))
        try Data(gzip(bridge)).write(to: root.appendingPathComponent("eb.json.gz"))
        try Data("[\(Self.event(3)),\(Self.event(4))]".utf8).write(
            to: root.appendingPathComponent("array.json"))
        let report = runReport([root.path])
        #expect(report.input.events == 4)
        #expect(report.input.failed.isEmpty)
    }

    @Test func deniedCallsAreNeverUse() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let text =
            "{\"Records\":[" + Self.event(1, name: "DeleteQueue", errorCode: "AccessDenied") + "]}"
        try Data(text.utf8).write(to: root.appendingPathComponent("x.json"))
        let report = runReport([root.path])
        let usage = report.principal("arn:aws:iam::111122223333:role/team/app")?.action(
            "sqs:DeleteQueue")
        #expect(usage?.counts.succeeded == 0)
        #expect(usage?.counts.denied == 1)
        #expect(report.accessDenied.count == 1)
    }

    /// The text report's callers of a role say how many of their assumptions were refused.
    @Test func refusedAssumptionsAreSaidBesideTheirCount() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let request = #"{"roleArn":"arn:aws:iam::111122223333:role/deploy","roleSessionName":"x"}"#
        let events = [
            AnalysisFixture.event(1, source: "sts", name: "AssumeRole", request: request),
            AnalysisFixture.event(
                2, source: "sts", name: "AssumeRole", error: "AccessDenied", request: request),
        ]
        let text = "{\"Records\":[" + events.joined(separator: ",") + "]}"
        try Data(text.utf8).write(to: root.appendingPathComponent("x.json"))
        let lines = runReport([root.path]).text(top: 20).split(separator: "\n")
        let caller = try #require(lines.first { $0.contains("AssumeRole by ") })
        #expect(caller.hasSuffix(": 2 (1 denied)"))
    }

    @Test func exitStatusSaysSomeInputFailed() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.path + "-report.json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        #expect(
            TrailAuditCommand.run([
                "report", "--quiet", "--format", "json", "--output", output, root.path,
            ]) == .inputFailed)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
            as? [String: Any]
        let input = json?["input"] as? [String: Any]
        #expect(input?["events"] as? Int == 450)
        #expect(input?["filesFailed"] as? Int == 1)
    }

    /// Paths that hold no log file (a wrong path, a sync that brought nothing) fail, as a
    /// failed file does: an empty report or an ingest of nothing would pass for a quiet night.
    /// Log files outside the window, digest files beside logs, or other shards' files do not.
    @Test func pathsWithoutALogFileFail() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: empty.appendingPathComponent("README.txt"))
        let output = root.appendingPathComponent("out.txt").path
        let state = root.appendingPathComponent("state.db").path
        #expect(
            TrailAuditCommand.run(["report", "--quiet", "--output", output, empty.path])
                == .inputFailed)
        #expect(
            TrailAuditCommand.run(["ingest", "--quiet", "--state", state, empty.path])
                == .inputFailed)
        let tree = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let good = tree.appendingPathComponent("AWSLogs")
        #expect(
            TrailAuditCommand.run([
                "report", "--quiet", "--output", output, "--since", "2031-01-01", good.path,
            ]) == .success)
    }
}

extension PipelineTests {
    /// Two different records that share an eventID are two events, whichever file comes first;
    /// byte-identical copies are one.
    @Test(arguments: [1, 2, 3])
    func sharedEventIDsWithDifferentContentAreBothCounted(jobs: Int) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let original = Self.event(7)
        let changed = original.replacingOccurrences(of: "us-east-1", with: "eu-west-1")
        try Data("{\"Records\":[\(original)]}".utf8).write(
            to: root.appendingPathComponent("a.json"))
        try Data("{\"Records\":[\(changed),\(original)]}".utf8).write(
            to: root.appendingPathComponent("b.json"))
        let reference = runReport([root.path], jobs: 1).json()
        let report = runReport([root.path], jobs: jobs)
        #expect(report.input.events == 2)
        #expect(report.input.duplicateEvents == 1)
        #expect(report.input.regions == ["eu-west-1", "us-east-1"])
        #expect(report.json() == reference)
    }
}

extension PipelineTests {
    /// Workers add their counts to the run's result as they go (`eventsBetweenShares`): after
    /// every file or only at the end, the report is the same, and so are `events` and `trace`.
    @Test(arguments: [1, 2, 3])
    func countsSharedAfterEveryFileGiveTheSameResult(jobs: Int) throws {
        let root = sharedRoot.appendingPathComponent("realdata").path
        func run(sharingEvery events: Int, _ configure: (inout RunOptions) -> Void = { _ in })
            -> AuditResult
        {
            var options = RunOptions()
            options.jobs = jobs
            options.eventsBetweenShares = events
            configure(&options)
            return AuditRun.run(ExportTree(paths: [root]), options: options)
        }
        let report = { (result: AuditResult) in Report(result, window: TimeWindow()).json() }
        let atTheEnd = run(sharingEvery: .max)
        #expect(atTheEnd.input.filesRead > 10)
        #expect(report(run(sharingEvery: 1)) == report(atTheEnd))

        var all = EventFilter()
        all.deniedOnly = true
        let matches = run(sharingEvery: .max) { $0.filter = all }.matches
        #expect(matches.count > 10)
        #expect(run(sharingEvery: 1) { $0.filter = all }.matches.count == matches.count)

        let trace = run(sharingEvery: .max) { $0.collectsTrace = true }.trace
        let sharedTrace = run(sharingEvery: 1) { $0.collectsTrace = true }.trace
        #expect(!trace.isEmpty)
        #expect(sharedTrace.usage.count == trace.usage.count)
        #expect(sharedTrace.issues.count == trace.issues.count)
    }

    @Test func cloudWatchControlMessagesAndNestedEnvelopes() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let inner = Self.event(1)
        let quoted = inner.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        let control =
            #"{"messageType":"CONTROL_MESSAGE","logEvents":[{"id":"","timestamp":1,""#
            + #"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose"# + #"."}]}"#
        let data =
            #"{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"\#(quoted)"}]}"#
        try Data((control + "\n" + data).utf8).write(to: root.appendingPathComponent("cw.json"))
        // An envelope inside an envelope is not unwrapped a second time.
        let nested = #"{"detail":{"detail":\#(Self.event(2))}}"#
        try Data(nested.utf8).write(to: root.appendingPathComponent("nested.json"))
        // A Records array holding objects that are not events: read, and said so.
        try Data(#"{"Records":[{},{"foo":1},\#(Self.event(3))]}"#.utf8).write(
            to: root.appendingPathComponent("mixed.json"))
        let report = runReport([root.path])
        #expect(report.input.events == 2)
        #expect(
            report.input.failed.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "nested.json"
            ])
        #expect(report.input.nonCallRecords == 1)
        #expect(report.input.unrecognizedRecords == 2)
    }
}
