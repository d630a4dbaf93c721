import Foundation
import Testing

@testable import TrailAudit

@Suite struct TrustPolicyTests {
    @Test func servicePrincipal() throws {
        let export = try fixtureExport()
        let role = try #require(export.role(arn: AuthorizationDetailsTests.etlRunner))
        #expect(
            role.trustedPrincipals() == [
                TrustEntry(
                    principal: PrincipalValue(.service, "lambda.amazonaws.com"),
                    actions: .listed(["sts:AssumeRole"]), conditions: [])
            ])
    }

    @Test func githubOIDCWithSubAndAudConditions() throws {
        let export = try fixtureExport()
        let entries = try #require(export.role(arn: AuthorizationDetailsTests.githubDeploy))
            .trustedPrincipals()
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(
            entry.principal
                == PrincipalValue(
                    .federated,
                    "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"))
        #expect(entry.allows(action: "sts:AssumeRoleWithWebIdentity"))
        #expect(!entry.allows(action: "sts:AssumeRole"))
        #expect(
            entry.values(ofConditionKey: "token.actions.githubusercontent.com:sub")
                == [
                    "repo:example-org/app:ref:refs/heads/main",
                    "repo:example-org/app:environment:prod",
                ])
        #expect(
            entry.values(ofConditionKey: "token.actions.githubusercontent.com:aud") == [
                "sts.amazonaws.com"
            ])
        #expect(entry.conditions.map(\.operator) == ["StringEquals", "StringLike"])
    }

    @Test func accountsAndRolesWithExternalId() throws {
        let export = try fixtureExport()
        let entries = try #require(export.role(arn: AuthorizationDetailsTests.worker))
            .trustedPrincipals()
        #expect(
            entries.map(\.principal) == [
                PrincipalValue(.aws, "arn:aws:iam::999988887777:root"),
                PrincipalValue(.aws, "arn:aws:iam::111122223333:role/github-deploy"),
                PrincipalValue(.service, "batch.amazonaws.com"),
            ])
        #expect(entries[0].values(ofConditionKey: "STS:EXTERNALID") == ["partner-7f3a9c"])
        #expect(entries[0].sid == "PartnerAudit")
        #expect(entries[1].isConditional)
        #expect(!entries[2].isConditional)
    }

    @Test func samlProvider() throws {
        let export = try fixtureExport()
        let entries = try #require(export.role(arn: "arn:aws:iam::111122223333:role/okta-admins"))
            .trustedPrincipals()
        #expect(
            entries == [
                TrustEntry(
                    principal: PrincipalValue(
                        .federated, "arn:aws:iam::111122223333:saml-provider/Okta"),
                    actions: .listed(["sts:AssumeRoleWithSAML", "sts:TagSession"]),
                    conditions: [
                        PolicyCondition(
                            operator: "StringEquals", key: "SAML:aud",
                            values: ["https://signin.aws.amazon.com/saml"])
                    ])
            ])
        #expect(entries[0].allows(action: "sts:tagsession"))
    }

    @Test func notPrincipalAndDenyStatements() throws {
        let document = try policy(
            """
            {"Statement": [
              {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"},
               "Action": "sts:*"},
              {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
               "Condition": {"Bool": {"aws:SecureTransport": false}}}
            ]}
            """)
        let entries = document.trustedPrincipals()
        #expect(
            entries == [
                TrustEntry(
                    principal: PrincipalValue(.anyone, "*"),
                    exceptions: [PrincipalValue(.aws, "arn:aws:iam::1:root")],
                    actions: .listed(["sts:*"]),
                    conditions: [],
                    // No Version: read as 2008-10-17, where ${...} is text.
                    readsVariables: false)
            ])
        #expect(document.hasDenyStatements)
    }
}

@Suite struct PolicyFileInputTests {
    @Test func argumentSplitsWhereTheFileExists() {
        let exists: (String) -> Bool = { $0 == "/tmp/p=1.json" }
        #expect(
            PolicyFileInput(argument: "arn:aws:iam::1:role/a=b=/tmp/p=1.json", fileExists: exists)
                == PolicyFileInput(principalArn: "arn:aws:iam::1:role/a=b", path: "/tmp/p=1.json"))
        #expect(
            PolicyFileInput(
                argument: "arn:aws:iam::1:role/app=policy.json", fileExists: { _ in false })
                == PolicyFileInput(principalArn: "arn:aws:iam::1:role/app", path: "policy.json"))
        #expect(PolicyFileInput(argument: "policy.json", fileExists: { _ in true }) == nil)
        #expect(PolicyFileInput(argument: "role=policy.json", fileExists: { _ in true }) == nil)
        #expect(
            PolicyFileInput(argument: "arn:aws:iam::1:role/app=", fileExists: { _ in true }) == nil)
    }

    @Test func documentFileBecomesThePrincipalsPermissions() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("policy-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // `aws iam get-role-policy` output, with the document left URL-encoded.
        let encoded = PolicyDocumentTests.urlEncoded
        let file = folder.appendingPathComponent("etl.json")
        try Data(#"{"RoleName": "etl", "PolicyName": "s3", "PolicyDocument": "\#(encoded)"}"#.utf8)
            .write(to: file)

        let input = PolicyFileInput(principalArn: "arn:aws:iam::1:role/etl", path: file.path)
        let granted = try input.effectivePermissions()
        #expect(granted.principalArn == "arn:aws:iam::1:role/etl")
        #expect(granted.sources == [PolicySource(name: "etl.json", kind: .file)])
        // The document's Deny with NotAction s3:* leaves only S3.
        #expect(
            granted.decision(action: "s3:GetObject", resource: "arn:aws:s3:::data+logs/a").verdict
                == .allowedConditionally)
        #expect(
            granted.decision(action: "ec2:RunInstances", resource: nil).verdict == .implicitlyDenied
        )

        let missing = PolicyFileInput(
            principalArn: "arn:aws:iam::1:role/etl", path: folder.path + "/none")
        #expect(throws: PolicyError.self) { try missing.effectivePermissions() }
    }
}
