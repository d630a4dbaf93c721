import Testing

@testable import TrailAudit

/// A Deny on some resources that still covers every ARN an action can take (by the catalog's
/// ARN templates) removes the action; when unsure it only partially denies.
@Suite struct CatalogCoverageTests {
    /// An Allow of `action` on `*` and an unconditional Deny of it on `resource`, for a
    /// principal of the `aws` partition.
    static func allowThenDeny(
        _ action: String, on resource: String, catalog: IAMCatalog? = .shared,
        condition: String = ""
    ) throws -> EffectivePermissions {
        let json = #"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "\#(action)", "Resource": "*"},
              {"Effect": "Deny", "Action": "\#(action)", "Resource": "\#(resource)"\#(condition)}]}
            """#
        let document = try policy(json, name: "p")
        return EffectivePermissions(
            principalArn: "arn:aws:iam::111122223333:role/app",
            policies: [(PolicySource(name: "p", kind: .inline), document)], catalog: catalog)
    }

    /// (action, denied resource): the Deny covers every template of the action.
    @Test(
        arguments: [
            ("sqs:DeleteQueue", "arn:aws:sqs:*"),
            ("sqs:DeleteQueue", "arn:*"),
            ("s3:DeleteBucket", "arn:aws:s3:::*"),
            ("s3:GetObject", "arn:aws:s3:*"),
            ("iam:PassRole", "arn:aws:iam::*"),
            ("iam:PassRole", "arn:aws:iam:*"),
        ])
    func denyOnEveryArnRemovesTheAction(action: String, resource: String) throws {
        let permissions = try Self.allowThenDeny(action, on: resource)
        let decision = permissions.decision(action: action, resource: nil)
        #expect(decision.verdict == .explicitlyDenied)
        #expect(decision.sources == ["p"])
        #expect(permissions.grants(in: ActionUniverse([action, "kms:Decrypt"]))[action] == nil)
    }

    /// (action, denied resource): some ARN of the action stays outside the Deny.
    @Test(
        arguments: [
            // `s3:GetObject` also takes access-point object ARNs (arn:aws:s3:REGION:...).
            ("s3:GetObject", "arn:aws:s3:::*"),
            ("s3:GetObject", "arn:aws:s3:::b/*"),
            ("sqs:DeleteQueue", "arn:aws:sqs:us-east-1:*"),
            ("sqs:DeleteQueue", "arn:aws-cn:sqs:*"),
            ("sqs:DeleteQueue", "arn:aws:sqs:?*"),
            ("sqs:DeleteQueue", "arn:aws:sqs:${aws:username}*"),
            ("sqs:DeleteQueue", "arn:aws:sqs"),
            ("iam:PassRole", "arn:aws:iam::111122223333:*"),
            // Takes no resource type: only `"*"` reaches it.
            ("s3:ListAllMyBuckets", "arn:*"),
        ])
    func denyOnSomeArnsOnlyPartiallyDenies(action: String, resource: String) throws {
        let permissions = try Self.allowThenDeny(action, on: resource)
        let decision = permissions.decision(action: action, resource: nil)
        #expect(decision.verdict == .allowed)
        let grant = permissions.grants(in: ActionUniverse([action]))[action]
        #expect(grant?.isPartiallyDenied == decision.isPartiallyDenied)
        #expect(grant != nil)
    }

    @Test func withoutTheCatalogADenyOnEveryArnIsPartial() throws {
        let permissions = try Self.allowThenDeny(
            "sqs:DeleteQueue", on: "arn:aws:sqs:*", catalog: nil)
        let decision = permissions.decision(action: "sqs:DeleteQueue", resource: nil)
        #expect(decision.verdict == .allowed)
        #expect(decision.isPartiallyDenied)
    }

    @Test func conditionalDenyOnEveryArnLeavesTheActionConditional() throws {
        let condition = #", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}"#
        let permissions = try Self.allowThenDeny(
            "sqs:DeleteQueue", on: "arn:aws:sqs:*", condition: condition)
        #expect(
            permissions.decision(action: "sqs:DeleteQueue", resource: nil).verdict
                == .allowedConditionally)
    }

    @Test func serviceWideDenyRemovesOnlyTheActionsItCovers() throws {
        let json = #"""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
              {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*"}]}
            """#
        let permissions = try permissions(["p": json])
        let grants = permissions.grantedActions(in: smallUniverse + ["s3:CreateBucket"])
        // Bucket-only actions go; the others keep their access-point ARNs.
        #expect(grants["s3:CreateBucket"] == nil)
        #expect(grants["s3:GetObject"]?.isPartiallyDenied == true)
        #expect(grants["s3:GetBucketPolicy"]?.isPartiallyDenied == true)
        #expect(grants["kms:Decrypt"] == nil)
        #expect(grants.count == 5)
    }

    /// (pattern text before its star, template, covered for a principal in `aws`).
    @Test(
        arguments: [
            ("arn:", "arn:${Partition}:s3:::${BucketName}", true),
            ("", "arn:${Partition}:s3:::${BucketName}", true),
            ("arn:aws:s3:::", "arn:${Partition}:s3:::${BucketName}", true),
            ("arn:aws:s3:::", "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${A}", false),
            ("arn:aws:s3", "arn:${Partition}:s3:::${BucketName}", true),
            ("arn:aws-us-gov:s3:::", "arn:${Partition}:s3:::${BucketName}", false),
            ("arn:aws:iam::", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", true),
            ("arn:aws:iam::1", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", false),
            ("arn:aws:s3:::", "arn:aws:s3:::fixed-${Name}", true),
            ("arn:aws:s3:::other", "arn:aws:s3:::fixed-${Name}", false),
            ("arn:aws:s3:::fixed-", "arn:aws:s3:::fixed-${Name}", true),
        ])
    func prefixCoversTemplate(prefix: String, template: String, expected: Bool) {
        let covers = EffectivePermissions.prefix(
            Array(prefix.utf8), covers: Array(template.utf8), partition: Array("aws".utf8))
        #expect(covers == expected)
    }
}
