import Foundation
import Testing

@testable import TrailAudit

/// Every input in `../shared/cases/` with the right answer from its `EXPECTED.md`.
@Suite struct SharedCaseTests {
    func report(_ name: String, jobs: Int = 2) -> Report {
        runReport([sharedRoot.appendingPathComponent("cases/\(name)").path], jobs: jobs)
    }

    /// (action, succeeded, denied) for every action of `principal`.
    func usage(_ report: Report, _ principal: String) -> [String: [Int]] {
        var table: [String: [Int]] = [:]
        for action in report.principal(principal)?.actions ?? [] {
            table[action.action] = [action.counts.succeeded, action.counts.denied]
        }
        return table
    }

    static let appRole = "arn:aws:iam::111122223333:role/app-role"

    @Test func case01VersionSuffixesFoldIntoOneAction() {
        let result = report("01-lambda-cloudfront-version-suffix.json")
        #expect(result.principals.map(\.principal.id) == [Self.appRole])
        #expect(
            usage(result, Self.appRole) == [
                "lambda:ListFunctions": [2, 0], "lambda:GetFunction": [2, 0],
                "lambda:UpdateFunctionConfiguration": [1, 0],
                "cloudfront:UpdateDistribution": [1, 0],
            ])
    }

    @Test func case02DigitsThatBelongToTheNameStay() {
        let result = report("02-trailing-digits-in-action-name.json")
        #expect(
            Set(usage(result, Self.appRole).keys) == [
                "cloud9:CreateEnvironmentEC2", "rds:RestoreDBInstanceFromS3",
                "ec2:AssignIpv6Addresses", "lambda:GetFunctionConfiguration",
            ])
    }

    @Test func case03EventSourceHostIsNotThePrefix() {
        let result = report("03-eventsource-not-iam-prefix.json")
        #expect(
            Set(usage(result, Self.appRole).keys) == [
                "ses:CreateConfigurationSet", "ses:DeleteIdentity", "cloudwatch:PutMetricAlarm",
                "cloudwatch:DescribeAlarms", "dynamodb:DescribeStream",
            ])
    }

    @Test func case04S3APINamesMapToIAMActions() throws {
        let result = report("04-s3-api-name-vs-iam-action.json")
        let role = try #require(result.principal(Self.appRole))
        #expect(
            Set(role.actions.map(\.action)) == [
                "s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetObject",
                "s3:GetLifecycleConfiguration", "s3:ListBucketVersions",
            ])
        let list = try #require(role.action("s3:ListBucket"))
        #expect(list.counts.succeeded == 3)
        #expect(list.resources.sorted == ["arn:aws:s3:::example-reports"])
        let get = try #require(role.action("s3:GetObject"))
        #expect(get.resources.sorted.allSatisfy { $0.hasPrefix("arn:aws:s3:::example-reports/") })
        #expect(get.resources.sorted.count == 1)
    }

    @Test func case08PrefixOnlyResourceIsNotAnObject() throws {
        let result = report("08-resource-entry-without-arn.json")
        let user = try #require(result.principal("arn:aws:iam::111122223333:user/terraform"))
        #expect(user.principal.type == .user)
        #expect(user.action("s3:ListBucket")?.resources.sorted == ["arn:aws:s3:::example-tfstate"])
    }

    @Test func case09PartitionComesFromTheInput() throws {
        let result = report("09-govcloud-partition.json")
        let role = "arn:aws-us-gov:iam::111122223333:role/etl-role"
        #expect(Set(usage(result, role).keys) == ["s3:GetObject", "dynamodb:DescribeTable"])
        #expect(!result.json().contains("arn:aws:"))
    }

    @Test func case12SessionNamesAreKeptUnchanged() throws {
        let result = report("12-assumedrole-has-no-username.json")
        let role = try #require(result.principal("arn:aws:iam::111122223333:role/ops-admin"))
        #expect(role.sessions.sorted == ["jane.doe@example.com"])
        #expect(Set(role.actions.map(\.action)) == ["ec2:StopInstances"])
    }

    @Test func case13EmptyIssuerAndFederatedUser() throws {
        let result = report("13-empty-sessionissuer-and-federated-user.json")
        let user = try #require(
            result.principal("arn:aws:iam::111122223333:user/ops.user@example.com"))
        #expect(user.principal.type == .user)
        #expect(user.action("s3:GetBucketVersioning")?.counts.denied == 1)
        let bot = try #require(
            result.principal("arn:aws:sts::111122223333:federated-user/build-bot"))
        #expect(bot.principal.type == .federatedUser)
        #expect(!result.principals.contains { $0.principal.type == .role })
        // Its issuer, kept so `unused` counts its calls as the broker's use; shown as such.
        let broker = "arn:aws:iam::111122223333:user/federation-broker"
        #expect(bot.sessions.sorted == [broker])
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.json().utf8)) as? [String: Any])
        let principals = try #require(json["principals"] as? [[String: Any]])
        let entry = try #require(principals.first { $0["type"] as? String == "federatedUser" })
        #expect(entry["issuedBy"] as? [String] == [broker])
        #expect(entry["sessions"] as? [String] == [])
        #expect(result.text(top: 5).contains("issued by \(broker)"))
    }

    @Test func case14AssumeRoleCallersWithoutARN() throws {
        let result = report("14-assumerole-family-callers-without-arn.json")
        let callers = result.assumeRole.flatMap { entry in
            entry.callers.map {
                [
                    entry.role, $0.caller.caller, $0.caller.type.rawValue, $0.caller.api,
                    $0.caller.crossAccount ? "cross" : "same",
                ]
            }
        }
        #expect(callers.count == 4)
        #expect(
            callers.contains([
                "arn:aws:iam::111122223333:role/service/orders-api-exec",
                "lambda.amazonaws.com", "service", "AssumeRole", "same",
            ]))
        #expect(
            callers.contains([
                "arn:aws:iam::111122223333:role/ci/github-deploy",
                "token.actions.githubusercontent.com", "webIdentity",
                "AssumeRoleWithWebIdentity", "same",
            ]))
        #expect(
            callers.contains {
                $0[0] == "arn:aws:iam::111122223333:role/sso/Admins"
                    && $0[2] == "saml" && $0[3] == "AssumeRoleWithSAML"
            })
        #expect(
            callers.contains([
                "arn:aws:iam::111122223333:role/partner-read", "444455556666",
                "account", "AssumeRole", "cross",
            ]))
        let github = try #require(result.assumeRole.first { $0.role.hasSuffix("github-deploy") })
        #expect(github.callers.first?.caller.subject == "repo:example-org/app:ref:refs/heads/main")
    }

    @Test func case16AnonymousIsNeverAnAccount() throws {
        let result = report("16-anonymous-principal.json")
        #expect(result.principals.map(\.principal) == [.anonymous])
        #expect(usage(result, "anonymous") == ["s3:GetObject": [1, 0], "s3:ListBucket": [0, 1]])
        #expect(!result.input.accounts.contains("ANONYMOUS_PRINCIPAL"))
    }

    @Test func case17DenialCodesDifferByService() {
        let result = report("17-access-denied-error-codes.json")
        #expect(
            Set(result.accessDenied.map(\.key.action)) == [
                "s3:GetObject", "iam:CreateUser", "kms:Decrypt", "ec2:DescribeSecurityGroups",
                "ec2:RunInstances", "lambda:GetFunction",
            ])
        #expect(result.accessDenied.reduce(0) { $0 + $1.group.counts.total } == 6)
        let role = result.principal(Self.appRole)
        #expect(role?.counts.denied == 6)
        #expect(role?.counts.failed == 3)
    }

    @Test func case18MissingNullAndEmptyErrorCodesAreSuccesses() {
        let result = report("18-errorcode-absent-null-empty.json")
        #expect(usage(result, Self.appRole) == ["sqs:ListQueues": [3, 1]])
    }

    @Test func case19DigestAndInsightFilesAreSkipped() {
        let result = report("19-digest-files-in-log-folder")
        #expect(result.input.events == 1)
        #expect(result.input.filesRead == 1)
        #expect(result.input.skipped.filter { $0.reason.contains("digest") }.count == 2)
        #expect(result.input.skipped.filter { $0.reason.contains("Insights") }.count == 1)
        #expect(usage(result, Self.appRole) == ["sqs:ListQueues": [1, 0]])
        #expect(result.principals.count == 1)
    }

    @Test func case21OrganizationTrailLayout() {
        let result = report("21-org-trail-layout")
        #expect(result.input.filesRead == 3)
        #expect(result.input.accounts == ["111122223333", "444455556666"])
        #expect(result.input.regions == ["eu-west-1", "us-east-1", "us-west-2"])
        #expect(!result.json().contains("\"o-a1b2c3d4e5\""))
    }
}
