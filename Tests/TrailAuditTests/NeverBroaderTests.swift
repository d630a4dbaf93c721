import Foundation
import Testing

@testable import TrailAudit

/// A suggestion is never broader than the current grant, and classes look at resources and
/// resource types, not only at action names (findings of a breaking pass).
@Suite struct NeverBroaderTests {
    typealias F = AnalysisFixture

    static func run(_ events: [String], policy: String) throws
        -> (PrincipalFindings, PrincipalSuggestion)
    {
        let granted = [try F.principal(policy: policy)]
        let aggregate = try F.aggregate(events)
        let unused = UnusedAnalysis(granted: granted, aggregate: aggregate, window: TimeWindow())
        let suggest = SuggestAnalysis(granted: granted, aggregate: aggregate, window: TimeWindow())
        return (try #require(unused.principals.first), try #require(suggest.principals.first))
    }

    static func document(_ suggestion: PrincipalSuggestion) throws -> String {
        try #require(suggestion.policy).document.compactText
    }

    @Test func conditionsAndResourcesOfTheGrantAreKept() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
            + #""Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:instance/*","#
            + #""Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}}}"#
        let (_, suggestion) = try Self.run(
            [F.event(1, source: "ec2", name: "TerminateInstances")], policy: policy)
        #expect(
            try Self.document(suggestion)
                == #"{"Version":"2012-10-17","Statement":[{"Sid":"Ec2","Effect":"Allow","#
                + #""Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:instance/*","#
                + #""Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}}]}"#)
    }

    @Test func wildcardsInObjectKeysStayLiteral() throws {
        let events = ["*", "reports/?/x", "home/${aws:username}"].enumerated().map {
            F.event(
                $0.offset, source: "s3", name: "PutObject",
                request: #"{"bucketName":"data","key":"\#($0.element)"}"#)
        }
        let (_, suggestion) = try Self.run(events, policy: F.allow(["s3:PutObject"]))
        let resources = try #require(suggestion.policy?.statements.first?.resources)
        #expect(
            resources == [
                "arn:aws:s3:::data/${*}", "arn:aws:s3:::data/home/${$}{aws:username}",
                "arn:aws:s3:::data/reports/${?}/x",
            ])
    }

