import Foundation
import Testing

@testable import TrailAudit

@Suite struct SuggestAnalysisTests {
    typealias F = AnalysisFixture

    static func suggestion(_ events: [String], policy: String, arn: String = F.role) throws
        -> PrincipalSuggestion
    {
        let analysis = SuggestAnalysis(
            granted: [try F.principal(arn, policy: policy)], aggregate: try F.aggregate(events),
            window: TimeWindow())
        return try #require(analysis.principals.first)
    }

    /// The statements of a suggested policy as (actions, resources), parsed back from its text.
    static func statements(_ suggestion: PrincipalSuggestion) throws -> [([String], [String])] {
        let text = try #require(suggestion.policy).document.compactText
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["Version"] as? String == "2012-10-17")
        let statements = try #require(object["Statement"] as? [[String: Any]])
        return statements.map { statement in
            func list(_ value: Any?) -> [String] {
                (value as? [String]) ?? (value as? String).map { [$0] } ?? []
            }
            #expect(statement["Effect"] as? String == "Allow")
            return (list(statement["Action"]), list(statement["Resource"]))
        }
    }

    static func object(_ id: Int, _ key: String, error: String? = nil, name: String = "GetObject")
        -> String
    {
        F.event(
            id, source: "s3", name: name, error: error,
            request: #"{"bucketName":"reports","key":"\#(key)"}"#)
    }

    /// A multi-object delete on `bucket`: the bucket logged, no key.
    static func deleteObjects(_ id: Int, bucket: String) -> String {
        F.event(
            id, source: "s3", name: "DeleteObjects",
            request: #"{"bucketName":"\#(bucket)","delete":""}"#)
    }

    @Test func onlySucceededActionsScopedToWhatTheyTouched() throws {
        let suggestion = try Self.suggestion(
            [
                Self.object(1, "2024/a.csv"), Self.object(2, "2024/b.csv"),
                Self.object(3, "secret.txt", error: "AccessDenied", name: "PutObject"),
                F.event(
                    4, source: "dynamodb", name: "DescribeTable",
                    request: #"{"tableName":"orders"}"#),
                F.event(5, source: "sqs", name: "ListQueues"),
            ],
            policy: F.allow(["s3:*", "dynamodb:*", "sqs:*"]))
        let statements = try Self.statements(suggestion)
        #expect(
            statements.map(\.0) == [
                ["dynamodb:DescribeTable"], ["s3:GetObject"], ["sqs:ListQueues"],
            ])
        #expect(
            statements.map(\.1) == [
                ["arn:aws:dynamodb:us-east-1:111122223333:table/orders"],
                ["arn:aws:s3:::reports/2024/a.csv", "arn:aws:s3:::reports/2024/b.csv"], ["*"],
            ])
        // Denied: listed apart, never granted.
        #expect(suggestion.deniedActions.map(\.action) == ["s3:PutObject"])
        #expect(suggestion.removedActions.contains { $0.action == "s3:PutObject" })
        // Every "*" says why.
        #expect(
            suggestion.warnings.contains(
                "Resource \"*\": does not support resource-level permissions (catalog): sqs:ListQueues"
            ))
        #expect(!suggestion.removedActions.contains { $0.action == "s3:GetObject" })
        #expect(suggestion.removedActions.first?.accessLevel == .permissionsManagement)
    }

    /// DeleteObjects logs its bucket, never the keys (facts §5.2): s3:DeleteObject is scoped
    /// to that bucket's objects, not to `*`, and never wider than today's grant.
    @Test func aMultiObjectDeleteScopesToItsBucketsObjects() throws {
        let events = [
            Self.deleteObjects(1, bucket: "reports"),
            Self.object(2, "2024/a.csv"),
        ]
        let wide = try Self.suggestion(events, policy: F.allow(["s3:*"]))
        #expect(
            try Self.statements(wide).map(\.1) == [
                ["arn:aws:s3:::reports/*"], ["arn:aws:s3:::reports/2024/a.csv"],
            ])
        #expect(wide.warnings.contains { $0.contains("names only its bucket") })
        // A grant of one prefix does not reach every object of the bucket: kept as it is.
        let narrow = try Self.suggestion(
            events,
            policy: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"#
                + #"["s3:DeleteObject","s3:GetObject"],"Resource":"arn:aws:s3:::reports/2024/*"}]}"#
        )
        #expect(
            try Self.statements(narrow).map(\.1) == [
                ["arn:aws:s3:::reports/2024/*"], ["arn:aws:s3:::reports/2024/a.csv"],
            ])
    }

    /// A grant of every bucket's objects reaches the deleted bucket's objects without a
    /// condition: scoped to that bucket, with no warning of a condition there is not.
    @Test func aMultiObjectDeleteUnderAGrantOfAllObjects() throws {
        let delete = Self.deleteObjects(1, bucket: "b21")
        let suggestion = try Self.suggestion(
            [delete],
            policy: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"#
                + #""s3:DeleteObject","Resource":"arn:aws:s3:::*/*"}]}"#)
        #expect(try Self.statements(suggestion).map(\.1) == [["arn:aws:s3:::b21/*"]])
        #expect(!suggestion.warnings.contains { $0.contains("only under a condition") })
    }

    /// Where the grant cannot be written as it is (NotResource, a condition on part of it),
    /// the fallback keeps what holds alone, never the grant bare.
    @Test func aFallbackNeverDropsAnExclusionOrACondition() throws {
        let excluded =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","#
            + #""NotResource":"arn:aws:s3:::b4/keep/*"}]}"#
        // The bucket's objects, not "*": the exclusion is named in the warning.
        let bucket = try Self.suggestion(
            [Self.deleteObjects(1, bucket: "b4")], policy: excluded)
        #expect(try Self.statements(bucket).map(\.1) == [["arn:aws:s3:::b4/*"]])
        #expect(bucket.warnings.contains { $0.contains("NotResource") })
        // No resource at all: "*", with the loss said.
        let nothing = try Self.suggestion(
            [F.event(1, source: "s3", name: "DeleteObject")], policy: excluded)
        #expect(try Self.statements(nothing).map(\.1) == [["*"]])
        #expect(nothing.warnings.contains { $0.contains("does not carry: add them back by hand") })
        // Two buckets' objects, one of them granted only from one network: the other alone.
        let conditional =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","#
            + #""Resource":"arn:aws:s3:::b13/*"},{"Effect":"Allow","Action":"s3:DeleteObject","#
            + #""Resource":"arn:aws:s3:::b13x/*","Condition":{"IpAddress":{"aws:SourceIp":"#
            + #""10.0.0.0/8"}}}]}"#
        let part = try Self.suggestion(
            ["b13", "b13x"].enumerated().map { index, name in
                Self.deleteObjects(index, bucket: name)
            }, policy: conditional)
        #expect(try Self.statements(part).map(\.1) == [["arn:aws:s3:::b13/*"]])
        #expect(part.warnings.contains { $0.contains("left out, add it back with them") })
        // Granted through NotResource under a condition: the condition is kept, the
        // exclusion cannot be; never "*" without a word.
        let both =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","#
            + #""NotResource":"arn:aws:s3:::b4/keep/*","Condition":{"IpAddress":{"aws:SourceIp":"#
            + #""10.0.0.0/8"}}}]}"#
        let kept = try Self.suggestion(
            [Self.deleteObjects(1, bucket: "b4")], policy: both)
        #expect(try Self.statements(kept).map(\.1) == [["arn:aws:s3:::b4/*"]])
        #expect(kept.warnings.contains { $0.contains("check it against today's by hand") })
        #expect(
            kept.warnings.contains {
                $0.contains("allows all of s3:DeleteObject on arn:aws:s3:::b4/*: written under")
            })
        let unnamed = try Self.suggestion(
            [F.event(1, source: "s3", name: "DeleteObject")], policy: both)
        #expect(unnamed.warnings.contains { $0.contains("does not carry: add them back by hand") })
    }

    /// Granted under two conditions on different resources (one statement names a prefix, the
    /// other everything but it): each condition is written with the resources its own
    /// statement allows, never with the other's.
    @Test func eachConditionKeepsItsOwnResources() throws {
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","#
            + #""Resource":"arn:aws:s3:::reports/private/*","Condition":{"IpAddress":{"aws:Sour"#
            + #"ceIp":"10.0.0.0/8"}}},{"Effect":"Allow","Action":"s3:GetObject","NotResource":"#
            + #""arn:aws:s3:::reports/private/*","Condition":{"Bool":{"aws:SecureTransport":"#
            + #""true"}}}]}"#
        let suggestion = try Self.suggestion(
            [Self.object(1, "private/a.csv"), Self.object(2, "public/b.csv")], policy: policy)
        let text = try #require(suggestion.policy).document.compactText
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let statements = try #require(object["Statement"] as? [[String: Any]])
        var byCondition: [String: [String]] = [:]
        for statement in statements {
            let condition = try #require(statement["Condition"] as? [String: Any])
            let resources =
                (statement["Resource"] as? [String])
                ?? (statement["Resource"] as? String).map { [$0] } ?? []
            byCondition[condition.keys.sorted().joined(separator: ","), default: []] += resources
        }
        #expect(
            byCondition == [
                "IpAddress": ["arn:aws:s3:::reports/private/a.csv"],
                "Bool": ["arn:aws:s3:::reports/public/b.csv"],
            ])
        #expect(suggestion.warnings.contains { $0.contains("under 2 different conditions") })
        // What each condition's own statement allows whole: its Resource pattern, or what
        // its NotResource pattern leaves out; neither allows the whole bucket.
        let policies = try permissions(["p": policy])
        let sets = try #require(policies.grantingConditions(action: "s3:GetObject"))
        let (ip, tls) = (try #require(sets.first), try #require(sets.last))
        for (condition, pattern, allowed) in [
            (ip, "reports/private/*", true), (ip, "reports/*", false),
            (tls, "reports/public/b.csv", true), (tls, "reports/*", false),
            (tls, "reports/private/x", false),
        ] {
            #expect(
                policies.conditionallyAllows(
                    action: "s3:GetObject", under: condition, on: "arn:aws:s3:::" + pattern)
                    == allowed, "\(pattern)")
        }
    }

    /// A creating call's scope (today's grant, else what the events name) never rolls many
    /// names up to a prefix today's grant does not cover.
    @Test func createdResourcesAreNeverRolledUpPastTheGrant() throws {
        let tables = (1...11).map { String(format: "orders-2024-%02d", $0) }
        let arns = tables.map { "arn:aws:dynamodb:us-east-1:111122223333:table/\($0)" }
        let list = arns.map { "\"\($0)\"" }.joined(separator: ",")
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:Crea"#
            + #"teTable","Resource":[\#(list)]},{"Effect":"Deny","Action":"dynamodb:*","#
            + #""Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
        let events = tables.enumerated().map { index, table in
            F.event(
                index, source: "dynamodb", name: "CreateTable",
                request: #"{"tableName":"\#(table)"}"#)
        }
        let suggestion = try Self.suggestion(events, policy: policy)
        #expect(try Self.statements(suggestion).map(\.1) == [arns])
    }

    /// A document older than 2012-10-17 reads `${aws:username}` as text: the suggestion, a
    /// 2012-10-17 document, writes it escaped so that it still means that text.
    @Test func anOlderDocumentsDollarSignsStayText() throws {
        let policy =
            #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","#
            + #""Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#
        let suggestion = try Self.suggestion(
            [Self.deleteObjects(1, bucket: "b")], policy: policy)
        #expect(
            try Self.statements(suggestion).map(\.1) == [["arn:aws:s3:::b/${$}{aws:username}/*"]])
    }

    /// A key's wildcard characters are written escaped, scalar by scalar (a `*` with a
    /// combining mark is one Character and still a wildcard to IAM).
    @Test func literalsEscapeEveryWildcardScalar() {
        #expect(ResourceScope.literal("b/x*\u{301}") == "b/x${*}\u{301}")
        #expect(ResourceScope.literal("b/a?b$c") == "b/a${?}b${$}c")
        #expect(ResourceScope.literal("b/plain") == "b/plain")
    }

    @Test func manyObjectsRollUpToTheirCommonPrefix() throws {
        let events = (0..<8).map { Self.object($0, "logs/2024/03/part-\($0).gz") }
        let statements = try Self.statements(
            try Self.suggestion(events, policy: F.allow(["s3:GetObject"])))
        #expect(statements.map(\.1) == [["arn:aws:s3:::reports/logs/2024/03/*"]])
    }

    @Test func nothingSucceededMeansNoPolicyAndSaysSo() throws {
        let suggestion = try Self.suggestion(
            [F.event(1, source: "sqs", name: "ListQueues", error: "AccessDenied")],
            policy: F.allow(["sqs:*"]))
        #expect(suggestion.policy == nil)
        #expect(suggestion.deniedActions.map(\.action) == ["sqs:ListQueues"])
        #expect(suggestion.warnings.contains { $0.hasPrefix("no call of it succeeded") })

        // Calls that succeeded outside the grant are not "no call succeeded" (a breaking pass).
        let elsewhere = try Self.suggestion(
            [F.event(1, source: "sqs", name: "ListQueues")], policy: F.allow(["sns:ListTopics"]))
        #expect(elsewhere.policy == nil)
        #expect(!elsewhere.warnings.contains { $0.hasPrefix("no call of it succeeded") })
        #expect(
            elsewhere.warnings.contains {
                $0.hasPrefix("no call of an action its policies grant succeeded in the window")
            })
    }

    @Test func passRoleStaysWhenAUsedCallPassesARole() throws {
        let suggestion = try Self.suggestion(
            [F.event(1, source: "lambda", name: "CreateFunction20150331")],
            policy: F.allow(["lambda:*", "iam:PassRole", "iam:GetRole"]))
        let statements = try Self.statements(suggestion)
        #expect(statements.map(\.0) == [["iam:PassRole"], ["lambda:CreateFunction"]])
        #expect(!suggestion.removedActions.contains { $0.action == "iam:PassRole" })
        #expect(suggestion.removedActions.contains { $0.action == "iam:GetRole" })
        #expect(
            suggestion.warnings.contains(
                "kept without events (may be needed by a used action): iam:PassRole"))

        let without = try Self.suggestion(
            [F.event(1, source: "lambda", name: "ListFunctions20150331")],
            policy: F.allow(["lambda:*", "iam:PassRole"]))
        #expect(try Self.statements(without).map(\.0) == [["lambda:ListFunctions"]])
        #expect(without.removedActions.contains { $0.action == "iam:PassRole" })
        #expect(
            without.warnings.contains {
                $0.hasPrefix("iam:PassRole removed: none of its used calls is one trailaudit")
            })

        // A CloudFormation change set names the role the stack runs as (CDK, SAM deploys).
        let changeSet = try Self.suggestion(
            [F.event(1, source: "cloudformation", name: "CreateChangeSet")],
            policy: F.allow(["cloudformation:*", "iam:PassRole"]))
        #expect(
            try Self.statements(changeSet).map(\.0) == [
                ["cloudformation:CreateChangeSet"], ["iam:PassRole"],
            ])
    }

    /// PassRole kept without events under a condition: only where one statement of that
    /// condition allows each of its patterns whole; a NotResource exclusion (never the admin
    /// role) is never lost to "*".
    @Test func aConditionalPassRoleIsKeptOnlyAsTodaysStatementsAllowIt() throws {
        func policy(_ passRole: String) -> String {
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","#
                + #""Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole",\#(passRole),"#
                + #""Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]}"#
        }
        let create = [F.event(1, source: "lambda", name: "CreateFunction20150331")]
        let excluded = try Self.suggestion(
            create, policy: policy(#""NotResource":"arn:aws:iam::111122223333:role/admin""#))
        #expect(try Self.statements(excluded).map(\.0) == [["lambda:CreateFunction"]])
        #expect(excluded.warnings.contains { $0.hasPrefix("iam:PassRole left out") })
        let listed = try Self.suggestion(
            create, policy: policy(#""Resource":"arn:aws:iam::111122223333:role/app-*""#))
        let statements = try Self.statements(listed)
        #expect(
            statements.contains {
                $0.0 == ["iam:PassRole"] && $0.1 == ["arn:aws:iam::111122223333:role/app-*"]
            })
        let text = try #require(listed.policy).document.compactText
        #expect(text.contains(#""iam:PassedToService":"lambda.amazonaws.com""#))
        // On "*" with a Deny of the admin role beside it: a suggestion put in place of the
        // policy could lose the Deny, so PassRole is left out, as without the condition.
        let denied = try Self.suggestion(
            create,
            policy: policy(#""Resource":"*""#).replacingOccurrences(
                of: "]}",
                with: #",{"Effect":"Deny","Action":"iam:PassRole","Resource":"#
                    + #""arn:aws:iam::111122223333:role/admin"}]}"#))
        #expect(try Self.statements(denied).map(\.0) == [["lambda:CreateFunction"]])
        #expect(denied.warnings.contains { $0.hasPrefix("iam:PassRole left out") })
    }

    /// A condition of a document older than 2012-10-17 reads `${aws:username}` as text: the
    /// suggestion, a 2012-10-17 document, writes its `$` as `${$}` to mean the same.
    @Test func conditionsOfOldDocumentsKeepTheirMeaning() throws {
        let policy =
            #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","#
            + #""Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"#
            + #""home/${aws:username}/*"}}}]}"#
        let suggestion = try Self.suggestion(
            [F.event(1, source: "s3", name: "ListObjects", request: #"{"bucketName":"b"}"#)],
            policy: policy)
        let text = try #require(suggestion.policy).document.compactText
        #expect(text.contains(#""s3:prefix":"home/${$}{aws:username}/*""#))
        #expect(!text.contains(#""home/${aws:username}/*""#))
    }

    /// ec2:RunInstances names the instances it made: scoped to them, the next launch (new ids)
    /// and every launch (its image, subnet and security group) would be denied; it keeps its
    /// current grant, and ec2:CreateTags, which tagging at launch needs without an event.
    @Test func callsThatCreateOrNeedUnnamedResourcesKeepTheirGrant() throws {
        let instance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"
        let launch = F.event(
            1, source: "ec2", name: "RunInstances",
            response: #"{"instancesSet":{"items":[{"instanceId":"i-0abc"}]}}"#
        )
        .replacingOccurrences(
            of: #""recipientAccountId""#,
            with: #""resources":[{"ARN":"\#(instance)","accountId":"111122223333"}],"#
                + #""recipientAccountId""#)
        let suggestion = try Self.suggestion(
            [launch], policy: F.allow(["ec2:RunInstances", "ec2:CreateTags", "ec2:DeleteVpc"]))
        let statements = try Self.statements(suggestion)
        #expect(statements.map(\.0) == [["ec2:CreateTags", "ec2:RunInstances"]])
        #expect(statements.map(\.1) == [["*"]])
        #expect(
            suggestion.warnings.contains {
                $0.hasPrefix("Resource \"*\": its calls also act on image, ")
                    && $0.hasSuffix("ec2:RunInstances")
            })
        #expect(
            suggestion.warnings.contains(
                "kept without events (may be needed by a used action): ec2:CreateTags"))

        let tables = (0..<2).map {
            F.event(
                $0, source: "dynamodb", name: "CreateTable",
                request: #"{"tableName":"build-\#($0)"}"#)
        }
        let created = try Self.suggestion(tables, policy: F.allow(["dynamodb:CreateTable"]))
        #expect(try Self.statements(created).map(\.1) == [["*"]])
        #expect(
            created.warnings.contains(
                "Resource \"*\": creates the tables its events name: later calls name new ones: "
                    + "dynamodb:CreateTable"))
    }

    /// Every EC2 call that makes something may tag it as it makes it, with no CreateTags
    /// event: RegisterImage and PurchaseHostReservation take tag specifications as RunInstances
    /// does, so ec2:CreateTags stays granted beside them.
    @Test(arguments: ["RegisterImage", "PurchaseHostReservation", "CreateVolume"])
    func ec2CallsThatMakeSomethingKeepCreateTags(name: String) throws {
        let suggestion = try Self.suggestion(
            [F.event(1, source: "ec2", name: name)],
            policy: F.allow(["ec2:\(name)", "ec2:CreateTags", "ec2:DeleteVpc"]))
        #expect(try Self.statements(suggestion).flatMap(\.0) == ["ec2:CreateTags", "ec2:\(name)"])
        #expect(
            suggestion.warnings.contains(
                "kept without events (may be needed by a used action): ec2:CreateTags"))
    }

    /// A `register` call that makes nothing (it records or attaches) tags nothing: ec2:CreateTags
    /// granted beside it is not kept for it.
    @Test func ec2RegisterCallsThatMakeNothingDoNotKeepCreateTags() throws {
        let name = "RegisterInstanceEventNotificationAttributes"
        let suggestion = try Self.suggestion(
            [F.event(1, source: "ec2", name: name)],
            policy: F.allow(["ec2:\(name)", "ec2:CreateTags"]))
        #expect(try Self.statements(suggestion).flatMap(\.0) == ["ec2:\(name)"])
    }

    @Test func callsTheCatalogCannotNameAreSaidToBeMissing() throws {
        let suggestion = try Self.suggestion(
            [
                F.event(1, source: "sqs", name: "ListQueues"),
                F.event(2, source: "sqs", name: "PeekAtMessages"),
            ], policy: F.allow(["sqs:*"]))
        #expect(
            suggestion.warnings.contains(
                "calls of sqs:PeekAtMessages map to no action in the catalog: the actions they "
                    + "need are not in this policy; add them before applying it"))
    }

    @Test func serviceLinkedRolesGetNoSuggestion() throws {
        let arn = "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/X"
        let suggestion = try Self.suggestion(
            [F.event(1, source: "ec2", name: "DescribeInstances", identity: F.session(of: arn))],
            policy: F.allow(["ec2:*"]), arn: arn)
        #expect(suggestion.isServiceLinked && suggestion.policy == nil)
        #expect(
            suggestion.warnings.last == "service-linked role: AWS owns its policies; no suggestion")
    }

    @Test func namesOfOneKindRollUpToTheirStem() throws {
        let events = (0..<30).map {
            F.event(
                $0, source: "dynamodb", name: "DescribeTable",
                request: #"{"tableName":"orders-archive-\#($0)"}"#)
        }
        let suggestion = try Self.suggestion(events, policy: F.allow(["dynamodb:*"]))
        #expect(
            try Self.statements(suggestion).map(\.1) == [
                ["arn:aws:dynamodb:us-east-1:111122223333:table/orders-archive-*"]
            ])
        #expect(
            suggestion.warnings.contains {
                $0 == "resources widened: many resources touched: rolled up to prefixes: "
                    + "dynamodb:DescribeTable"
            })
    }

    @Test func aPolicyOverTheInlineQuotaRollsUpAndStaysValid() throws {
        // 60 buckets with 5 objects each, listed one by one, exceed 10,240 characters.
        var events: [String] = []
        for bucket in 0..<60 {
            for object in 0..<5 {
                events.append(
                    F.event(
                        events.count, source: "s3", name: "GetObject",
                        request: #"{"bucketName":"bucket-\#(bucket)","#
                            + #""key":"exports/daily/part-\#(object).csv.gz"}"#))
            }
        }
        let suggestion = try Self.suggestion(events, policy: F.allow(["s3:GetObject"]))
        let policy = try #require(suggestion.policy)
        #expect(policy.size <= PolicySuggestion.inlinePolicyLimit)
        #expect(policy.size == policy.document.compactText.utf8.count)
        let resources = try #require(try Self.statements(suggestion).first).1
        #expect(resources == (0..<60).map { "arn:aws:s3:::bucket-\($0)/*" }.sorted())
        #expect(suggestion.warnings.contains { $0.contains("over the 10240 of a role's inline") })
    }
}

@Suite struct SuggestOutputTests {
    @Test(arguments: [("{}", "```"), ("a ``` b", "````"), ("`````", "``````")])
    func codeFencesOutgrowTheBackticksInside(text: String, fence: String) {
        #expect(SuggestAnalysis.codeBlock(text) == fence + "json\n" + text + "\n" + fence + "\n")
    }
}

@Suite struct JSONEscapingTests {
    /// Text output escapes what JSON escapes: controls, line separators, bidi formatting.
    @Test(arguments: [
        ("a\u{061C}b", "a\\u{061c}b"), ("a\u{2028}b", "a\\u{2028}b"), ("a\u{2069}b", "a\\u{2069}b"),
        ("شكرا", "شكرا"), ("\u{1B}", "\\x1b"),
        // Invisible characters a breaking pass found unescaped: two names looked alike.
        ("adm\u{2062}in", "adm\\u{2062}in"), ("a\u{206A}b", "a\\u{206a}b"),
        ("a\u{180E}b", "a\\u{180e}b"), ("a\u{034F}b", "a\\u{034f}b"),
        ("a\u{3164}b", "a\\u{3164}b"), ("a\u{FE0F}b", "a\\u{fe0f}b"),
        ("a\u{FFF9}b", "a\\u{fff9}b"), ("é 中文 →", "é 中文 →"),
    ])
    func textEscapesWhatJSONEscapes(value: String, shown: String) {
        #expect(SafeText.terminal(value) == shown)
    }

    /// Strings from the logs reach JSON escaped where a terminal would act on them, and the
    /// result is still valid JSON (suggested policies are copied from it).
    @Test(arguments: [
        ("plain", "\"plain\""), ("a\"b\\c", #""a\"b\\c""#), ("\u{1B}[31m", #""\u001b[31m""#),
        ("x\u{202E}y", #""x\u202ey""#), ("\u{85}", #""\u0085""#), ("é ü", "\"é ü\""),
        ("\u{2028}", #""\u2028""#), ("→", "\"→\""), ("a\u{061C}b", #""a\u061cb""#),
        ("شكرا", "\"شكرا\""), ("a\u{200B}b", #""a\u200bb""#), ("\u{E0041}", #""\udb40\udc41""#),
        ("\u{FEFF}中文", #""\ufeff中文""#), ("adm\u{2062}in", #""adm\u2062in""#),
        ("a\u{3164}b", #""a\u3164b""#), ("é\u{FE0F}", #""é\ufe0f""#),
    ])
    func stringsAreQuotedSafely(value: String, quoted: String) throws {
        var output = ""
        JSONWriter.appendQuoted(value, to: &output)
        #expect(output == quoted)
        let parsed =
            try JSONSerialization.jsonObject(
                with: Data(("[" + output + "]").utf8)) as? [String]
        #expect(parsed == [value])
    }
}
