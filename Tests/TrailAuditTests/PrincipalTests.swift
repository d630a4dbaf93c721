import Testing

@testable import TrailAudit

@Suite struct PrincipalTests {
    static let ssoRole =
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-2/"
        + "AWSReservedSSO_Admin_1a2b"

    func identity(
        type: String?, arn: String? = nil, account: String? = "111122223333",
        issuer: String? = nil, invokedBy: String? = nil, principalId: String? = nil
    ) -> IdentityFields {
        var fields = IdentityFields()
        fields.type = type
        fields.arn = arn
        fields.accountId = account
        fields.issuerArn = issuer
        fields.invokedBy = invokedBy
        fields.principalId = principalId
        return fields
    }

    @Test func roleSessionFoldsToTheIssuerWithItsPath() {
        let principal = Principal(
            identity: identity(
                type: "AssumedRole",
                arn:
                    "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1a2b/jane@example.com",
                issuer:
                    Self.ssoRole
            ))
        #expect(
            principal
                == Principal(
                    id:
                        Self.ssoRole,
                    type: .identityCenterRole))
    }

    @Test func sessionWithoutIssuerIsRebuiltFromTheSessionARN() {
        let principal = Principal(
            identity: identity(
                type: "AssumedRole", arn: "arn:aws-cn:sts::111122223333:assumed-role/etl/i-0abc/x"))
        #expect(principal == Principal(id: "arn:aws-cn:iam::111122223333:role/etl", type: .role))
    }

    @Test func serviceLinkedRolesAreMarked() {
        let principal = Principal(
            identity: identity(
                type: "AssumedRole",
                issuer:
                    "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
            ))
        #expect(principal.type == .serviceLinkedRole)
    }

    @Test func emptyIssuerOnAnIAMUserKeepsTheUser() {
        let principal = Principal(
            identity: identity(
                type: "IAMUser", arn: "arn:aws:iam::111122223333:user/ops.user@example.com",
                issuer: nil))
        #expect(
            principal
                == Principal(id: "arn:aws:iam::111122223333:user/ops.user@example.com", type: .user)
        )
    }

    @Test func anonymousCallersAreNeverAccounts() {
        let principal = Principal(
            identity: identity(type: "AWSAccount", account: "ANONYMOUS_PRINCIPAL"))
        #expect(principal == .anonymous)
    }

    @Test(
        arguments: [
            ("AWSService", Principal(id: "lambda.amazonaws.com", type: .service)),
            ("AWSAccount", Principal(id: "111122223333", type: .account)),
            (nil, Principal(id: "lambda.amazonaws.com", type: .service)),
        ] as [(String?, Principal)])
    func servicesAndAccounts(type: String?, expected: Principal) {
        let principal = Principal(identity: identity(type: type, invokedBy: "lambda.amazonaws.com"))
        #expect(principal == expected)
    }

    @Test func rootWithoutARNTakesThePartitionFromTheRegion() {
        var fields = identity(type: "Root")
        fields.region = "us-gov-west-1"
        #expect(Principal(identity: fields).id == "arn:aws-us-gov:iam::111122223333:root")
    }

    @Test(
        arguments: [
            ("arn:aws:sts::1:assumed-role/r/s", "arn:aws:iam::1:role/r"),
            ("arn:aws:sts::1:assumed-role/r/a@b.c=d,e", "arn:aws:iam::1:role/r"),
            ("arn:aws:sts::1:federated-user/x", nil),
            ("arn:aws:sts::1:assumed-role//s", nil),
        ] as [(String, String?)])
    func sessionARNFolding(session: String, role: String?) {
        #expect(ARN.roleARN(fromSessionARN: session) == role)
    }
}

@Suite struct SessionNameRangeTests {
    /// The session name of an assumed-role ARN: after the role's name, to the end.
    @Test(
        arguments: [
            ("arn:aws:sts::111122223333:assumed-role/Admin/alice", "alice"),
            ("arn:aws-cn:sts::111122223333:assumed-role/R/jane@example.com", "jane@example.com"),
            ("::::assumed-role/R/s", "s"),
            ("arn:aws:sts::111122223333:assumed-role/R/", ""),
            ("arn:aws:sts::111122223333:assumed-role/R", nil),
            ("arn:aws:sts::111122223333:assumed-role/", nil),
            ("arn:aws:iam::111122223333:role/R/x", nil),
            ("arn:aws:sts::111122223333:assumed-rol/R/x", nil),
            ("", nil),
        ] as [(String, String?)])
    func sessionName(arn: String, expected: String?) {
        let bytes = Array(arn.utf8)
        let name = bytes.withUnsafeBytes { raw in
            ARN.sessionNameRange(in: raw).map { String(decoding: raw[$0], as: UTF8.self) }
        }
        #expect(name == expected)
    }
}

@Suite struct ARNAccountTests {
    /// The fifth field (between the fourth and fifth colon): empty where the ARN has none,
    /// nil where the text is not an ARN of six fields.
    @Test(
        arguments: [
            ("arn:aws:iam::111122223333:role/team/app", "111122223333"),
            ("arn:aws-us-gov:sts::444455556666:assumed-role/R/s:with:colons", "444455556666"),
            ("arn:aws:s3:::bucket/key", ""),
            ("arn:aws:iam::aws:policy/AdministratorAccess", "aws"),
            ("arn:aws:iam::111122223333:", "111122223333"),
            ("arn:aws:iam::111122223333", nil),
            ("arn:aws:iam:", nil),
            ("arn:", nil),
            ("ARN:aws:iam::111122223333:role/R", nil),
            ("111122223333", nil),
            ("", nil),
        ] as [(String, String?)])
    func account(arn: String, expected: String?) {
        #expect(ARN.account(of: arn).map(String.init) == expected)
    }
}
