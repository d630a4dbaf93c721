import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// A policy of the IAM input that cannot be read: `suggest` makes no permission policy for the
/// principals it is attached to (it may grant what they used, or deny what a suggestion would
/// allow), still makes the others', and both commands exit 2 (a breaking pass: `suggest`
/// wrote a policy that left out the action the unreadable policy granted, and exited 0).
@Suite struct UnreadablePolicyTests {
    typealias F = AnalysisFixture
    static let broken = "arn:aws:iam::111122223333:role/broken"
    static let intact = "arn:aws:iam::111122223333:role/intact"

    /// EC2 may assume the role.
    static let ec2Trust =
        #"{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"#
        + #""Action":"sts:AssumeRole"}}"#

    static func role(_ arn: String, managed: String?, trust: String = ec2Trust) -> String {
        let name = arn.split(separator: "/").last ?? ""
        let attached = managed.map { #"[{"PolicyName":"p","PolicyArn":"\#($0)"}]"# } ?? "[]"
        return #"{"Path":"/","RoleName":"\#(name)","Arn":"\#(arn)","#
            + #""AssumeRolePolicyDocument":\#(trust),"#
            + #""RolePolicyList":[{"PolicyName":"vpcs","PolicyDocument":{"Statement":{"#
            + #""Effect":"Allow","Action":"ec2:DescribeVpcs","Resource":"*"}}}],"#
            + #""AttachedManagedPolicies":\#(attached)}"#
    }

    static let export =
        #"{"RoleDetailList":[\#(role(broken, managed: "arn:aws:iam::111122223333:policy/p")),"#
        + #"\#(role(intact, managed: nil))],"Policies":[{"PolicyName":"p","#
        + #""Arn":"arn:aws:iam::111122223333:policy/p","DefaultVersionId":"v1","#
        + #""PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"#
        + #""Document":"%7B%22Statement%22%3A%7B%22Effect"}]}]}"#

    @Test func noPolicyIsSuggestedOnPartOfThePoliciesAndTheExitSaysSo() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = root.appendingPathComponent("events.json")
        var events: [String] = []
        for (index, arn) in [Self.broken, Self.intact].enumerated() {
            events.append(
                F.event(
                    2 * index + 1, source: "ec2", name: "DescribeVpcs", identity: F.session(of: arn)
                ))
            events.append(
                F.event(
                    2 * index + 2, source: "s3", name: "ListBuckets", identity: F.session(of: arn)))
        }
        // EC2 assumes the intact role: a trust would be suggested from that call alone.
        events.append(
            F.event(
                5, source: "sts", name: "AssumeRole",
                identity: #"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#,
                request: #"{"roleArn":"\#(Self.intact)","roleSessionName":"i"}"#))
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: logs)
        let iam = root.appendingPathComponent("iam.json")
        try Data(Self.export.utf8).write(to: iam)

        let output = root.appendingPathComponent("suggest.json").path
        let status = TrailAuditCommand.run(
            [
                "suggest", "--quiet", "--format", "json", "--output", output, "--iam", iam.path,
                logs.path,
            ])
        #expect(status == .usage)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output)))
                as? [String: Any])
        let principals = try #require(json["principals"] as? [[String: Any]])
        let broken = try #require(principals.first { $0["principal"] as? String == Self.broken })
        #expect(broken["policy"] is NSNull)
        #expect(
            (broken["warnings"] as? [String])?.contains {
                $0.hasPrefix(
                    "no permission policy is suggested: arn:aws:iam::111122223333:policy/p")
            } == true)
        let intact = try #require(principals.first { $0["principal"] as? String == Self.intact })
        let policy = try #require(intact["policy"] as? [String: Any])
        let statements = try #require(policy["Statement"] as? [[String: Any]])
        #expect(statements.map { $0["Action"] as? String } == ["ec2:DescribeVpcs"])

        // An unreadable trust policy: no trust suggestion (who is trusted today is unknown),
        // and exit 2 (a breaking pass: a trust was built from the callers alone, exit 0).
        let badTrust = root.appendingPathComponent("bad-trust.json")
        try Data(
            #"{"RoleDetailList":[\#(Self.role(Self.intact, managed: nil, trust: #""%7B%22St""#))]}"#
                .utf8
        ).write(to: badTrust)
        let trustOutput = root.appendingPathComponent("trust.json").path
        #expect(
            TrailAuditCommand.run(
                [
                    "suggest", "--quiet", "--format", "json", "--output", trustOutput, "--iam",
                    badTrust.path, logs.path,
                ]) == .usage)
        let trustJSON = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: trustOutput))) as? [String: Any])
        let only = try #require((trustJSON["principals"] as? [[String: Any]])?.first)
        #expect(only["trustPolicy"] is NSNull)
        #expect(
            (only["warnings"] as? [String])?.contains(
                "no trust policy is suggested: its current trust policy could not be read; fix "
                    + "the IAM input and run again") == true)
        #expect(only["policy"] is [String: Any])

        let unused = TrailAuditCommand.run(
            ["unused", "--quiet", "--output", "/dev/null", "--iam", iam.path, logs.path])
        #expect(unused == .usage)
        // Without the broken role's policy the input is whole; a file of its folder that is
        // no export is named and skipped, which loses no principal's policies.
        let folder = root.appendingPathComponent("iam")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(
            #"{"RoleDetailList":[\#(Self.role(Self.intact, managed: nil))]}"#.utf8
        ).write(to: folder.appendingPathComponent("export.json"))
        try Data(#"{"Version":"2012-10-17","Statement":[]}"#.utf8).write(
            to: folder.appendingPathComponent("policy.json"))
        #expect(
            TrailAuditCommand.run(
                ["suggest", "--quiet", "--output", "/dev/null", "--iam", folder.path, logs.path])
                == .success)
    }
}
