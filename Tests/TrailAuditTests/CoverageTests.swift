import Foundation
import Testing

@testable import TrailAudit

@Suite struct CoverageTests {
    static let march5: EpochSeconds = 1_709_596_800  // 2024-03-05T00:00:00Z

    @Test(arguments: [
        (EpochSeconds(0), DayNumber(0)), (86_399, 0), (86_400, 1), (-1, -1), (-86_400, -1),
        (-86_401, -2), (1_709_596_800, 19_787),
    ])
    func dayOfTime(time: EpochSeconds, day: DayNumber) {
        #expect(DayNumber(day: time) == day)
    }

    @Test func gapsAreTheDaysWithoutEventsInAnyRegion() {
        var coverage = Coverage()
        let day = DayNumber(day: Self.march5)
        coverage.see(account: "111122223333", region: "us-east-1", at: Self.march5 + 10)
        coverage.see(account: "111122223333", region: "us-east-1", at: Self.march5 + 20)
        coverage.see(account: "111122223333", region: "eu-west-1", at: Self.march5 + 2 * 86_400)
        coverage.see(account: "444455556666", region: "us-east-1", at: Self.march5 + 86_400)
        coverage.see(account: "111122223333", region: "us-east-1", at: Self.march5 + 5 * 86_400)

        #expect(coverage.days(ofAccount: "111122223333") == [day, day + 2, day + 5])
        #expect(
            coverage.gaps(ofAccount: "111122223333", in: (day - 1)...(day + 6))
                == [
                    (day - 1)...(day - 1), (day + 1)...(day + 1), (day + 3)...(day + 4),
                    (day + 6)...(day + 6),
                ])
        #expect(coverage.gaps(ofAccount: "444455556666", in: day...day) == [day...day])
    }

    @Test func mergedPartsEqualOneRun() {
        var whole = Coverage()
        var parts = [Coverage(), Coverage()]
        for index in 0..<50 {
            let time = Self.march5 + EpochSeconds(index * 40_000)
            let region = index % 3 == 0 ? "us-east-1" : "eu-west-1"
            whole.see(account: "111122223333", region: region, at: time)
            parts[index % 2].see(account: "111122223333", region: region, at: time)
        }
        var merged = parts[1]
        merged.merge(parts[0])
        #expect(merged.days == whole.days)
    }

    @Test func runRecordsCoverageAndSucceededResources() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        func event(_ id: Int, key: String, time: String, error: String? = nil) -> String {
            let failure = error.map { #","errorCode":"\#($0)""# } ?? ""
            return #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:"#
                + #"iam::111122223333:user/ops","accountId":"111122223333"},"eventTime":""#
                + time + #"","eventSource":"s3.amazonaws.com","eventName":"GetObject","#
                + #""awsRegion":"us-east-1","requestParameters":{"bucketName":"b","key":""#
                + key + #""},"eventID":"00000000-0000-4000-8000-00000000000\#(id)","#
                + #""recipientAccountId":"111122223333"\#(failure)}"#
        }
        let records = [
            event(1, key: "ok.txt", time: "2024-03-05T10:00:00Z"),
            event(2, key: "secret.txt", time: "2024-03-07T10:00:00Z", error: "AccessDenied"),
        ]
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(to: file)

        let result = AuditRun.run(ExportTree(paths: [file.path]), options: RunOptions())
        let usage = try #require(
            result.aggregate.principals[
                Principal(id: "arn:aws:iam::111122223333:user/ops", type: .user)]?
                .actions["s3:GetObject"])
        #expect(usage.resources.sorted == ["arn:aws:s3:::b/ok.txt", "arn:aws:s3:::b/secret.txt"])
        #expect(usage.succeededResources.sorted == ["arn:aws:s3:::b/ok.txt"])
        let day = DayNumber(day: Self.march5)
        #expect(
            result.aggregate.coverage.days
                == [Coverage.Key(account: "111122223333", region: "us-east-1"): [day, day + 2]])
    }
}

@Suite struct IAMDocumentsBesideLogsTests {
    /// Users keep their IAM exports next to the logs: such files are skipped, named, and cost
    /// the logs nothing; a JSON file of another kind still fails.
    @Test func iamExportsAndPolicyDocumentsAreSkippedNotFailed() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "export.json": #"{"UserDetailList":[],"RoleDetailList":[],"Policies":[]}"#,
            "groups.json": #"{"GroupDetailList":[]}"#,
            "policy.json": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#,
            "other.json": #"{"Name":"not a log"}"#,
            "events.json": "{\"Records\":[" + PipelineTests.event(1) + "]}",
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: root.appendingPathComponent(name))
        }
        let result = AuditRun.run(ExportTree(paths: [root.path]), options: RunOptions())
        let skipped = result.input.skipped.filter { $0.reason.hasPrefix("IAM export") }
        #expect(
            skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted()
                == ["export.json", "groups.json", "policy.json"])
        #expect(
            result.input.failed.map { URL(fileURLWithPath: $0.path).lastPathComponent }
                == ["other.json"])
        #expect(result.aggregate.events.total == 1)
    }
}
