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
}
