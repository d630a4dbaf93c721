import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// Generated chains: user → role → cross-account role, GitHub OIDC → role → role, SAML user →
/// role, a broken chain, and a key used from two addresses.
@Suite struct TraceTests {
    /// A UUID-shaped eventID unique per `id`.
    static func eventID(_ id: Int) -> String {
        String(format: "%08x-0000-4000-8000-000000000000", id)
    }

    static func record(
        time: String, identity: String, source: String = "sts", name: String,
        request: String = "null", response: String = "null", ip: String = "198.51.100.1",
        account: String = "111122223333", id: Int
    ) -> String {
        #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(time)""#
            + #","eventSource":"\#(source).amazonaws.com","eventName":"\#(name)","awsR"#
            + #"egion":"us-east-1","sourceIPAddress":"\#(ip)","requestParameters":\#(request),"#
            + #""responseElements":\#(response),"eventID":"\#(eventID(id))""#
            + #","recipientAccountId":"\#(account)"}"#
    }

    static func user(_ name: String, key: String) -> String {
        #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/\#(name)","acc"#
            + #"ountId":"111122223333","accessKeyId":"\#(key)","userName":"\#(name)"}"#
    }

    static func session(
        _ role: String, _ session: String, key: String, account: String = "111122223333",
        source: String? = nil
    ) -> String {
        let sourcePart = source.map { #","sourceIdentity":"\#($0)""# } ?? ""
        return
            #"{"type":"AssumedRole","arn":"arn:aws:sts::\#(account):assumed-role/\#(role)/\#(session)""#
            + #","accountId":"\#(account)","accessKeyId":"\#(key)","sessionContext":{""#
            + #"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::\#(account):role/\#(role)""#
            + #"}\#(sourcePart)}}"#
    }

    static func assume(
        _ role: String, account: String = "111122223333", session: String, issued: String
    )
        -> (String, String)
    {
        (
            #"{"roleArn":"arn:aws:iam::\#(account):role/\#(role)","roleSessionName":"\#(session)"}"#,
            #"{"credentials":{"accessKeyId":"\#(issued)","sessionToken":"x","expiration":"y"}}"#
        )
    }

    static let events: [String] = {
        var list: [String] = []
        // 1. alice (long-term key) -> role deploy -> cross-account role ops in 444455556666.
        let a1 = assume("deploy", session: "alice", issued: "ASIADEPLOY0000000001")
        list.append(
            record(
                time: "2024-03-05T10:00:00Z", identity: user("alice", key: "AKIAALICE00000000001"),
                name: "AssumeRole", request: a1.0, response: a1.1, id: 1))
        let a2 = assume(
            "ops", account: "444455556666", session: "alice-ops", issued: "ASIAOPS0000000000001")
        list.append(
            record(
                time: "2024-03-05T10:01:00Z",
                identity: session("deploy", "alice", key: "ASIADEPLOY0000000001", source: "alice"),
                name: "AssumeRole", request: a2.0, response: a2.1, id: 2))
        // The role owner's copy of the cross-account call: no caller key.
        list.append(
            record(
                time: "2024-03-05T10:01:00Z",
                identity:
                    #"{"type":"AWSAccount","principalId":"AROA:alice","accountId":"111122223333"}"#,
                name: "AssumeRole", request: a2.0, response: a2.1, account: "444455556666", id: 3))
        // The ops session works from two addresses.
        list.append(
            record(
                time: "2024-03-05T10:02:00Z",
                identity: session(
                    "ops", "alice-ops", key: "ASIAOPS0000000000001", account: "444455556666"),
                source: "s3", name: "ListBuckets", ip: "203.0.113.5", account: "444455556666", id: 4
            ))
        list.append(
            record(
                time: "2024-03-05T10:03:00Z",
                identity: session(
                    "ops", "alice-ops", key: "ASIAOPS0000000000001", account: "444455556666"),
                source: "s3", name: "ListBuckets", ip: "192.0.2.77", account: "444455556666", id: 5)
        )
        // 2. GitHub Actions -> role ci -> role publish.
        let w1 = assume("ci", session: "GitHubActions", issued: "ASIACI00000000000001")
        list.append(
            record(
                time: "2024-03-05T11:00:00Z",
                identity:
                    #"{"type":"WebIdentityUser","principalId":"x","userName":"repo:org/app:r"#
                    + #"ef:refs/heads/main","identityProvider":"token.actions.githubuserconten"#
                    + #"t.com"}"#,
                name: "AssumeRoleWithWebIdentity", request: w1.0,
                response:
                    #"{"credentials":{"accessKeyId":"ASIACI00000000000001"},"subjectFromWebI"#
                    + #"dentityToken":"repo:org/app:ref:refs/heads/main","provider":"arn:aws:i"#
                    + #"am::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#,
                id: 6))
        let w2 = assume("publish", session: "release", issued: "ASIAPUBLISH000000001")
        list.append(
            record(
                time: "2024-03-05T11:01:00Z",
                identity: session("ci", "GitHubActions", key: "ASIACI00000000000001"),
                name: "AssumeRole", request: w2.0, response: w2.1, id: 7))
        // 3. SAML user -> role admins.
        list.append(
            record(
                time: "2024-03-05T12:00:00Z",
                identity:
                    #"{"type":"SAMLUser","principalId":"x","userName":"jane@example.com","id"#
                    + #"entityProvider":"idp"}"#,
                name: "AssumeRoleWithSAML",
                request:
                    #"{"roleArn":"arn:aws:iam::111122223333:role/admins","roleSessionName":""#
                    + #"jane","principalArn":"arn:aws:iam::111122223333:saml-provider/corp"}"#,
                response:
                    #"{"credentials":{"accessKeyId":"ASIASAML000000000001"},"subject":"jane@example.com"}"#,
                id: 8))
        // 4. A session whose own issuing event is missing.
        list.append(
            record(
                time: "2024-03-05T13:00:00Z",
                identity: session("orphan", "o", key: "ASIAORPHAN0000000001"),
                source: "ec2", name: "DescribeInstances", id: 9))
        return list
    }()

    func traces(_ identifier: String) throws -> [KeyTrace] {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // Split across two files, the second one first in time order.
        try Data(("{\"Records\":[" + Self.events[4...].joined(separator: ",") + "]}").utf8)
            .write(to: root.appendingPathComponent("a.json"))
        try Data(Self.events[..<4].joined(separator: "\n").utf8).write(
            to: root.appendingPathComponent("b.jsonl"))
        var options = RunOptions()
        options.collectsTrace = true
        let index = AuditRun.run(ExportTree(paths: [root.path]), options: options).trace
        return index.startKeys(for: identifier).map(index.trace)
    }

    /// The trace index of one run over `records`, written as one Records file.
    static func index(of records: [String]) throws -> TraceIndex {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
            .write(to: root.appendingPathComponent("records.json"))
        var options = RunOptions()
        options.collectsTrace = true
        return AuditRun.run(ExportTree(paths: [root.path]), options: options).trace
    }

    /// A role that assumes itself hop after hop: the tree's indentation stops growing at
    /// `deepestIndent` and the deeper hops carry their number (a breaking pass: 20,000 hops
    /// printed 2.4 GB of indentation).
    @Test func aLongChainIsDrawnWithBoundedIndentation() throws {
        func key(_ hop: Int) -> String { String(format: "ASIAHOP%013d", hop) }
        let hops = 80
        let records = (1...hops).map { hop in
            let (request, response) = Self.assume("loop", session: "s\(hop)", issued: key(hop))
            let identity =
                hop == 1
                ? Self.user("bob", key: "AKIABOB0000000000001")
                : Self.session("loop", "s\(hop - 1)", key: key(hop - 1))
            return Self.record(
                time: String(format: "2024-03-05T%02d:%02d:00Z", hop / 60, hop % 60),
                identity: identity, name: "AssumeRole", request: request, response: response,
                id: 500 + hop)
        }
        let index = try Self.index(of: records)
        let trace = try #require(index.startKeys(for: key(hops)).map(index.trace).first)
        #expect(trace.chain.count == hops)
        let text = trace.text()
        let lines = text.split(separator: "\n" as Character)
        let widest = lines.map { line in line.prefix { $0 == " " }.count }.max()
        #expect(widest == 3 * (KeyTrace.deepestIndent + 1))
        #expect(text.contains("└─ (hop \(hops)) AssumeRole"))
        #expect(!text.contains("(hop \(KeyTrace.deepestIndent)) "))
        #expect(text.contains("key \(key(hops))  <= this key"))
        // From the first key down: every hop, none left out below some depth.
        let down = index.trace(key(1))
        #expect(down.descendants.map(\.depth) == Array(1..<hops))
        #expect(down.descendants.last?.issue.issuedKey == key(hops))
        #expect(down.keys.count == hops + 1)
    }

    /// Two keys that issued each other: the trace says the chain loops, not that the key
    /// was never issued (a breaking pass's forged pair).
    @Test func aChainThatLoopsIsSaidToLoop() throws {
        let (a, b) = ("ASIACYCLE00000000000A", "ASIACYCLE00000000000B")
        let (toB, gaveB) = Self.assume("r2", session: "s1", issued: b)
        let (toA, gaveA) = Self.assume("r3", session: "s2", issued: a)
        let records = [
            Self.record(
                time: "2024-03-05T10:00:00Z", identity: Self.session("r3", "s2", key: a),
                name: "AssumeRole", request: toB, response: gaveB, id: 601),
            Self.record(
                time: "2024-03-05T10:01:00Z", identity: Self.session("r2", "s1", key: b),
                name: "AssumeRole", request: toA, response: gaveA, id: 602),
        ]
        let trace = try Self.index(of: records).trace(a)
        #expect(trace.chain.map(\.issuedKey) == [b, a])
        guard case .broken(let key, let reason) = trace.origin else {
            Issue.record("origin \(trace.origin)")
            return
        }
        #expect(key == a)
        #expect(reason.hasPrefix("the chain loops back to this key"))
    }

    /// Two events that say one key was issued to calls made with two different keys cannot
    /// both be true: the trace follows the earliest and names the other caller key, in any
    /// order of reading; the role owner's copy of a cross-account call (no caller key) is no
    /// conflict.
    @Test func aKeyIssuedTwiceNamesTheOtherCaller() throws {
        let issued = "ASIATWICE00000000001"
        let (request, response) = Self.assume("r", session: "s", issued: issued)
        let first = Self.record(
            time: "2024-03-05T10:00:00Z",
            identity: Self.session("a", "x", key: "ASIAFIRST0000000001"),
            name: "AssumeRole", request: request, response: response, id: 701)
        let second = Self.record(
            time: "2024-03-05T10:05:00Z",
            identity: Self.session("b", "y", key: "ASIASECOND000000001"),
            name: "AssumeRole", request: request, response: response, id: 702)
        let ownerCopy = Self.record(
            time: "2024-03-05T10:00:00Z",
            identity: #"{"type":"AWSAccount","accountId":"444455556666"}"#,
            name: "AssumeRole", request: request, response: response, id: 703)
        for records in [[first, second, ownerCopy], [ownerCopy, second, first]] {
            let trace = try Self.index(of: records).trace(issued)
            #expect(trace.chain.last?.callerKey == "ASIAFIRST0000000001")
            #expect(trace.chain.last?.otherCallerKeys == ["ASIASECOND000000001"])
            #expect(trace.text().contains("OTHER EVENTS ISSUED THIS KEY TO ASIASECOND000000001"))
            var writer = JSONWriter()
            trace.json(into: &writer)
            #expect(writer.output.contains(#""otherCallerKeys": ["#))
        }
        // The two copies of one cross-account call: no conflict.
        let index = try Self.index(of: [ownerCopy, first])
        #expect(index.trace(issued).chain.last?.otherCallerKeys == [])
        #expect(!index.trace(issued).text().contains("OTHER EVENTS"))
    }

    @Test func userToRoleToCrossAccountRole() throws {
        let trace = try #require(try traces("ASIAOPS0000000000001").first)
        #expect(trace.chain.map(\.issuedKey) == ["ASIADEPLOY0000000001", "ASIAOPS0000000000001"])
        #expect(trace.chain.last?.callerKey == "ASIADEPLOY0000000001")
        #expect(trace.chain.last?.sourceIdentity == "alice")
        guard case .longTermKey(let key, let user) = trace.origin else {
            Issue.record("origin \(trace.origin)")
            return
        }
        #expect(key == "AKIAALICE00000000001")
        #expect(user.id == "arn:aws:iam::111122223333:user/alice")
        let ops = try #require(trace.keys.first { $0.key == "ASIAOPS0000000000001" }?.usage)
        #expect(ops.sourceIPs.sorted == ["192.0.2.77", "203.0.113.5"])
        #expect(ops.counts.total == 2)
    }

    /// A key seen under two session names (synthetic data reuses keys) is told under the
    /// smallest, whichever file or worker saw which first (a run with two workers told either).
    @Test func aKeyUnderTwoSessionsIsToldUnderOneWhateverTheOrder() throws {
        let principal = Principal(
            id: "arn:aws:iam::111122223333:role/app", type: .role)
        var first = KeyUsage(principal: principal, session: "zeta")
        var second = KeyUsage(principal: principal, session: "alpha")
        first.counts.record(.succeeded, at: 1)
        second.counts.record(.succeeded, at: 2)
        var forward = first
        forward.merge(second)
        var backward = second
        backward.merge(first)
        #expect(forward.session == "alpha")
        #expect(backward.session == "alpha")
        #expect(forward.counts.total == 2)
        // A smaller principal wins over any session of a larger one; no session comes first.
        var other = KeyUsage(
            principal: Principal(
                id: "arn:aws:iam::111122223333:role/aaa", type: .role),
            session: "zzz")
        other.merge(forward)
        #expect(other.principal.id == "arn:aws:iam::111122223333:role/aaa")
        #expect(other.session == "zzz")
        var unnamed = KeyUsage(principal: principal, session: nil)
        unnamed.merge(forward)
        #expect(unnamed.session == nil)
    }

    @Test func walkingDownFromTheLongTermKey() throws {
        let trace = try #require(try traces("AKIAALICE00000000001").first)
        #expect(trace.chain.isEmpty)
        #expect(
            trace.descendants.map { [String($0.depth), $0.issue.issuedKey] } == [
                ["1", "ASIADEPLOY0000000001"], ["2", "ASIAOPS0000000000001"],
            ])
    }

