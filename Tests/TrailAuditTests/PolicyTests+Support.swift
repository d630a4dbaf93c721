import Foundation
import Testing

@testable import TrailAudit

/// A document from JSON text; fails the test when it does not parse.
func policy(_ json: String, name: String = "test") throws -> PolicyDocument {
    try PolicyDocument(text: json, policy: name)
}

/// Permissions from inline documents named by their keys, in the order given.
func permissions(
    _ policies: KeyValuePairs<String, String>, boundary: String? = nil,
    principal: String = "arn:aws:iam::111122223333:role/test"
) throws -> EffectivePermissions {
    let documents = try policies.map { name, json in
        (PolicySource(name: name, kind: .inline), try policy(json, name: name))
    }
    let limit = try boundary.map {
        (PolicySource(name: "Boundary", kind: .customerManaged), try policy($0, name: "Boundary"))
    }
    return EffectivePermissions(principalArn: principal, policies: documents, boundary: limit)
}

/// A one-statement document: `effect`, an action element and a resource element, each given
/// as its JSON (`"Action": "s3:*"`), plus an optional condition JSON object.
func statement(
    _ effect: String, _ action: String, _ resource: String = #""Resource": "*""#,
    condition: String? = nil
) -> String {
    let conditionPart = condition.map { #", "Condition": \#($0)"# } ?? ""
    return #"{"Version": "2012-10-17", "Statement": [{"Effect": "\#(effect)", \#(action), "#
        + #"\#(resource)\#(conditionPart)}]}"#
}

/// A small universe of real action names for expansion tests.
let smallUniverse = [
    "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketPolicy",
    "iam:CreateUser", "iam:PassRole", "iam:GetRole", "ec2:RunInstances",
    "ec2:DescribeInstances", "sts:AssumeRole", "kms:Decrypt", "cloudformation:CreateStack",
]

/// The IAM fixture folder.
let iamFixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/iam")

/// The two fixture accounts merged.
func fixtureExport() throws -> AuthorizationDetails {
    try AuthorizationDetails.load(files: [
        iamFixtures.appendingPathComponent("account-111122223333.json").path,
        iamFixtures.appendingPathComponent("account-444455556666.json").path,
    ])
}
