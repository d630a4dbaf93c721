import Testing

@testable import TrailAudit

@Suite struct GrantedActionsTests {
    @Test func administratorAccessGrantsTheWholeUniverse() throws {
        let granted = try permissions(["AdministratorAccess": statement("Allow", #""Action": "*""#)]
        )
        let grants = granted.grantedActions(in: smallUniverse)
        #expect(Set(grants.keys) == Set(smallUniverse))
        #expect(
            grants["kms:Decrypt"]
                == Grant(
                    isConditional: false, isPartiallyDenied: false, resourcePatterns: ["*"],
                    sources: ["AdministratorAccess"]))
    }

    /// (Action element, the actions it expands to).
    @Test(
        arguments: [
            (#""s3:Get*""#, ["s3:GetBucketPolicy", "s3:GetObject"]),
            (#""S3:get*""#, ["s3:GetBucketPolicy", "s3:GetObject"]),
            (#""s3:*Object""#, ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]),
            (#""*:Get*""#, ["iam:GetRole", "s3:GetBucketPolicy", "s3:GetObject"]),
            (
                #"["ec2:*", "sts:AssumeRole"]"#,
                ["ec2:DescribeInstances", "ec2:RunInstances", "sts:AssumeRole"]
            ),
            (#""s3:Get?bject""#, ["s3:GetObject"]),
            (#""s3:GetObjectVersion""#, []),
            (#""nosuchservice:*""#, []),
            (#""s3""#, []),
        ])
    func wildcardsExpandToRealActions(action: String, expected: [String]) throws {
        let granted = try permissions(["p": statement("Allow", #""Action": \#(action)"#)])
        #expect(granted.grantedActions(in: smallUniverse).keys.sorted() == expected)
    }

    @Test func notActionExpandsToTheComplement() throws {
        let granted = try permissions([
            "p": statement("Allow", #""NotAction": ["iam:*", "sts:*", "s3:*"]"#)
        ])
        #expect(
            granted.grantedActions(in: smallUniverse).keys.sorted()
                == [
                    "cloudformation:CreateStack", "ec2:DescribeInstances", "ec2:RunInstances",
                    "kms:Decrypt",
                ])
    }

    @Test func boundaryLimitsTheGrantedSet() throws {
        let granted = try permissions(
            ["admin": statement("Allow", #""Action": "*""#)],
            boundary: statement(
                "Allow", #""Action": "s3:*""#, #""Resource": "arn:aws:s3:::data/*""#))
        let grants = granted.grantedActions(in: smallUniverse)
        #expect(
            grants.keys.sorted()
                == [
                    "s3:DeleteObject", "s3:GetBucketPolicy", "s3:GetObject", "s3:ListBucket",
                    "s3:PutObject",
                ])
        #expect(grants["s3:GetObject"]?.resourcePatterns == ["*"])
        #expect(grants["s3:GetObject"]?.boundaryResourcePatterns == ["arn:aws:s3:::data/*"])
    }

    @Test func flagsPatternsAndSourcesAreMerged() throws {
        let granted = try permissions([
            "read": statement(
                "Allow", #""Action": "s3:GetObject""#,
                #""Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]"#),
            "read-more": statement(
                "Allow", #""Action": ["s3:Get*", "s3:ListBucket"]"#,
                #""Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::c"]"#,
                condition: #"{"Bool": {"aws:SecureTransport": "true"}}"#),
            "no-delete": statement(
                "Deny", #""Action": "s3:GetObject""#, #""Resource": "arn:aws:s3:::a/x""#),
            "not-here": statement(
                "Allow", #""Action": "kms:Decrypt""#, #""NotResource": "arn:aws:kms:*:*:key/k""#),
        ])
        let grants = granted.grantedActions(in: smallUniverse)
        #expect(
            grants["s3:GetObject"]
                == Grant(
                    isConditional: false, isPartiallyDenied: true,
                    resourcePatterns: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*", "arn:aws:s3:::c"],
                    sources: ["read", "read-more"]))
        #expect(grants["s3:ListBucket"]?.isConditional == true)
        #expect(grants["s3:ListBucket"]?.sources == ["read-more"])
        #expect(grants["kms:Decrypt"]?.resourcePatterns == [])
        #expect(grants["kms:Decrypt"]?.excludedResourcePatterns == ["arn:aws:kms:*:*:key/k"])
    }

    @Test func deniedEverywhereIsNotGranted() throws {
        let granted = try permissions([
            "admin": statement("Allow", #""Action": "*""#),
            "no-iam": statement("Deny", #""Action": "iam:*""#),
        ])
        let grants = granted.grantedActions(in: smallUniverse)
        #expect(grants.keys.filter { $0.hasPrefix("iam:") }.isEmpty)
        #expect(grants.count == smallUniverse.count - 3)
    }

    /// Every fixture role's expansion agrees with asking about each action one by one.
    @Test func expansionAgreesWithActionLevelDecisions() throws {
        let export = try fixtureExport()
        for role in export.roles {
            let granted = export.effectivePermissions(for: role)
            let grants = granted.grantedActions(in: smallUniverse)
            for action in smallUniverse {
                let decision = granted.decision(action: action, resource: nil)
                #expect(decision.isAllowed == (grants[action] != nil), "\(role.arn) \(action)")
                #expect(
                    (decision.verdict == .allowedConditionally)
                        == (grants[action]?.isConditional ?? false),
                    "\(role.arn) \(action)")
                #expect(decision.isPartiallyDenied == (grants[action]?.isPartiallyDenied ?? false))
            }
        }
    }

    @Test func grantTableLooksActionsUpCaseInsensitively() throws {
        let granted = try permissions(["p": statement("Allow", #""Action": ["s3:Get*", "kms:*"]"#)])
        let table = granted.grants(in: ActionUniverse(smallUniverse))
        #expect(table.count == 3)
        #expect(table["S3:GETOBJECT"]?.sources == ["p"])
        #expect(table["s3:PutObject"] == nil)
        #expect(table["s3:NoSuchAction"] == nil)
        #expect(table.map(\.action) == ["kms:Decrypt", "s3:GetBucketPolicy", "s3:GetObject"])
        #expect(table.dictionary == granted.grantedActions(in: smallUniverse))
    }

    @Test func universeIndexesEachNameOnceInCaseInsensitiveOrder() {
        let universe = ActionUniverse([
            "s3:GetObject", "S3:getobject", "s3express:CreateSession", "a:B",
        ])
        #expect(universe.names == ["a:B", "s3:GetObject", "s3express:CreateSession"])
        #expect(universe.index(of: "S3EXPRESS:createsession") == 2)
        #expect(universe.index(of: "s3:Get") == nil)
    }

    @Test func largeUniverseIsExpandedOncePerPolicy() throws {
        // 22,000 names across 400 services, like the catalog.
        let universe = (0..<22_000).map { "svc\($0 % 400):Action\($0)" }
        let admin = try permissions(["AdministratorAccess": statement("Allow", #""Action": "*""#)])
        let reader = try permissions([
            "read": statement("Allow", #""Action": ["svc7:*", "*:Action1*"]"#)
        ])

        let index = ActionUniverse.of(universe)
        #expect(ActionUniverse.of(universe) === index)
        #expect(admin.grants(in: index).count == 22_000)
        let read = reader.grants(in: index)
        let expected = universe.filter { $0.hasPrefix("svc7:") || $0.contains(":Action1") }
        #expect(Set(read.map(\.action)) == Set(expected))
    }
}

@Suite struct OverlapBudgetTests {
    /// One policy: an Allow of `s3:*` on each of `allowed`, a Deny of `s3:*` on each of `denied`.
    static func granted(allowed: [String], denied: [String]) throws -> EffectivePermissions {
        func statements(_ effect: String, _ resources: [String]) -> [String] {
            resources.map { #"{"Effect": "\#(effect)", "Action": "s3:*", "Resource": "\#($0)"}"# }
        }
        let body = (statements("Allow", allowed) + statements("Deny", denied))
        let json = #"{"Version": "2012-10-17", "Statement": [\#(body.joined(separator: ","))]}"#
        return try permissions(["p": json])
    }

    /// `x`, `stars` times `a*`, `y` (at least `stars` + 2 characters) and `x`, `marks` question
    /// marks, `y` (exactly `marks` + 2): disjoint when `marks` < `stars`.
    static func race(stars: Int, marks: Int, count: Int) -> ([String], [String]) {
        let atLeast = "x" + String(repeating: "a*", count: stars) + "y"
        let exactly = "x" + String(repeating: "?", count: marks) + "y"
        return (
            (0..<count).map { "\(atLeast)\($0 % 2 == 0 ? "" : "*")" },
            (0..<count).map { "\(exactly)\($0 % 2 == 0 ? "" : "*")" }
        )
    }

    @Test func denyOnDisjointResourcesLeavesTheGrantWhole() throws {
        let (allowed, denied) = Self.race(stars: 30, marks: 29, count: 1)
        let granted = try Self.granted(allowed: allowed, denied: denied)
        let grant = try #require(granted.grantedActions(in: smallUniverse)["s3:GetObject"])
        #expect(!grant.isPartiallyDenied)
    }

    @Test func evaluationSpendsAtMostItsBudgetThenAssumesPartialDenial() throws {
        // 40 by 40 pairs of 600 by 300 token products: 288 million steps if all were searched.
        let (allowed, denied) = Self.race(stars: 300, marks: 299, count: 40)
        let granted = try Self.granted(allowed: allowed, denied: denied)
        let matched = Array(granted.statements.indices)
        var overlaps = ResourceOverlaps(budget: 200_000)
        let outcome = granted.actionLevelOutcome(of: matched, overlaps: &overlaps)
        #expect(overlaps.budget <= 0)
        #expect(overlaps.budget > -1_000)
        #expect(outcome.decision.verdict == .allowed)
        #expect(outcome.decision.isPartiallyDenied)
    }

}

@Suite struct GrantingConditionsTests {
    static let mfa = PolicyCondition(
        operator: "Bool", key: "aws:MultiFactorAuthPresent", values: ["true"])
    static let network = PolicyCondition(
        operator: "IpAddress", key: "aws:SourceIp", values: ["10.0.0.0/8"])

    @Test func conditionalAllowsGiveTheirConditions() throws {
        let granted = try permissions([
            "mfa": statement(
                "Allow", #""Action": "s3:Get*""#,
                condition: #"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#),
            "network": statement(
                "Allow", #""Action": "s3:*""#,
                condition: #"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#),
            "other": statement("Allow", #""Action": "iam:GetRole""#),
        ])
        #expect(granted.grantingConditions(action: "s3:GetObject") == [[Self.mfa], [Self.network]])
        #expect(granted.grantingConditions(action: "S3:PutObject") == [[Self.network]])
        #expect(granted.grantingConditions(action: "iam:GetRole") == nil)
        #expect(granted.grantingConditions(action: "kms:Decrypt") == [])
    }

    @Test func anUnconditionalAllowNeedsNoCondition() throws {
        let granted = try permissions([
            "mfa": statement(
                "Allow", #""Action": "s3:GetObject""#,
                condition: #"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#),
            "plain": statement("Allow", #""Action": "s3:*""#, #""Resource": "arn:aws:s3:::b/*""#),
        ])
        #expect(granted.grantingConditions(action: "s3:GetObject") == nil)
    }

    @Test func boundaryConditionsAreLeftOut() throws {
        let granted = try permissions(
            ["plain": statement("Allow", #""Action": "s3:*""#)],
            boundary: statement(
                "Allow", #""Action": "*""#,
                condition: #"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#))
        #expect(granted.grantingConditions(action: "s3:GetObject") == nil)
        #expect(granted.grantingConditions(action: "iam:GetRole") == [])
    }
}
