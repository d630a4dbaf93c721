import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

@Suite struct HostileInputTests {
    /// A forged log of distinct event names and issuer ARNs: the decoder's caches of actions
    /// and principals stop at their bound instead of growing with the log, and every event
    /// still counts under its own principal, before and after a cache starts again.
    @Test func decoderCachesStayBoundedOverDistinctNamesAndIssuers() throws {
        var decoder = EventDecoder(window: TimeWindow())
        var partial = FilePartial()
        let claims = EventClaims(horizonDays: 7, contentSeed: 0)
        func role(_ index: Int) -> String { "arn:aws:iam::111122223333:role/forged-\(index)" }
        var largest = (actions: 0, principals: 0)
        let count = EventDecoder.cacheLimit + 500
        // The last event is the first principal's again, after both caches started again.
        for (id, index) in zip(0...count, Array(0..<count) + [0]) {
            let event = AnalysisFixture.event(
                id, source: "ec2", name: "Forged\(index)",
                identity: AnalysisFixture.session(of: role(index)))
            try Array(event.utf8).withUnsafeBytes {
                try decoder.decode(
                    $0, context: .recordsElement, into: &partial,
                    dedupe: .claim(claims, file: 0, day: 0))
            }
            largest.actions = max(largest.actions, decoder.actionCache.count)
            largest.principals = max(largest.principals, decoder.principalCache.count)
        }
        #expect(largest.actions == EventDecoder.cacheLimit)
        #expect(largest.principals == EventDecoder.cacheLimit)
        let principals = partial.findings.settled.aggregate.principals
        #expect(principals.count == count)
        #expect(principals[Principal(id: role(0), type: .role)]?.counts.total == 2)
        #expect(principals[Principal(id: role(0), type: .role)]?.actions.count == 1)
        #expect(principals[Principal(id: role(count - 1), type: .role)]?.counts.total == 1)
        #expect(partial.findings.settled.aggregate.events.total == count + 1)
    }

