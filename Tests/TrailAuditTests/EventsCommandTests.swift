import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

@Suite struct EventsCommandTests {
    /// A role with two sessions, a user, a denied call, an error, two regions and addresses.
    static func event(
        _ id: Int, time: String, name: String = "GetObject", source: String = "s3",
        session: String? = "alice", error: String? = nil, ip: String = "198.51.100.7",
        region: String = "us-east-1", key: String = "ASIAKEY000000000000A"
    ) -> String {
        let identity =
            session.map {
                #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/de"#
                    + #"ploy/\#($0)","accountId":"111122223333","accessKeyId":"\#(key)","sessi"#
                    + #"onContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1111222"#
                    + #"23333:role/ci/deploy"}}}"#
            }
            ?? #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob","accountI"#
            + #"d":"111122223333","accessKeyId":"AKIAUSER"}"#
        let errorPart = error.map { #","errorCode":"\#($0)","errorMessage":"no""# } ?? ""
        return
            #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(time)""#
            + #","eventSource":"\#(source).amazonaws.com","eventName":"\#(name)","awsR"#
            + #"egion":"\#(region)","sourceIPAddress":"\#(ip)","userAgent":"aws-cli/2."#
            + #"15","requestParameters":{"bucketName":"logs","key":"k\#(id)"},"eventID"#
            + #"":"\#(String(format: "%08x-0000-4000-8000-000000000000", id))","recipi"#
            + #"entAccountId":"111122223333"\#(errorPart)}"#
    }

    static let records = [
        event(1, time: "2024-03-05T10:00:03Z"),
        event(2, time: "2024-03-05T10:00:01Z", session: "bob-session", key: "ASIAKEY000000000000B"),
        event(
            3, time: "2024-03-05T10:00:02Z", name: "PutObject", error: "AccessDenied",
            ip: "203.0.113.9"),
        event(
            4, time: "2024-03-05T10:00:04Z", name: "DescribeInstances", source: "ec2", session: nil,
            error: "Client.RequestLimitExceeded", ip: "2001:db8::1", region: "eu-west-1"),
    ]

    func run(_ arguments: [String]) throws -> (TrailAuditCLI.ExitStatus, String) {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // Split over two files, out of order, to check sorting across files.
        try Data("{\"Records\":[\(Self.records[0]),\(Self.records[3])]}".utf8)
            .write(to: root.appendingPathComponent("a.json"))
        try Data((Self.records[1] + "\n" + Self.records[2] + "\n").utf8)
            .write(to: root.appendingPathComponent("b.jsonl"))
        let output = root.path + "-out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = TrailAuditCommand.run(
            ["events", "--quiet", "--output", output] + arguments + [root.path])
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// The eventIDs (first eight hex digits as numbers) the JSON output lists, in order.
    func ids(_ arguments: [String]) throws -> [Int] {
        let (status, text) = try run(["--format", "json"] + arguments)
        #expect(status == .success)
        let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let events = document?["events"] as? [[String: Any]] ?? []
        return events.compactMap {
            ($0["eventID"] as? String).flatMap { Int($0.prefix(8), radix: 16) }
        }
    }

    @Test func everythingInTimeOrder() throws {
        #expect(try ids([]) == [2, 3, 1, 4])
    }

    @Test(
        arguments: [
            (["--principal", "arn:aws:iam::111122223333:role/ci/deploy"], [2, 3, 1]),
            (["--principal", "arn:aws:sts::111122223333:assumed-role/deploy/alice"], [3, 1]),
            (["--principal", "arn:aws:iam::111122223333:user/bob"], [4]),
            (["--session", "bob-session"], [2]),
            (["--access-key", "ASIAKEY000000000000B"], [2]),
            (["--action", "s3:*Object"], [2, 3, 1]),
            (["--action", "S3:put*"], [3]),
            (["--event-name", "describeinstances"], [4]),
            (["--resource", "arn:aws:s3:::logs/k1"], [1]),
            (["--ip", "203.0.113.0/24"], [3]),
            (["--ip", "2001:db8::/32"], [4]),
            (["--ip", "198.51.100.7"], [2, 1]),
            (["--user-agent", "AWS-CLI"], [2, 3, 1, 4]),
            (["--denied"], [3]),
            (["--error"], [3, 4]),
            (["--error=Client.RequestLimitExceeded"], [4]),
            (["--region", "eu-west-1"], [4]),
            (["--account", "999999999999"], []),
            (["--since", "2024-03-05T10:00:02Z", "--until", "2024-03-05T10:00:04Z"], [3, 1]),
            (["--limit", "2"], [2, 3]),
            (["--denied", "--action", "s3:Get*"], []),
        ] as [([String], [Int])])
    func filtersCombine(arguments: [String], expected: [Int]) throws {
        #expect(try ids(arguments) == expected)
    }

    /// `--resource` is a prefix of the name's bytes: S3 keys spelled with a composed `É` and
    /// with `E` and a combining accent are two objects (a breaking pass: the composed prefix
    /// found both, and `.../E` neither).
    @Test func aResourcePrefixIsMatchedByBytes() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        func object(_ id: Int, _ key: String) -> String {
            String(Self.event(id, time: "2024-03-05T10:00:0\(id)Z").dropLast())
                + #","resources":[{"ARN":"arn:aws:s3:::b/dir/\#(key)"}]}"#
        }
        let records = [object(1, "\u{C9}clair.txt"), object(2, "E\u{301}clair.txt")]
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
            .write(to: root.appendingPathComponent("r.json"))
        func found(_ prefix: String) throws -> [String] {
            let output = root.path + "-out"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let status = TrailAuditCommand.run(
                ["events", "--quiet", "--format", "json", "--output", output, "--resource"]
                    + [prefix, root.path])
            #expect(status == .success)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return (document?["events"] as? [[String: Any]] ?? []).compactMap {
                ($0["eventID"] as? String).map { String($0.prefix(8)) }
            }
        }
        #expect(try found("arn:aws:s3:::b/dir/\u{C9}clair") == ["00000001"])
        #expect(try found("arn:aws:s3:::b/dir/E") == ["00000002"])
        #expect(try found("arn:aws:s3:::b/dir/") == ["00000001", "00000002"])
    }

    /// `--resource` finds an S3 copy by the object it read as well as the one it wrote, and
    /// the listing names both (who read object X must find its copies; breaking pass).
    @Test func aCopyIsFoundByItsSource() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let copy =
            String(
                Self.event(7, time: "2024-03-05T10:00:05Z", name: "CopyObject").dropLast())
            + #","resources":[{"ARN":"arn:aws:s3:::logs/k7"},{"ARN":"arn:aws:s3:::src/k1"}]}"#
        try Data("{\"Records\":[\(copy)]}".utf8).write(to: root.appendingPathComponent("c.json"))
        func listed(_ resource: String) throws -> [[String: Any]] {
            let output = root.path + "-out"
            defer { try? FileManager.default.removeItem(atPath: output) }
            let status = TrailAuditCommand.run(
                [
                    "events", "--quiet", "--format", "json", "--output", output, "--resource",
                    resource, root.path,
                ])
            #expect(status == .success)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return document?["events"] as? [[String: Any]] ?? []
        }
        let bySource = try listed("arn:aws:s3:::src/k1")
        #expect(bySource.count == 1)
        #expect(
            bySource.first?["resources"] as? [String]
                == ["arn:aws:s3:::logs/k7", "arn:aws:s3:::src/k1"])
        #expect(try listed("arn:aws:s3:::logs/k7").count == 1)
        #expect(try listed("arn:aws:s3:::other").isEmpty)

        // The twelfth of twelve listed resources finds its event too.
        let instances = (0..<12).map {
            #"{"ARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-\#($0)"}"#
        }
        let terminate =
            String(
                Self.event(
                    8, time: "2024-03-05T10:00:06Z", name: "TerminateInstances", source: "ec2"
                ).dropLast())
            + #","resources":[\#(instances.joined(separator: ","))]}"#
        try Data("{\"Records\":[\(terminate)]}".utf8).write(
            to: root.appendingPathComponent("t.json"))
        let twelfth = try listed("arn:aws:ec2:us-east-1:111122223333:instance/i-11")
        #expect(twelfth.count == 1)
        #expect((twelfth.first?["resources"] as? [String])?.count == 12)
    }

    @Test func jsonLinesAreTheOriginalRecords() throws {
        let (status, text) = try run(["--format", "jsonl", "--denied"])
        #expect(status == .success)
        #expect(text == Self.records[2] + "\n")
    }

    /// Raw control characters inside strings (accepted on input) and characters a terminal
    /// acts on leave as escapes: every line is JSON with the same values, nothing raw.
    @Test func jsonLinesEscapeWhatTheLogHeldRaw() throws {
        let value = "a\u{1B}[31m\n\t\u{2028}\u{202E}\u{200B}\u{E0041}é😀"
        let record =
            Array(#"{"eventID":"e",\#n"userAgent":""#.utf8) + Array(value.utf8)
            + Array(#"","k":"\"q\\"}"#.utf8)
        let line = EventListing.oneLine(record)
        #expect(!line.unicodeScalars.contains { SafeText.needsEscape($0) })
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(parsed == ["eventID": "e", "userAgent": value, "k": "\"q\\"])

        // Sequences cut short by a quote or a backslash: the string still ends where it does.
        for cut in [[0xC3], [0xE2, 0x80], [0xF0, 0x9F, 0x98]] as [[UInt8]] {
            let broken =
                Array(#"{"a":"x"#.utf8) + cut + Array(#"","b":"\u001b[31m\\","#.utf8)
                + Array("\n\"c\":\"".utf8) + [0x1B] + Array(#""}"#.utf8)
            let line = EventListing.oneLine(broken)
            #expect(!line.unicodeScalars.contains { SafeText.needsEscape($0) })
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["b"] == "\u{1B}[31m\\")
            #expect(object["c"] == "\u{1B}")
        }

        // A lone surrogate escape (valid JSON text, no character: strict readers refuse it)
        // becomes U+FFFD; a pair stays as written (a breaking pass).
        let surrogates = Array(
            #"{"a":"\ud800x","b":"\udc00","c":"\ud83d\ude00","d":"\\ud800","e":"\ud800\u0041"}"#
                .utf8)
        #expect(
            EventListing.oneLine(surrogates)
                == #"{"a":"\ufffdx","b":"\ufffd","c":"\ud83d\ude00","d":"\\ud800","e":"\ufffd\u0041"}"#
        )
    }

    @Test func tableFitsOneHundredColumns() throws {
        let (_, text) = try run([])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 4 + 3)  // header, events, three resource lines
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(lines[1].hasPrefix("2024-03-05 10:00:01 deploy"))
    }

    @Test func badFilterValuesAreUsageErrors() throws {
        #expect(try run(["--ip", "not-an-ip"]).0 == .usage)
        #expect(try run(["--format", "csv"]).0 == .usage)
        #expect(try run(["--limit", "0"]).0 == .usage)
    }

    @Test(arguments: [
        ("s3:Get*", "s3:GetObject", true), ("s3:get*", "S3:GetObjectVersion", true),
        ("s3:Get?bject", "s3:GetObject", true), ("s3:*", "s3express:CreateSession", false),
        ("*", "iam:PassRole", true), ("iam:*Role", "iam:PassRole", true),
        ("iam:*Role", "iam:PassRoles", false), ("ec2:Describe*s", "ec2:DescribeInstances", true),
    ])
    func actionPatterns(pattern: String, action: String, matches: Bool) {
        #expect(ActionPattern.matches(pattern, action) == matches)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.200.1.1", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("203.0.113.7", "203.0.113.7", true), ("203.0.113.7", "203.0.113.8", false),
        ("2001:db8::/32", "2001:db8:1::5", true), ("2001:db8::/32", "2001:db9::5", false),
        ("0.0.0.0/0", "lambda.amazonaws.com", false), ("10.0.0.0/8", "2001:db8::1", false),
        // The IPv4-mapped form of an IPv4 address is that address (a breaking pass: missed).
        ("198.51.100.9", "::ffff:198.51.100.9", true),
        ("198.51.100.0/24", "::FFFF:c633:6409", true),
        ("198.51.100.9", "::ffff:198.51.100.10", false), ("198.51.100.9", "::198.51.100.9", false),
    ])
    func addressRanges(range: String, address: String, contained: Bool) throws {
        let parsed = try #require(AddressRange(range))
        #expect(parsed.contains(address) == contained)
    }
}