    @Test func resourcesOutsideTheGrantAreNotGranted() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","#
            + #""Action":"s3:GetObject","Resource":"arn:aws:s3:::mine/*"}}"#
        func get(_ id: Int, _ bucket: String) -> String {
            F.event(
                id, source: "s3", name: "GetObject",
                request: #"{"bucketName":"\#(bucket)","key":"k\#(id)"}"#)
        }
        let (onlyTheirs, _) = try Self.run([get(1, "theirs")], policy: policy)
        #expect(onlyTheirs.permissionClass("s3:GetObject") == .usedNotGranted)

        let (both, suggestion) = try Self.run([get(1, "theirs"), get(2, "mine")], policy: policy)
        #expect(both.permissionClass("s3:GetObject") == .used)
        #expect(suggestion.policy?.statements.first?.resources == ["arn:aws:s3:::mine/k2"])
        #expect(
            suggestion.warnings.contains { $0.hasPrefix("s3:GetObject: succeeded on 1 resource") })
    }

    @Test func aSuccessAgainstAnExplicitDenyIsNeverGranted() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":"s3:*","Resource":"*"},"#
            + #"{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#
        let (findings, suggestion) = try Self.run(
            [
                F.event(1, source: "s3", name: "DeleteBucket", request: #"{"bucketName":"b"}"#),
                F.event(2, source: "s3", name: "ListBuckets"),
            ], policy: policy)
        let deleted = try #require(findings.actions.first { $0.action == "s3:DeleteBucket" })
        #expect(deleted.permissionClass == .usedNotGranted)
        #expect(deleted.reason?.hasPrefix("explicitly denied by its own policies") == true)
        #expect(!(try Self.document(suggestion)).contains("DeleteBucket"))
    }

    @Test func actionsWithoutResourceTypesNeedAStarGrant() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","#
            + #""Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}"#
        let (findings, _) = try Self.run(
            [F.event(1, source: "sqs", name: "ListQueues")], policy: policy)
        #expect(findings.permissionClass("s3:ListAllMyBuckets") == nil)
        #expect(findings.permissionClass("s3:GetObject") != nil)
    }

    @Test func writeOnlyDataEventsSayNothingOfReads() throws {
        let other = F.session(of: "arn:aws:iam::111122223333:role/writer")
        let (findings, _) = try Self.run(
            [
                F.event(
                    1, source: "s3", name: "PutObject", identity: other,
                    request: #"{"bucketName":"b","key":"k"}"#)
            ], policy: F.allow(["s3:GetObject", "s3:DeleteObject"]))
        #expect(findings.permissionClass("s3:GetObject") == .notObservable)
        #expect(findings.permissionClass("s3:DeleteObject") == .unused)
    }

    @Test func aRoleCreatedAfterTheWindowIsNotObservable() throws {
        var principal = try F.principal(policy: F.allow(["sqs:DeleteQueue"]))
        principal.created = 1_735_689_600  // 2025-01-01, after the 2024 logs
        let analysis = UnusedAnalysis(
            granted: [principal],
            aggregate: try F.aggregate([F.event(1, source: "sqs", name: "ListQueues")]),
            window: TimeWindow())
        let findings = try #require(analysis.principals.first)
        #expect(findings.permissionClass("sqs:DeleteQueue") == .notObservable)
        #expect(findings.warnings.contains { $0.contains("after the window ends") })
    }

    /// An alias invoke is authorized on `function:name:alias`, a Query on an index on
    /// `table/name/index/index`; events name only the function or the table. The suggestion
    /// covers them where today's grant does, and never more.
    @Test func functionQualifiersAndTableIndexesStayAllowed() throws {
        let events = [
            F.event(
                1, source: "lambda", name: "Invoke", request: #"{"functionName":"my-fn:live"}"#),
            F.event(
                2, source: "dynamodb", name: "Query",
                request: #"{"tableName":"orders","indexName":"by-customer"}"#),
        ]
        let wide =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","#
            + #""Action":"lambda:InvokeFunction","#
            + #""Resource":"arn:aws:lambda:us-east-1:111122223333:function:my-fn*"},"#
            + #"{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}]}"#
        let (_, suggestion) = try Self.run(events, policy: wide)
        let statements = try #require(suggestion.policy).statements
        #expect(
            statements.map(\.resources) == [
                [
                    "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
                    "arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/*",
                ],
                [
                    "arn:aws:lambda:us-east-1:111122223333:function:my-fn",
                    "arn:aws:lambda:us-east-1:111122223333:function:my-fn:*",
                ],
            ])

        let narrow =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","#
            + #""Action":["lambda:InvokeFunction","dynamodb:Query"],"Resource":["#
            + #""arn:aws:lambda:us-east-1:111122223333:function:my-fn","#
            + #""arn:aws:dynamodb:us-east-1:111122223333:table/orders"]}]}"#
        let (_, exact) = try Self.run(events, policy: narrow)
        #expect(
            try #require(exact.policy).statements.map(\.resources) == [
                ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"],
                ["arn:aws:lambda:us-east-1:111122223333:function:my-fn"],
            ])
    }

    /// A call with a qualifier is authorized on the qualified function ARN (`fn2:live`), which
    /// the catalog's `function` type does not fit: it is the scope, not today's `"*"` (a
    /// breaking pass found the grant kept whole).
    @Test func aQualifiedInvokeIsScopedToItsQualifiedARN() throws {
        func invoke(_ id: Int, _ arn: String) -> String {
            let event = F.event(
                id, source: "lambda", name: "Invoke", request: #"{"functionName":"\#(arn)"}"#)
            return event.dropLast()
                + #","resources":[{"ARN":"\#(arn)","type":"AWS::Lambda::Function"}]}"#
        }
        let base = "arn:aws:lambda:us-east-1:111122223333:function:"
        let events = [invoke(1, base + "fn"), invoke(2, base + "fn2:live")]
        let (_, suggestion) = try Self.run(events, policy: F.allow(["lambda:InvokeFunction"]))
        let statement = try #require(suggestion.policy?.statements.first)
        #expect(statement.resources == [base + "fn", base + "fn2:live", base + "fn:*"])
    }

    /// Wider scopes than the evidence (today's grant for created resources, a function's
    /// versions, a table's indexes) are written only where today's policies allow them without
    /// a condition, a Deny or a NotResource: a breaking pass found each of these made broader.
    @Test(arguments: [
        (
            // A conditional Allow on * and an unconditional one on dev-* tables.
            #"[{"Effect":"Allow","Action":"dynamodb:CreateTable","Resource":"*","#
                + #""Condition":{"StringEquals":{"aws:RequestTag/env":"dev"}}},"#
                + #"{"Effect":"Allow","Action":"dynamodb:CreateTable","#
                + #""Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/dev-*"}]"#,
            "CreateTable", #"{"tableName":"dev-1"}"#,
            ["arn:aws:dynamodb:us-east-1:111122223333:table/dev-*"]
        ),
        (
            #"[{"Effect":"Allow","Action":"dynamodb:CreateTable","#
                + #""NotResource":"arn:aws:dynamodb:us-east-1:111122223333:table/prod-*"}]"#,
            "CreateTable", #"{"tableName":"dev-1"}"#,
            ["arn:aws:dynamodb:us-east-1:111122223333:table/dev-1"]
        ),
        (
            #"[{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"},"#
                + #"{"Effect":"Deny","Action":"dynamodb:Query","#
                + #""Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/secret"}]"#,
            "Query", #"{"tableName":"orders"}"#,
            ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"]
        ),
        (
            #"[{"Effect":"Allow","Action":"dynamodb:Query","Resource":["#
                + #""arn:aws:dynamodb:us-east-1:111122223333:table/orders","#
                + #""arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/?"]}]"#,
            "Query", #"{"tableName":"orders"}"#,
            ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"]
        ),
    ])
    func widerScopesKeepTodaysConditionsAndExceptions(
        statements: String, call: String, request: String, expected: [String]
    ) throws {
        let policy = #"{"Version":"2012-10-17","Statement":"# + statements + "}"
        let (_, suggestion) = try Self.run(
            [F.event(1, source: "dynamodb", name: call, request: request)], policy: policy)
        let statement = try #require(suggestion.policy?.statements.first)
        #expect(statement.resources == expected)
        #expect(statement.condition.isEmpty)
    }

    /// iam:PassRole kept for a used call is kept only as today's policies allow it whole:
    /// on * with the admin role denied it would pass the admin role.
    @Test func passRoleWithADenyIsLeftOutAndDeniesAreSaid() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":["lambda:CreateFunction","iam:PassRole"],"#
            + #""Resource":"*"},"#
            + #"{"Effect":"Deny","Action":"iam:PassRole","#
            + #""Resource":"arn:aws:iam::111122223333:role/admin"}]}"#
        let (_, suggestion) = try Self.run(
            [F.event(1, source: "lambda", name: "CreateFunction20150331")], policy: policy)
        #expect(!(try Self.document(suggestion)).contains("iam:PassRole"))
        #expect(suggestion.warnings.contains { $0.hasPrefix("iam:PassRole left out:") })

        let conditionalDeny =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},"#
            + #"{"Effect":"Deny","Action":"s3:*","Resource":"*","#
            + #""Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
        let (_, https) = try Self.run(
            [
                F.event(
                    1, source: "s3", name: "GetObject", request: #"{"bucketName":"b","key":"k"}"#)
            ],
            policy: conditionalDeny)
        #expect(
            https.warnings.contains(
                "Deny statements of today's policies apply to s3:GetObject: this suggestion holds "
                    + "Allows only; keep those Deny statements attached"))
    }

    /// Names granted one by one are not rolled up into a prefix that reaches others.
    @Test func rollUpsStayWithinTheGrant() throws {
        let tables = (1...11).map {
            "arn:aws:dynamodb:us-east-1:111122223333:table/orders-\(String(format: "%02d", $0))"
        }
        let policy =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:GetItem","#
            + #""Resource":["# + tables.map { "\"\($0)\"" }.joined(separator: ",") + "]}}"
        let events = (1...11).map {
            F.event(
                $0, source: "dynamodb", name: "GetItem",
                request: #"{"tableName":"orders-\#(String(format: "%02d", $0))"}"#)
        }
        let (_, suggestion) = try Self.run(events, policy: policy)
        #expect(try #require(suggestion.policy).statements.first?.resources == tables)
        let (_, wide) = try Self.run(events, policy: F.allow(["dynamodb:GetItem"]))
        #expect(
            try #require(wide.policy).statements.first?.resources == [
                "arn:aws:dynamodb:us-east-1:111122223333:table/orders-*"
            ])
    }

    /// Written without conditions, a suggestion cannot carry the condition under which today's
    /// policies allow some resources: those are left out with a warning, never allowed bare.
    @Test func resourcesAllowedOnlyUnderAConditionAreLeftOut() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a/*"},"#
            + #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","#
            + #""Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#
        let events = [
            F.event(1, source: "s3", name: "GetObject", request: #"{"bucketName":"a","key":"x"}"#),
            F.event(2, source: "s3", name: "GetObject", request: #"{"bucketName":"b","key":"k"}"#),
        ]
        let (_, suggestion) = try Self.run(events, policy: policy)
        let statement = try #require(suggestion.policy?.statements.first)
        #expect(statement.resources == ["arn:aws:s3:::a/x"])
        #expect(statement.condition.isEmpty)
        #expect(
            suggestion.warnings.contains {
                $0.hasPrefix("s3:GetObject: allowed on 1 resource(s) only under a condition")
            })
    }

    /// A resource an unconditional Allow matches through wildcards inside its pattern (any
    /// region) is allowed without a condition: it is kept, not taken for a conditional one.
    @Test func resourcesMatchedThroughInnerWildcardsAreKept() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","#
            + #""Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:*:111122223333:table/orders"},"#
            + #"{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*","#
            + #""Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#
        let (_, suggestion) = try Self.run(
            [F.event(1, source: "dynamodb", name: "GetItem", request: #"{"tableName":"orders"}"#)],
            policy: policy)
        #expect(
            try #require(suggestion.policy).statements.first?.resources == [
                "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
            ])
        #expect(!suggestion.warnings.contains { $0.contains("only under a condition") })
    }
}