    /// Every real public file runs without a crash; only the files that are not CloudTrail logs
    /// (a deliberately malformed fixture and three index files) fail, each with its reason.
    @Test func allOfTheRealDataRuns() {
        let report = runReport([sharedRoot.appendingPathComponent("realdata").path], jobs: 2)
        let failed = report.input.failed.map { URL(fileURLWithPath: $0.path).lastPathComponent }
        #expect(
            failed == [
                "SerializerTestFileBadJsonFormat.json", "cloudtrail-user-guide_events.index.jsonl",
                "iam-user-guide_events.index.jsonl", "panther_cloudtrail_test_events.index.jsonl",
            ])
        #expect(report.input.failed.allSatisfy { !$0.reason.isEmpty })
        // 854 records with a CloudTrail event key in any letter case (counted with Python; 8 of
        // them Panther lines with all-lowercase keys), and 3 Insights records.
        #expect(report.input.events + report.input.duplicateEvents == 854)
        #expect(report.input.nonCallRecords == 3)
    }

    static let escapeEvent =
        #"{"Records":[{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","a"#
        + #"rn":"arn:aws:iam::111122223333:user/evil\u001b[2J\u0007","accountId":""#
        + #"111122223333"},"eventTime":"2024-03-05T10:00:00Z","eventSource":"s3.am"#
        + #"azonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIP"#
        + #"Address":"198.51.100.1","userAgent":"agent\u001b]0;owned\u0007 \u202e|"#
        + #"`x`|","eventID":"00000001-0000-4000-8000-000000000001","errorCode":"Ac"#
        + #"cessDenied","errorMessage":"bad \u0000 \ud800 message"}]}"#

    func writeEscapeTree() throws -> URL {
        let root = try temporaryDirectory()
        var bytes = Array(Self.escapeEvent.utf8)
        // Raw invalid UTF-8 inside a string value, too.
        let marker = Array("198.51.100.1".utf8)
        if let index = bytes.firstRange(of: marker)?.lowerBound {
            bytes.insert(contentsOf: [0xFF, 0xFE], at: index)
        }
        try Data(bytes).write(to: root.appendingPathComponent("evil.json"))
        return root
    }

    @Test func textOutputEscapesControlCharacters() throws {
        let root = try writeEscapeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let text = runReport([root.path]).text(top: 20)
        #expect(
            !text.unicodeScalars.contains {
                $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E
            })
        #expect(text.contains(#"user/evil\x1b[2J\x07"#))
        #expect(text.contains(#"agent\x1b]0;owned\x07 \u{202e}"#))
    }

    @Test func jsonOutputIsValidWhateverTheBytes() throws {
        let root = try writeEscapeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let json = runReport([root.path]).json()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let principals = parsed?["principals"] as? [[String: Any]]
        #expect(
            principals?.first?["principal"] as? String
                == "arn:aws:iam::111122223333:user/evil\u{1B}[2J\u{07}")
        #expect(!json.contains("\u{1B}"))
    }

    @Test func markdownEscapesTableSeparatorsAndBackticks() throws {
        let root = try writeEscapeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let markdown = runReport([root.path]).markdown(top: 20)
        #expect(Report.cell("a|b`c") == #"a\|b\`c"#)
        #expect(!markdown.contains("\u{1B}"))
    }

    /// AWS's error codes are short: a forged 200 KB one is clipped where people read (text,
    /// Markdown) and kept whole in JSON, which programs read.
    @Test func aHugeErrorCodeIsClippedInTextAndWholeInJSON() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let code = "AccessDenied" + String(repeating: "x", count: 200_000)
        let event = Self.escapeEvent.replacingOccurrences(
            of: #""errorCode":"AccessDenied""#, with: #""errorCode":"\#(code)""#)
        try Data(event.utf8).write(to: root.appendingPathComponent("long.json"))
        let report = runReport([root.path])
        let clipped = String(code.prefix(Report.errorCodeWidth - 3)) + "..."
        #expect(report.text(top: 20).contains(clipped + ": "))
        #expect(report.text(top: 20).count < 10_000)
        #expect(report.markdown(top: 20).contains("| \(clipped) |"))
        #expect(report.json().contains(code))
        // So is a forged action name, in the principals' table and the denials.
        let name = "Get" + String(repeating: "y", count: 100_000)
        try Data(
            Self.escapeEvent.replacingOccurrences(of: "GetObject", with: name).utf8
        ).write(to: root.appendingPathComponent("long.json"))
        let named = runReport([root.path]).text(top: 20)
        #expect(named.count < 10_000)
        #expect(named.contains("s3:" + String(name.prefix(Report.nameWidth - 6)) + "..."))
    }

    @Test func strictStopsAtTheFirstBadFile() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("{not json".utf8).write(to: root.appendingPathComponent("a.json"))
        for index in 0..<20 {
            try Data(PipelineTests.records(index..<(index + 1)).utf8)
                .write(to: root.appendingPathComponent("b\(index).json"))
        }
        var options = RunOptions()
        options.jobs = 1
        options.strict = true
        let result = AuditRun.run(ExportTree(paths: [root.path]), options: options)
        #expect(result.input.failed.count == 1)
        #expect(result.input.filesRead == 0)
        #expect(
            TrailAuditCommand.run([
                "report", "--quiet", "--strict", "--output", "/dev/null", root.path,
            ]) == .inputFailed)
    }

    @Test func specialFilesAndSymlinksInsideDirectoriesAreNotOpened() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let fifo = root.appendingPathComponent("pipe.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("loop").path,
            withDestinationPath: root.path)
        try Data(PipelineTests.records(0..<2).utf8).write(
            to: root.appendingPathComponent("ok.json"))
        try Data(PipelineTests.records(5..<6).utf8).write(
            to: root.appendingPathComponent(".hidden.json"))
        try Data().write(to: root.appendingPathComponent("empty.json.gz"))
        let report = runReport([root.path])
        #expect(report.input.events == 2)
        #expect(
            report.input.skipped.map(\.reason).sorted() == [
                "hidden (name starts with '.'), not read",
                "special file (FIFO, socket or device), not opened",
                "symbolic link inside a directory, not followed",
            ])
        #expect(report.input.failed.map(\.reason) == [InputError.emptyFile.description])
    }

    @Test func namedLinksAndPipesAreReadAndOverlappingPathsCountOnce() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("ok.json")
        try Data(PipelineTests.records(0..<3).utf8).write(to: file)
        let link = root.path + "-link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file.path)
        defer { unlink(link) }
        let fifo = root.path + "-pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo)
            handle?.write(Data(PipelineTests.records(10..<14).utf8))
            try? handle?.close()
        }
        writer.start()

        let report = runReport([root.path, file.path, link, fifo])
        #expect(report.input.events == 7)
        #expect(report.input.filesRead == 2)
        #expect(
            report.input.skipped.map(\.reason) == [
                "already read through another path", "already read through another path",
            ])
    }

    @Test func fileNamesThatAreNotUTF8AreRead() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let name =
            Array(root.path.utf8) + Array("/bad\u{1B}".utf8) + [0xFF, 0xFE] + Array(".json".utf8)
        let descriptor = ExportTree.withCString(name) { open($0, O_WRONLY | O_CREAT, 0o600) }
        #expect(descriptor >= 0)
        let bytes = Array(PipelineTests.records(0..<4).utf8)
        #expect(write(descriptor, bytes, bytes.count) == bytes.count)
        close(descriptor)
        let report = runReport([root.path])
        #expect(report.input.events == 4)
        #expect(report.input.failed.isEmpty)
    }

    @Test func wrongTypesInFieldsAreReadAsAbsent() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let record =
            #"{"eventVersion":1.09,"userIdentity":"someone","eventTime":12,"eventSou"#
            + #"rce":"sqs.amazonaws.com","eventName":"ListQueues","requestParameters":"#
            + #""queueName=x","responseElements":[1,2],"resources":{"ARN":"x"},"errorC"#
            + #"ode":false}"#
        try Data(record.utf8).write(to: root.appendingPathComponent("odd.jsonl"))
        let report = runReport([root.path])
        #expect(report.input.failed.isEmpty)
        #expect(report.principals.map(\.principal) == [.unknown])
        #expect(report.principals.first?.action("sqs:ListQueues")?.counts.succeeded == 1)
    }
}

