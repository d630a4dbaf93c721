import Foundation
import Testing

@testable import TrailAudit

/// The shared cases about actions and resources (`../shared/cases/` 01–04, 08, 09, 16), run
/// through `unused` and `suggest` with an allow-everything grant: the right action names reach
/// the classes and the policies, every one in the catalog, with the right resources.
@Suite struct PermissionCaseTests {
    static let appRole = "arn:aws:iam::111122223333:role/app-role"

    /// Every action of the services the cases touch (the whole catalog would only slow the
    /// debug build), plus iam:PassRole.
    static let services = [
        "lambda", "cloudfront", "cloud9", "rds", "ec2", "ses", "cloudwatch", "dynamodb", "s3",
    ]

    static func analyses(_ name: String, principal: String) throws
        -> (PrincipalFindings, PrincipalSuggestion)
    {
        let path = sharedRoot.appendingPathComponent("cases/\(name)").path
        let result = AuditRun.run(ExportTree(paths: [path]), options: RunOptions())
        let policy =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","#
            + #""Resource":"*"}}"#
        let granted = [try AnalysisFixture.principal(principal, policy: policy)]
        let unused = UnusedAnalysis(
            granted: granted, aggregate: result.aggregate, window: TimeWindow())
        let suggest = SuggestAnalysis(
            granted: granted, aggregate: result.aggregate, window: TimeWindow())
        return (try #require(unused.principals.first), try #require(suggest.principals.first))
    }

    /// action -> resources of the suggested policy.
    static func policy(_ suggestion: PrincipalSuggestion) throws -> [String: [String]] {
        var table: [String: [String]] = [:]
        for statement in try #require(suggestion.policy).statements {
            for action in statement.actions { table[action] = statement.resources }
        }
        return table
    }

    static func used(_ findings: PrincipalFindings) -> Set<String> {
        Set(findings.actions.filter { $0.permissionClass == .used }.map(\.action))
    }

    @Test(arguments: [
        (
            "01-lambda-cloudfront-version-suffix.json",
            [
                "lambda:ListFunctions", "lambda:GetFunction", "lambda:UpdateFunctionConfiguration",
                "cloudfront:UpdateDistribution",
            ]
        ),
        (
            "02-trailing-digits-in-action-name.json",
            [
                "cloud9:CreateEnvironmentEC2", "rds:RestoreDBInstanceFromS3",
                "ec2:AssignIpv6Addresses", "lambda:GetFunctionConfiguration",
            ]
        ),
        (
            "03-eventsource-not-iam-prefix.json",
            [
                "ses:CreateConfigurationSet", "ses:DeleteIdentity", "cloudwatch:PutMetricAlarm",
                "cloudwatch:DescribeAlarms", "dynamodb:DescribeStream",
            ]
        ),
        (
            "04-s3-api-name-vs-iam-action.json",
            [
                "s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetObject",
                "s3:GetLifecycleConfiguration", "s3:ListBucketVersions",
            ]
        ),
    ])
    func theRightActionsAreUsedAndSuggested(name: String, expected: [String]) throws {
        let (findings, suggestion) = try Self.analyses(name, principal: Self.appRole)
        #expect(Self.used(findings) == Set(expected))
        #expect(findings.unmapped.isEmpty)
        // UpdateFunctionConfiguration may pass a role: iam:PassRole stays, never logged.
        let kept: Set<String> =
            expected.contains("lambda:UpdateFunctionConfiguration")
            ? ["iam:PassRole"] : []
        #expect(Set(try Self.policy(suggestion).keys) == Set(expected).union(kept))
        let catalog = IAMCatalog.shared
        for action in findings.actions {
            #expect(catalog.action(named: action.action)?.name == action.action)
        }
    }

    @Test func case04ListingsAreScopedToTheBucketAndHeadObjectToTheObject() throws {
        let (_, suggestion) = try Self.analyses(
            "04-s3-api-name-vs-iam-action.json", principal: Self.appRole)
        let policy = try Self.policy(suggestion)
        #expect(policy["s3:ListBucket"] == ["arn:aws:s3:::example-reports"])
        #expect(policy["s3:ListBucketVersions"] == ["arn:aws:s3:::example-reports"])
        #expect(policy["s3:ListAllMyBuckets"] == ["*"])
        let object = try #require(policy["s3:GetObject"])
        #expect(object.count == 1 && object[0].hasPrefix("arn:aws:s3:::example-reports/"))
    }

    @Test func case08APrefixEntryNeverBecomesAnObject() throws {
        let (findings, suggestion) = try Self.analyses(
            "08-resource-entry-without-arn.json",
            principal: "arn:aws:iam::111122223333:user/terraform")
        #expect(Self.used(findings) == ["s3:ListBucket"])
        #expect(try Self.policy(suggestion) == ["s3:ListBucket": ["arn:aws:s3:::example-tfstate"]])
    }

    @Test func case09ThePartitionComesFromTheInput() throws {
        let role = "arn:aws-us-gov:iam::111122223333:role/etl-role"
        let (findings, suggestion) = try Self.analyses(
            "09-govcloud-partition.json", principal: role)
        #expect(Self.used(findings) == ["s3:GetObject", "dynamodb:DescribeTable"])
        let resources = try Self.policy(suggestion).values.flatMap { $0 }
        #expect(!resources.isEmpty)
        #expect(resources.allSatisfy { $0.hasPrefix("arn:aws-us-gov:") })
        let text = try #require(suggestion.policy).document.compactText
        #expect(!text.contains("arn:aws:"))
    }

    @Test func case16AnonymousCallsAreNobodysUse() throws {
        // The bucket owner's account: anonymous reads are not its roles' use.
        let (findings, suggestion) = try Self.analyses(
            "16-anonymous-principal.json", principal: Self.appRole)
        #expect(Self.used(findings).isEmpty)
        #expect(findings.loggedAs.isEmpty)
        #expect(suggestion.policy == nil)
    }
}
