import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// Permissions a request implies (tags on what a call creates) count as used, and every output
/// that lists them says they were implied: a reader of `iam:TagRole 1 ok` for a CreateRole
/// with tags otherwise looks for a TagRole call that never happened.
@Suite struct ImpliedActionTests {
    typealias F = AnalysisFixture

    static let tagged = #"{"roleName":"r","tags":[{"key":"team","value":"a"}]}"#

    /// A CreateRole with tags, one denied, a TagRole of its own, and a RunInstances with tags
    /// that failed for another reason than a denial.
    static let events = [
        F.event(1, source: "iam", name: "CreateRole", request: tagged),
        F.event(2, source: "iam", name: "CreateRole", error: "AccessDenied", request: tagged),
        F.event(3, source: "iam", name: "TagRole", request: tagged),
        F.event(
            4, source: "ec2", name: "RunInstances", error: "InvalidParameterValue",
            request: #"{"tagSpecificationSet":{"items":[{"resourceType":"instance"}]}}"#),
    ]

    static func writeEvents(to root: URL) throws -> String {
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        return file.path
    }

    @Test func impliedCallsAreCountedApartFromTheActionsOwn() throws {
        let usage = try #require(try F.aggregate(Self.events).principals.values.first)
        let tagRole = try #require(usage.actions["iam:TagRole"])
        // Its own call and the succeeded CreateRole's tags; the denied CreateRole shows
        // nothing of what it lacked.
        #expect(tagRole.counts.total == 2)
        #expect(tagRole.impliedCalls == 1)
        #expect(tagRole.ownCalls == 1)
        let createRole = try #require(usage.actions["iam:CreateRole"])
        #expect(createRole.counts.total == 2)
        #expect(createRole.impliedCalls == 0)
        #expect(createRole.ownCalls == 2)
        let createTags = try #require(usage.actions["ec2:CreateTags"])
        #expect(createTags.counts.failed == 1)
        #expect(createTags.impliedCalls == 1)
        #expect(createTags.ownCalls == 0)
    }

    @Test func theReportSaysWhichCallsWereImplied() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = runReport([try Self.writeEvents(to: root)])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let principals = try #require(json["principals"] as? [[String: Any]])
        let actions = try #require(principals.first?["actions"] as? [[String: Any]])
        var implied: [String: Int] = [:]
        for action in actions {
            implied[try #require(action["action"] as? String)] = action["implied"] as? Int
        }
        #expect(
            implied == [
                "iam:CreateRole": 0, "iam:TagRole": 1, "ec2:RunInstances": 0,
                "ec2:CreateTags": 1,
            ])

        let lines = report.text(top: 20).split(separator: "\n")
        let tagRole = try #require(lines.first { $0.contains("iam:TagRole") })
        #expect(tagRole.hasSuffix("  (1 implied)"))
        let createRole = try #require(lines.first { $0.contains("iam:CreateRole") })
        #expect(!createRole.contains("implied"))
    }