extension HostileInputTests {
    /// Bad files mixed into a tree change nothing about what the good files say.
    @Test(arguments: [1, 2])
    func badFilesBesideGoodOnesCostNothing(jobs: Int) throws {
        let good = try PipelineTests.makeTree()
        defer { try? FileManager.default.removeItem(at: good) }
        let day = good.appendingPathComponent(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05")
        try FileManager.default.removeItem(
            at: day.appendingPathComponent(
                "111122223333_CloudTrail_us-east-1_20240305T1020Z_d.json.gz"))
        let alone = runReport([good.path], jobs: jobs)

        let mixed = try PipelineTests.makeTree()
        defer { try? FileManager.default.removeItem(at: mixed) }
        let mixedDay = mixed.appendingPathComponent(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05")
        let full = gzip(PipelineTests.records(0..<50))
        let hostile: [(String, [UInt8])] = [
            ("e1.json.gz", Array(full.prefix(full.count - 9))),  // truncated
            ("e2.json.gz", full + Array("junk".utf8)),  // garbage after the member
            ("e3.json", Array("{\"Records\":[{\"eventName\":\"x\"".utf8)),  // unbalanced
            (
                "e4.json",
                Array(
                    (String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8
                )
            ),
            ("e5.json.gz", []),  // empty
            ("e6.json", [0xEF, 0xBB, 0xBF, 0xFF, 0x00, 0x7B]),  // BOM, then bytes that are not JSON
        ]
        for (name, bytes) in hostile {
            try Data(bytes).write(to: mixedDay.appendingPathComponent(name))
        }
        let withBad = runReport([mixed.path], jobs: jobs)

        #expect(withBad.input.failed.count == alone.input.failed.count + hostile.count + 1)
        #expect(withBad.input.events == alone.input.events)
        #expect(withBad.input.duplicateEvents == alone.input.duplicateEvents)
        let strip = { (report: Report) -> String in
            var copy = report
            copy.input = alone.input
            return copy.json()
        }
        #expect(strip(withBad) == strip(alone))
    }

    /// A folder of enough files that glibc's directory buffer fills: every name is read whole
    /// and nothing past it (the walk copied each entry's full 256-byte name field, which for
    /// the buffer's last entry lies past its end; AddressSanitizer, which CI runs the suite
    /// under, stopped on it; found by a breaking pass).
    @Test func aLargeFolderIsListedNameByName() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var expected: Set<String> = []
        for index in 0..<1500 {
            let name =
                String(format: "f%05d_", index) + String(repeating: "n", count: index % 40)
                + ".json"
            try Data(#"{"Records":[]}"#.utf8).write(to: root.appendingPathComponent(name))
            expected.insert(name)
        }
        let tree = ExportTree(paths: [root.path])
        #expect(tree.failed.isEmpty)
        #expect(Set(tree.files.map { URL(fileURLWithPath: $0.name).lastPathComponent }) == expected)
    }

    @Test func aFileThatVanishesBeforeItIsReadIsNamed() throws {
        let root = try PipelineTests.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = ExportTree(paths: [root.path])
        let victim = try #require(tree.files.first)
        #expect(unlink(victim.name) == 0)
        var options = RunOptions()
        options.jobs = 2
        let result = AuditRun.run(tree, options: options)
        #expect(
            result.input.failed.contains {
                $0.path == victim.name && $0.reason.contains("No such file")
            })
    }
}

extension HostileInputTests {
    @Test func fileNamesWithLineBreaksAndEscapesAreShownEscaped() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let name = "bad\nname\u{1B}[31m.json"
        try Data("not json".utf8).write(to: root.appendingPathComponent(name))
        let report = runReport([root.path])
        #expect(report.input.failed.count == 1)
        let text = report.text(top: 5)
        #expect(text.contains(#"bad\x0aname\x1b[31m.json"#))
        #expect(!text.contains("\u{1B}"))
    }
}