    @Test func githubOIDCToRoleToRole() throws {
        let trace = try #require(try traces("ASIAPUBLISH000000001").first)
        #expect(trace.chain.map(\.api) == ["AssumeRoleWithWebIdentity", "AssumeRole"])
        #expect(
            trace.origin
                == .federated(
                    Principal(id: "token.actions.githubusercontent.com", type: .webIdentity),
                    subject: "repo:org/app:ref:refs/heads/main"))
    }

    @Test func samlUserToRole() throws {
        let trace = try #require(try traces("jane").first)
        #expect(trace.key == "ASIASAML000000000001")
        #expect(
            trace.origin
                == .federated(
                    Principal(id: "arn:aws:iam::111122223333:saml-provider/corp", type: .saml),
                    subject: "jane@example.com"))
    }

    @Test func brokenChainIsSaidPlainly() throws {
        let trace = try #require(
            try traces("arn:aws:sts::111122223333:assumed-role/orphan/o").first)
        #expect(trace.key == "ASIAORPHAN0000000001")
        guard case .broken(let key, _) = trace.origin else {
            Issue.record("origin \(trace.origin)")
            return
        }
        #expect(key == "ASIAORPHAN0000000001")
        #expect(trace.text().contains("UNKNOWN ORIGIN"))
    }

    @Test func unknownIdentifierFindsNothing() throws {
        #expect(try traces("ASIANOTHERE000000000").isEmpty)
    }

    @Test func commandPrintsTheChainAndTimeline() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(Self.events.joined(separator: "\n").utf8).write(
            to: root.appendingPathComponent("all.jsonl"))
        let output = root.path + "-trace.json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = TrailAuditCommand.run(
            [
                "trace", "ASIAOPS0000000000001", "--timeline", "--format", "json", "--quiet",
                "--output", output, root.path,
            ])
        #expect(status == .success)
        let document =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
            as? [String: Any]
        let trace = (document?["traces"] as? [[String: Any]])?.first
        #expect((trace?["origin"] as? [String: Any])?["kind"] as? String == "longTermKey")
        #expect((trace?["chain"] as? [Any])?.count == 2)
        // Timeline: every event of alice's key, the deploy key and the ops key.
        #expect((document?["timeline"] as? [Any])?.count == 4)
    }
}

