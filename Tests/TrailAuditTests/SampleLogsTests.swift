import Foundation
import Testing

@testable import TrailAudit

/// The README's main job: `SampleLogs/` and its expected report.
///
/// Regenerate the expected report after an intended change with
/// `swift run trailaudit report --format json SampleLogs/ > Tests/Fixtures/SampleLogs.report.json`
/// and read the diff before committing it.
@Suite struct SampleLogsTests {
    static let root = repositoryRoot.path + "/"
    static func report(jobs: Int) -> Report { runReport([root + "SampleLogs/"], jobs: jobs) }

    @Test func reportMatchesTheExpectedReport() throws {
        let expected = try String(
            contentsOf: repositoryRoot.appendingPathComponent(
                "Tests/Fixtures/SampleLogs.report.json"),
            encoding: .utf8)
        for jobs in [1, 2, 4] {
            let actual = Self.report(jobs: jobs).json().replacingOccurrences(
                of: Self.root, with: "")
            #expect(actual == expected, "jobs \(jobs)")
        }
    }

    /// Figures counted from the source files in `../shared/realdata/`, not from the tool.
    @Test func figuresAgreeWithTheSources() throws {
        let report = Self.report(jobs: 2)
        // 310 Stratus + 417 Panther + 27 AWS docs + 2 trailscraper + 1 CloudWatch (SampleLogs
        // README); the 3 Insights records are in skipped Insights files.
        #expect(report.input.events + report.input.duplicateEvents == 757)
        // Records repeated byte for byte (same eventID, same bytes), counted with Python.
        #expect(report.input.duplicateEvents == 23)
        #expect(report.input.failed.isEmpty)
        #expect(report.input.skipped.filter { $0.reason.contains("digest") }.count == 2)
        #expect(report.input.skipped.filter { $0.reason.contains("Insights") }.count == 2)

        // Stratus ec2-get-password-data: 30 GetPasswordData calls, all Client.UnauthorizedOperation,
        // 29 of them on the account's own instances.
        let role = try #require(
            report.principal(
                "arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role"))
        #expect(role.action("ec2:GetPasswordData")?.counts.denied == 30)
        #expect(role.action("ec2:GetPasswordData")?.counts.succeeded == 0)
        let groups = report.accessDenied.filter { $0.key.principal == role.principal }
        #expect(groups.map(\.group.counts.total).sorted() == [1, 29])
        #expect(
            groups.allSatisfy { $0.key.deniedBy.description == "no identity-based policy allows" })

        // Stratus sts-federation-token: one GetFederationToken by the federation user.
        #expect(
            report.tokens.contains {
                $0.issue.api == "GetFederationToken"
                    && $0.issue.caller.id
                        == "arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user"
            })
    }
}