    @Test func eventsListTheActionsTheirRequestImplied() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = try Self.writeEvents(to: root)
        let output = root.appendingPathComponent("out.json").path
        let status = TrailAuditCommand.run(
            [
                "events", "--quiet", "--format", "json", "--output", output, "--action",
                "iam:TagRole", file,
            ])
        #expect(status == .success)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
                as? [String: Any])
        let events = try #require(json["events"] as? [[String: Any]])
        let listed = events.map {
            ($0["eventName"] as? String ?? "", $0["impliedActions"] as? [String] ?? ["?"])
        }
        // The succeeded CreateRole used iam:TagRole by its tags; TagRole's own call implied
        // nothing; the denied CreateRole is not a use of it.
        #expect(listed.map(\.0) == ["CreateRole", "TagRole"])
        #expect(listed.map(\.1) == [["iam:TagRole"], []])
    }

    /// The state keeps implied calls; a version 6 state, which counted them as the action's
    /// own, is migrated and its rows read with none implied.
    @Test func theStateKeepsThemAndAVersion6StateReadsNone() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = try Self.writeEvents(to: root)
        let state = root.appendingPathComponent("state.db").path
        try StateRun.ingest([file], into: state)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([file]))
        func implied(_ action: String) throws -> Int? {
            try StateStore(path: state, create: false).aggregate(window: TimeWindow())
                .principals.values.first?.actions[action]?.impliedCalls
        }
        #expect(try implied("iam:TagRole") == 1)

        try SQLiteDatabase(path: state, create: false).execute(
            StateSchemaTests.version6Actions + "PRAGMA user_version = 6;")
        #expect(try implied("iam:TagRole") == 0)
        #expect(try StateStore(path: state, create: false).schemaVersion() == StateSchema.current)
        let later = root.appendingPathComponent("later.json")
        try Data(
            ("{\"Records\":[" + F.event(9, source: "iam", name: "CreateRole", request: Self.tagged)
                + "]}").utf8
        ).write(to: later)
        try StateRun.ingest([later.path], into: state)
        #expect(try implied("iam:TagRole") == 1)
    }

    /// A call that failed authentication used no permission: nothing implied, in the report
    /// and in `events` (breaking pass: `events --action iam:TagRole` found it). A denied call
    /// whose message names the implied action is a denial of that action, grouped under it:
    /// whoever fixes the policy needs iam:TagRole, not the iam:CreateRole they have.
    @Test func failedAuthenticationImpliesNothingAndADenialMayNameTheImpliedAction() throws {
        let deniedForTagging = F.event(
            2, source: "iam", name: "CreateRole", error: "AccessDenied", request: Self.tagged
        ).replacingOccurrences(
            of: #""errorMessage":"no""#,
            with: #""errorMessage":"User: arn:aws:sts::111122223333:assumed-role/app/s is not"#
                + #" authorized to perform: iam:TagRole on resource: arn:aws:iam::111122223333:"#
                + #"role/r because no identity-based policy allows the iam:TagRole action""#)
        let events = [
            F.event(
                1, source: "iam", name: "CreateRole", error: "InvalidClientTokenId",
                request: Self.tagged),
            deniedForTagging,
        ]
        let aggregate = try F.aggregate(events)
        let usage = try #require(aggregate.principals.values.first)
        let tagRole = try #require(usage.actions["iam:TagRole"])
        #expect(tagRole.counts.denied == 1)
        #expect(tagRole.counts.total == 1)
        #expect(tagRole.impliedCalls == 0)
        // CreateRole itself was allowed: a failed call of it, so used (a breaking pass:
        // `unused` called it unused).
        #expect(usage.actions["iam:CreateRole"]?.counts.failed == 1)
        #expect(usage.actions["iam:CreateRole"]?.counts.total == 1)
        #expect(aggregate.denials.keys.map(\.action) == ["iam:TagRole"])

        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        let output = root.appendingPathComponent("out.json").path
        #expect(
            TrailAuditCommand.run(
                ["events", "--quiet", "--format", "json", "--output", output, file.path])
                == .success)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
                as? [String: Any])
        let listed = try #require(json["events"] as? [[String: Any]]).map {
            ($0["actions"] as? [String] ?? [], $0["impliedActions"] as? [String] ?? ["?"])
        }
        #expect(listed.map(\.0) == [["iam:CreateRole"], ["iam:CreateRole", "iam:TagRole"]])
        #expect(listed.map(\.1) == [[], ["iam:TagRole"]])
    }

    /// S3 logs its headers as strings: `x-amz-bucket-object-lock-enabled: "false"` turns
    /// nothing on and implies nothing (breaking pass); `"true"` implies both permissions.
    @Test func aHeaderThatSaysFalseImpliesNothing() throws {
        func implied(_ value: String) throws -> [String] {
            let event = F.event(
                1, source: "s3", name: "CreateBucket",
                request: #"{"bucketName":"b","x-amz-bucket-object-lock-enabled":"\#(value)"}"#)
            let usage = try #require(try F.aggregate([event]).principals.values.first)
            return usage.actions.filter { $0.value.impliedCalls > 0 }.keys.sorted()
        }
        #expect(try implied("false") == [])
        #expect(try implied("FALSE") == [])
        #expect(
            try implied("true")
                == ["s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning"])
    }

    /// An AssumeRole that sets a source identity needs sts:SetSourceIdentity, with tags
    /// sts:TagSession too; an empty one sets nothing (a breaking pass: `suggest` removed
    /// sts:SetSourceIdentity as never used, and the next such AssumeRole would fail).
    @Test func aSourceIdentityImpliesSetSourceIdentity() throws {
        func implied(_ extra: String) throws -> [String] {
            let event = F.event(
                1, source: "sts", name: "AssumeRole",
                request: #"{"roleArn":"arn:aws:iam::111122223333:role/t","#
                    + #""roleSessionName":"s"\#(extra)}"#)
            let usage = try #require(try F.aggregate([event]).principals.values.first)
            return usage.actions.filter { $0.value.impliedCalls > 0 }.keys.sorted()
        }
        #expect(try implied(#","sourceIdentity":"bob""#) == ["sts:SetSourceIdentity"])
        #expect(
            try implied(#","sourceIdentity":"bob","tags":[{"key":"k","value":"v"}]"#)
                == ["sts:SetSourceIdentity", "sts:TagSession"])
        #expect(try implied(#","sourceIdentity":"""#) == [])
        #expect(try implied("") == [])
    }

    /// `unused` and `changes` say how many of an action's calls were implied.
    @Test func unusedAndChangesSayWhichCallsWereImplied() throws {
        let analysis = UnusedAnalysis(
            granted: [try F.principal(policy: F.allow(["iam:CreateRole", "iam:TagRole"]))],
            aggregate: try F.aggregate([Self.events[0]]), window: TimeWindow())
        let findings = try #require(analysis.principals.first)
        let tagRole = try #require(findings.actions.first { $0.action == "iam:TagRole" })
        #expect(tagRole.permissionClass == .used)
        #expect(tagRole.implied == 1)
        #expect(UnusedAnalysis.line(tagRole).contains("1 ok, 1 implied"))
        var json = JSONWriter()
        UnusedAnalysis.write(tagRole, into: &json)
        #expect(json.output.contains(#""implied": 1"#))
        let markdown = analysis.markdown(top: 10)
        #expect(markdown.contains("| ok | denied | failed | implied | note |"))
        #expect(markdown.contains("| iam:TagRole | used | Tagging | 1 | 0 | 0 | 1 |"))
        #expect(markdown.contains("| iam:CreateRole | used | Write | 1 | 0 | 0 | 0 |"))

        let window = TimeWindow()
        let changes = StateChanges(
            current: try F.aggregate([Self.events[0]]), in: window, previous: Aggregate(),
            in: window)
        #expect(changes.newActions.isEmpty)  // a new principal, not new actions
        let known = try F.aggregate([F.event(5, source: "iam", name: "GetRole")])
        let grown = StateChanges(
            current: try F.aggregate([Self.events[0]]), in: window, previous: known, in: window)
        let tagging = try #require(grown.newActions.first { $0.action == "iam:TagRole" })
        #expect(tagging.implied == 1)
        #expect(grown.text().contains(": iam:TagRole (1 calls, 1 implied)"))
        #expect(grown.json().contains(#""implied": 1"#))
    }

    /// `timeline` and `trace` tell an action first needed by another call's request from one
    /// called by name: a timeline's first `iam:TagRole` is not a TagRole call when it came
    /// with a CreateRole's tags.
    @Test func timelineAndTraceMarkImpliedActions() throws {
        let key = "ASIAIMPLIED000000001"
        let identity =
            #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s","#
            + #""accountId":"111122223333","accessKeyId":"\#(key)","sessionContext":{"#
            + #""sessionIssuer":{"type":"Role","arn":"\#(F.role)"}}}"#
        let events = [
            F.event(
                1, source: "iam", name: "CreateRole", identity: identity, request: Self.tagged,
                time: "2024-03-05T10:00:00Z"),
            F.event(
                2, source: "iam", name: "CreateRole", identity: identity, error: "AccessDenied",
                request: Self.tagged, time: "2024-03-05T10:10:00Z"),
            F.event(
                3, source: "iam", name: "TagRole", identity: identity, request: Self.tagged,
                time: "2024-03-05T12:00:00Z"),
        ]
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        // A run collects a timeline or a trace, not both.
        var options = RunOptions()
        options.timeline = TimelineQuery(principal: F.role, bucket: 3600)
        let result = AuditRun.run(ExportTree(paths: [file.path]), options: options)
        options = RunOptions()
        options.collectsTrace = true
        let traced = AuditRun.run(ExportTree(paths: [file.path]), options: options).trace

        let rows = result.timeline.rows(bucket: 3600)
        #expect(
            rows.map { $0.new.map { "\($0.kind.rawValue) \($0.value)" } } == [
                ["action iam:CreateRole", "impliedAction iam:TagRole", "sourceIP 198.51.100.1"],
                ["action iam:TagRole"],
            ])
        let timeline = result.timeline.text(principal: F.role, bucket: 3600)
        #expect(timeline.contains("    first implied action iam:TagRole\n"))
        #expect(
            result.timeline.json(principal: F.role, bucket: 3600).contains(
                #""kind": "impliedAction""#))

        let usage = try #require(traced.usage[key])
        #expect(usage.actions.sorted == ["iam:CreateRole", "iam:TagRole"])
        #expect(usage.impliedActions.sorted == ["iam:TagRole"])
        // The denial's message names no action: a denial of CreateRole alone.
        #expect(usage.deniedActions.sorted == ["iam:CreateRole"])
        let trace = traced.trace(key)
        #expect(trace.text().contains("    implied: iam:TagRole\n"))
        var writer = JSONWriter()
        trace.json(into: &writer)
        #expect(writer.output.contains(#""impliedActions": ["#))
    }

    /// `trace` lists a key's actions as `report` counts them: a denial whose message names the
    /// implied action is a denial of that one alone, and a call that failed authentication
    /// used nothing (a breaking pass: trace listed "denied: iam:CreateRole, iam:TagRole" and
    /// "actions: iam:CreateRole" for an expired token).
    @Test func traceCountsActionsAsTheReportDoes() throws {
        func identity(_ key: String) -> String {
            #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s","#
                + #""accountId":"111122223333","accessKeyId":"\#(key)","sessionContext":{"#
                + #""sessionIssuer":{"type":"Role","arn":"\#(F.role)"}}}"#
        }
        let namingTagRole =
            "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: "
            + "iam:TagRole on resource: arn:aws:iam::111122223333:role/r because no "
            + "identity-based policy allows the iam:TagRole action"
        let events = [
            F.event(
                1, source: "iam", name: "CreateRole", identity: identity("ASIADENIED0000000001"),
                error: "AccessDenied", request: Self.tagged
            ).replacingOccurrences(
                of: #""errorMessage":"no""#, with: #""errorMessage":"\#(namingTagRole)""#),
            F.event(
                2, source: "iam", name: "CreateRole", identity: identity("ASIAEXPIRED000000001"),
                error: "ExpiredToken", request: Self.tagged),
        ]
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        var options = RunOptions()
        options.collectsTrace = true
        let trace = AuditRun.run(ExportTree(paths: [file.path]), options: options).trace

        let denied = try #require(trace.usage["ASIADENIED0000000001"])
        #expect(denied.deniedActions.sorted == ["iam:TagRole"])
        #expect(denied.actions.sorted == ["iam:CreateRole"] && denied.impliedActions.isEmpty)
        let expired = try #require(trace.usage["ASIAEXPIRED000000001"])
        #expect(expired.counts.failed == 1)
        #expect(expired.actions.isEmpty && expired.impliedActions.isEmpty)
        #expect(expired.deniedActions.isEmpty)

        // The report agrees: TagRole denied once, CreateRole allowed (failed) by the denied
        // call, not counted for the expired one.
        let usage = try #require(try F.aggregate(events).principals.values.first)
        #expect(usage.actions["iam:TagRole"]?.counts.denied == 1)
        #expect(usage.actions["iam:CreateRole"]?.counts.failed == 1)
        #expect(usage.actions["iam:CreateRole"]?.counts.total == 1)
    }
}