extension TraceTests {
    func timeline(_ principal: String, bucket: EpochSeconds) throws -> TimelineAggregate {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(Self.events.joined(separator: "\n").utf8).write(
            to: root.appendingPathComponent("all.jsonl"))
        var options = RunOptions()
        options.timeline = TimelineQuery(principal: principal, bucket: bucket)
        return AuditRun.run(ExportTree(paths: [root.path]), options: options).timeline
    }

    @Test func timelineShowsWhatWasNewWhen() throws {
        let activity = try timeline("arn:aws:iam::444455556666:role/ops", bucket: 60)
        let rows = activity.rows(bucket: 60)
        #expect(
            rows.map { EventTime.format($0.start) } == [
                "2024-03-05T10:01:00Z", "2024-03-05T10:02:00Z", "2024-03-05T10:03:00Z",
            ])
        #expect(rows.map(\.counts.total) == [0, 1, 1])
        // The role owner's copy of the cross-account call names only the caller's account:
        // with the caller's own copy read, the account is no assumer of its own (a breaking
        // pass: the timeline listed it beside the role, which `report` folds).
        #expect(rows[0].new.map(\.value) == ["arn:aws:iam::111122223333:role/deploy"])
        #expect(
            rows[1].new.map { "\($0.kind.rawValue) \($0.value)" } == [
                "action s3:ListAllMyBuckets", "sourceIP 203.0.113.5",
            ])
        #expect(rows[2].new.map(\.value) == ["192.0.2.77"])
    }

    /// The owner's copy alone (the caller's trail not read) leaves the account as the
    /// assumer, as does an owner's copy no named caller's copy accounts for.
    @Test func timelineKeepsAnAccountNoNamedCallerAccountsFor() throws {
        func assumers(_ events: [String]) throws -> [String] {
            let root = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            try Data(events.joined(separator: "\n").utf8).write(
                to: root.appendingPathComponent("all.jsonl"))
            var options = RunOptions()
            options.timeline = TimelineQuery(
                principal: "arn:aws:iam::444455556666:role/ops", bucket: 60)
            let activity = AuditRun.run(ExportTree(paths: [root.path]), options: options).timeline
            return activity.rows(bucket: 60).flatMap(\.new).filter { $0.kind == .assumer }
                .map(\.value)
        }
        let ownerCopy = try #require(Self.events.first { $0.contains(Self.eventID(3)) })
        let callerCopy = try #require(Self.events.first { $0.contains(Self.eventID(2)) })
        #expect(try assumers([ownerCopy]) == ["111122223333"])
        let secondOwnerCopy = ownerCopy.replacingOccurrences(
            of: Self.eventID(3), with: Self.eventID(99))
        #expect(
            try assumers([ownerCopy, secondOwnerCopy, callerCopy]).sorted() == [
                "111122223333", "arn:aws:iam::111122223333:role/deploy",
            ])
    }

    /// A principal the input never shows gets a table with a line that says so, not an
    /// empty table that looks like a quiet principal.
    @Test func aTimelineOfAnUnknownPrincipalSaysSo() throws {
        let nobody = try timeline("arn:aws:iam::111122223333:role/nobody", bucket: 3600)
        #expect(nobody.rows(bucket: 3600).isEmpty)
        #expect(
            nobody.text(principal: "role/nobody", bucket: 3600).contains(
                "(no event of this principal in the input"))
        let ops = try timeline("arn:aws:iam::444455556666:role/ops", bucket: 60)
        #expect(!ops.text(principal: "ops", bucket: 60).contains("no event of this principal"))
    }

    @Test func timelineNamesTheWebIdentitySubjectThatAssumedTheRole() throws {
        let activity = try timeline("arn:aws:iam::111122223333:role/ci", bucket: 3600)
        let rows = activity.rows(bucket: 3600)
        #expect(rows.count == 1)
        #expect(rows.first?.counts.total == 1)
        #expect(
            rows.first?.new.contains(
                FirstSighting(
                    kind: .assumer,
                    value: "token.actions.githubusercontent.com (repo:org/app:ref:refs/heads/main)")
            ) == true)
        let json = activity.json(principal: "arn:aws:iam::111122223333:role/ci", bucket: 3600)
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(document?["bucket"] as? String == "hour")
    }

    /// The text shows an assumer whole: two GitHub branches of a long repository name differ
    /// only at the end, which clipping at 90 columns cut off (a long user agent is clipped).
    @Test func timelineTextShowsALongAssumerWhole() {
        let subject =
            "repo:example-organisation/a-repository-with-a-long-name:ref:refs/heads/release/2024"
        let assumer = "token.actions.githubusercontent.com (\(subject))"
        let agent = String(repeating: "agent/1.0 ", count: 20)
        var activity = TimelineAggregate()
        activity.see(FirstSighting(kind: .assumer, value: assumer), at: 1_709_632_800)
        activity.see(FirstSighting(kind: .userAgent, value: agent), at: 1_709_632_800)
        let text = activity.text(principal: "role/ci", bucket: 3600)
        #expect(text.contains("    first assumer \(assumer)\n"))
        #expect(!text.contains(agent))
        #expect(text.contains("first user agent agent/1.0 agent/1.0"))
    }

    /// Real data: a Stratus Red Team run, user → role, in SampleLogs.
    @Test func stratusRunInSampleLogs() throws {
        var options = RunOptions()
        options.collectsTrace = true
        let index = AuditRun.run(
            ExportTree(paths: [repositoryRoot.appendingPathComponent("SampleLogs").path]),
            options: options
        ).trace
        let trace = index.trace("ASIANQQHHS551LWULIWD")
        #expect(trace.chain.map(\.api) == ["AssumeRole"])
        #expect(
            trace.origin
                == .longTermKey(
                    "AKIAWOGXN38MFN92ING5",
                    Principal(id: "arn:aws:iam::457448411975:user/christophe", type: .user)))
        let use = try #require(trace.keys.first { $0.key == "ASIANQQHHS551LWULIWD" }?.usage)
        #expect(use.counts.denied == 30)
        #expect(use.deniedActions.sorted == ["ec2:GetPasswordData"])
    }
}
