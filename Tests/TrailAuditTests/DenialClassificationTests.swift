import Foundation
import Testing

@testable import TrailAudit

@Suite struct DenialClassificationTests {
    @Test("errorCode -> outcome (facts §3.1, Appendix C; cases 17, 18)", arguments: outcomeRows)
    func outcome(errorCode: String?, expected: EventOutcome) {
        #expect(EventOutcome(errorCode: errorCode) == expected)
    }

    @Test("message variants in AWS's documentation", arguments: variantCases)
    func documentedVariant(_ expected: ParseCase) {
        expected.check()
    }

    @Test("real errorMessages from shared/realdata", arguments: realCases)
    func realMessage(_ expected: ParseCase) {
        expected.check()
    }

    @Test("reason text for reports", arguments: descriptionRows)
    func description(reason: DenialReason, text: String) {
        #expect(reason.description == text)
    }

    @Test("reasons sort explicit, implicit, not stated; then by policy type")
    func ordering() {
        let shuffled = [
            Self.notStated, Self.implicit("session"), Self.explicit(nil),
            Self.explicit("service control"),
            Self.implicit("identity-based"), Self.explicit("VPC endpoint"),
        ]
        #expect(
            shuffled.sorted() == [
                Self.explicit(nil), Self.explicit("VPC endpoint"), Self.explicit("service control"),
                Self.implicit("identity-based"), Self.implicit("session"), Self.notStated,
            ])
    }

    /// One errorMessage and everything the parser should take from it.
    struct ParseCase: Sendable, CustomTestStringConvertible {
        var label: String
        var code = "AccessDenied"
        var message: String?
        var reason: DenialReason
        var action: String?
        var resource: String?
        var principal: String?

        var testDescription: String { label }

        func check() {
            let parsed = DenialMessage(errorCode: code, errorMessage: message)
            #expect(parsed.reason == reason)
            #expect(parsed.action == action)
            #expect(parsed.resource == resource)
            #expect(parsed.principalArn == principal)
        }
    }
}

extension DenialClassificationTests {
    /// An explicit-deny reason naming `type`.
    static func explicit(_ type: String?) -> DenialReason {
        DenialReason(kind: .explicitDeny, policyType: type)
    }

    /// An implicit-deny reason naming `type`.
    static func implicit(_ type: String?) -> DenialReason {
        DenialReason(kind: .implicitDeny, policyType: type)
    }

    /// The reason of a message that gives none.
    static let notStated = DenialReason(kind: .notStated)

    /// errorCode values and the outcome each must give.
    static let outcomeRows: [(String?, EventOutcome)] = [
        (nil, .succeeded), ("", .succeeded),
        ("Client.DryRunOperation", .succeeded), ("DryRunOperation", .succeeded),
        ("DryRunOperationException", .succeeded),
        ("AccessDenied", .denied), ("AccessDeniedException", .denied),
        ("Client.UnauthorizedOperation", .denied), ("UnauthorizedOperation", .denied),
        ("Client.AccessDenied", .denied), ("AuthorizationError", .denied),
        ("UnauthorizedException", .denied),
        // Cognito's end-user sign-in failures, without IAM's sentence (see the message test).
        ("NotAuthorizedException", .failed),
        // A service's own role, or an OAuth client, could not act; the caller was allowed.
        ("KMSAccessDeniedException", .failed), ("EC2AccessDeniedException", .failed),
        ("UnauthorizedClientException", .failed),
        ("ForbiddenException", .denied), ("Forbidden", .denied),
        ("AccessDeniedForDependencyException", .denied), ("VpceAccessDenied", .denied),
        ("TagPolicyViolation", .denied),
        ("NotAuthorized", .denied),
        // The rule facts §3.1 recommends: contains "AccessDenied" or "Unauthorized", in any
        // case (the CIS filter's `AccessDenied*` / `*UnauthorizedOperation`, widened).
        ("accessdenied", .denied), ("S3.AccessDeniedByBucketPolicy", .denied),
        ("Server.UNAUTHORIZEDOPERATION", .denied), ("Server.Unauthorized", .denied),
        ("UnauthorizedAccess", .denied), ("UnauthorizedOperationCount", .denied),
        // Authentication, opt-in and ordinary errors: no policy denied these.
        ("AuthFailure", .failed), ("InvalidClientTokenId", .failed),
        ("SignatureDoesNotMatch", .failed), ("ExpiredToken", .failed), ("OptInRequired", .failed),
        ("UnrecognizedClientException", .failed), ("ExpiredTokenException", .failed),
        ("InvalidSignatureException", .failed), ("IncompleteSignature", .failed),
        ("MissingAuthenticationToken", .failed), ("RequestExpired", .failed),
        ("InvalidAccessKeyId", .failed), ("InvalidToken", .failed),
        ("Client.RequestExpired", .failed), ("Client.AuthFailure", .failed),
        ("MissingAuthenticationTokenException", .failed), ("RequestTimeTooSkewed", .failed),
        ("AuthorizationHeaderMalformed", .failed),
        ("NoSuchKey", .failed), ("Client.RequestLimitExceeded", .failed),
        ("ResourceNotFoundException", .failed),
        ("CloudTrailInvalidClientTokenIdException", .failed),
        ("Blocked", .failed), (" ", .failed),
    ]

    /// Authentication failures count for no action, in every spelling CloudTrail writes:
    /// EC2's `Client.` prefix, the JSON services' `...Exception`, S3's and CloudTrail's own.
    @Test(
        arguments: [
            "ExpiredToken", "ExpiredTokenException", "Client.RequestExpired", "RequestExpired",
            "Client.AuthFailure", "UnrecognizedClientException",
            "MissingAuthenticationTokenException", "CloudTrailInvalidClientTokenIdException",
            "RequestTimeTooSkewed", "AuthorizationHeaderMalformed", "InvalidAccessKeyId",
        ])
    func authenticationFailures(code: String) {
        #expect(EventOutcome.isAuthenticationFailure(code))
    }

    @Test(arguments: ["AccessDenied", "Client.RequestLimitExceeded", "InvalidParameterValue"])
    func notAuthenticationFailures(code: String) {
        #expect(!EventOutcome.isAuthenticationFailure(code))
    }

    /// A code of no known shape with IAM's denial sentence in its message (Elastic Beanstalk's
    /// `InsufficientPrivilegesException`) is a denial; the same code with another message, and
    /// an authentication failure whatever its message, are not.
    @Test func aDenialIsKnownByItsMessageWhenItsCodeIsUnknown() throws {
        let sentence =
            "User: arn:aws:sts::111122223333:assumed-role/eb/s is not authorized to perform: "
            + "elasticbeanstalk:CreateEnvironment because no identity-based policy allows the "
            + "elasticbeanstalk:CreateEnvironment action"
        let code = "InsufficientPrivilegesException"
        #expect(EventOutcome(errorCode: code, errorMessage: sentence) == .denied)
        #expect(EventOutcome(errorCode: code, errorMessage: sentence.uppercased()) == .denied)
        #expect(
            EventOutcome(
                errorCode: "InsufficientPermissionsException",
                errorMessage: "You are not authorized to perform this operation.") == .denied)
        #expect(EventOutcome(errorCode: code, errorMessage: "Environment exists") == .failed)
        #expect(EventOutcome(errorCode: code, errorMessage: nil) == .failed)
        #expect(EventOutcome(errorCode: "ExpiredTokenException", errorMessage: sentence) == .failed)
        #expect(EventOutcome(errorCode: nil, errorMessage: sentence) == .succeeded)
        #expect(
            EventOutcome(errorCode: "NotAuthorizedException", errorMessage: sentence) == .denied)
        #expect(
            EventOutcome(
                errorCode: "NotAuthorizedException", errorMessage: "Incorrect username or password."
            )
                == .failed)
        #expect(
            EventOutcome(
                errorCode: "InvalidDBInstanceState",
                errorMessage: "User is not authorized to perform: rds:ModifyDBInstance") == .denied)
        // A service that could not act (its role does not trust it) did not deny the caller,
        // whose call was allowed (a breaking pass: unused called such actions "denied", and
        // suggest left them out).
        #expect(
            EventOutcome(
                errorCode: "InvalidInputException",
                errorMessage:
                    "CodeBuild is not authorized to perform: sts:AssumeRole on "
                    + "arn:aws:iam::111122223333:role/cb-role") == .failed)
        #expect(
            EventOutcome(
                errorCode: "InvalidStructureException",
                errorMessage: "CodePipeline is not authorized to perform AssumeRole on role x")
                == .failed)

        // Through the whole pipeline: a denial in the AccessDenied report, not a use.
        let event = AnalysisFixture.event(
            1, source: "elasticbeanstalk", name: "CreateEnvironment", error: code
        ).replacingOccurrences(of: #""errorMessage":"no""#, with: #""errorMessage":"\#(sentence)""#)
        let findings = try UnusedAnalysisTests.findings(
            [event], policy: AnalysisFixture.allow(["elasticbeanstalk:CreateEnvironment"]))
        let finding = try #require(
            findings.actions.first { $0.action == "elasticbeanstalk:CreateEnvironment" })
        #expect(finding.permissionClass == .denied)
        #expect(finding.counts.denied == 1)
        let denials = try AnalysisFixture.aggregate([event]).denials.keys
        #expect(denials.map(\.action) == ["elasticbeanstalk:CreateEnvironment"])
        #expect(denials.map(\.deniedBy) == [Self.implicit("identity-based")])
    }

    /// Reasons and their report text.
    static let descriptionRows: [(DenialReason, String)] = [
        (explicit("service control"), "explicit deny in a service control policy"),
        (explicit("identity-based"), "explicit deny in an identity-based policy"),
        (explicit("permissions boundary"), "explicit deny in a permissions boundary"),
        (explicit("VPC endpoint"), "explicit deny in a VPC endpoint policy"),
        (explicit(nil), "explicit deny"),
        (implicit("identity-based"), "no identity-based policy allows"),
        (implicit("permissions boundary"), "no permissions boundary allows"),
        (implicit(nil), "no policy allows"),
        (DenialReason(kind: .notStated, policyType: "VPC endpoint"), "VPC endpoint policy"),
        (notStated, "not stated"),
    ]

    /// AWS's documented message shapes; IAM-AD = the IAM guide's "Troubleshooting access denied
    /// error messages".
    static let variantCases: [ParseCase] = [
        ParseCase(
            label: "S3 enhanced message: quoted resource",
            message: "User: arn:aws:iam::111122223333:user/ana is not authorized to perform: "
                + "s3:GetObject on resource: \"arn:aws:s3:::example-reports/a.csv\" because no "
                + "identity-based policy allows the s3:GetObject action",
            reason: implicit("identity-based"), action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/a.csv",
            principal: "arn:aws:iam::111122223333:user/ana"),
        ParseCase(
            label: "IAM-AD: SCP, no resource clause",
            message: "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: "
                + "codecommit:ListRepositories with an explicit deny in a service control policy",
            reason: explicit("service control"), action: "codecommit:ListRepositories",
            principal: "arn:aws:iam::777788889999:user/JohnDoe"),
        ParseCase(
            label: "AWS blog: enhanced message names the SCP's ARN",
            message: "User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: "
                + "iam:ListRoles on resource: arn:aws:iam::123456789012:role/* with an explicit "
                + "deny "
                + "in a service control policy: arn:aws:organizations::987654321098:policy/"
                + "o-qv5af4abcd/service_control_policy/p-2kgnabcd",
            reason: explicit("service control"), action: "iam:ListRoles",
            resource: "arn:aws:iam::123456789012:role/*",
            principal: "arn:aws:iam::123456789012:user/Matt"),
        ParseCase(
            label: "IAM-AD: 'a sessions policy' (plural)",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "codedeploy:ListDeployments on resource: "
                + "arn:aws:codedeploy:us-east-1:123456789012:"
                + "deploymentgroup:* with an explicit deny in a sessions policy",
            reason: explicit("session"), action: "codedeploy:ListDeployments",
            resource: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: implicit session policy",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "codecommit:ListRepositories because no session policy allows the "
                + "codecommit:ListRepositories action",
            reason: implicit("session"), action: "codecommit:ListRepositories",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: 'in the role trust policy'",
            message: "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: "
                + "sts:AssumeRole with an explicit deny in the role trust policy",
            reason: explicit("role trust"), action: "sts:AssumeRole",
            principal: "arn:aws:iam::777788889999:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: 'because the role trust policy allows' (implicit, AWS's wording)",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "sts:AssumeRole because the role trust policy allows the sts:AssumeRole action",
            reason: implicit("role trust"), action: "sts:AssumeRole",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: VPC endpoint policy transitively through an SCP",
            message: "User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is "
                + "not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:"
                + "444455556666:role-name-2 with an explicit deny in a VPC endpoint policy "
                + "transitively through a service control policy",
            reason: explicit("service control"), action: "SNS:Publish",
            resource: "arn:aws:sns:us-east-1:444455556666:role-name-2",
            principal: "arn:aws:sts::111122223333:assumed-role/role-name/role-session-name"),
        ParseCase(
            label: "IAM-AD: explicit VPC endpoint policy",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "codedeploy:ListDeployments with an explicit deny in a VPC endpoint policy",
            reason: explicit("VPC endpoint"), action: "codedeploy:ListDeployments",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: implicit VPC endpoint policy",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "codecommit:ListRepositories because no VPC endpoint policy allows the "
                + "codecommit:ListRepositories action",
            reason: implicit("VPC endpoint"), action: "codecommit:ListRepositories",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: implicit permissions boundary (no word 'policy')",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "codedeploy:ListDeployments because no permissions boundary allows the "
                + "codedeploy:ListDeployments action",
            reason: implicit("permissions boundary"), action: "codedeploy:ListDeployments",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: explicit permissions boundary at the end",
            message: "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: "
                + "sagemaker:ListModels with an explicit deny in a permissions boundary",
            reason: explicit("permissions boundary"), action: "sagemaker:ListModels",
            principal: "arn:aws:iam::777788889999:user/JohnDoe"),
        ParseCase(
            label: "IAM-AD: resource-based, wildcard resource",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: "
                + "secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:"
                + "123456789012:secret:* with an explicit deny in a resource-based policy",
            reason: explicit("resource-based"), action: "secretsmanager:GetSecretValue",
            resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "resource control policy",
            message:
                "User: arn:aws:sts::111122223333:assumed-role/app-role/s1 is not authorized to "
                + "perform: s3:GetObject on resource: \"arn:aws:s3:::example-reports/a.csv\" with "
                + "an "
                + "explicit deny in a resource control policy",
            reason: explicit("resource control"), action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/a.csv",
            principal: "arn:aws:sts::111122223333:assumed-role/app-role/s1"),
        ParseCase(
            label: "IAM-AD layout: wrapped lines read as one",
            message: "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: \n"
                + "codedeploy:ListDeployments on resource: "
                + "arn:aws:codedeploy:us-east-1:123456789012:"
                + "deploymentgroup:* with an explicit deny in an identity-based policy",
            reason: explicit("identity-based"), action: "codedeploy:ListDeployments",
            resource: "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*",
            principal: "arn:aws:iam::123456789012:user/JohnDoe"),
        ParseCase(
            label: "re:Post: bare resource name with a space, no policy type",
            message: "User: arn:aws:iam::123456789012:user/tester is not authorized to perform: "
                + "ec2:RunInstances on resource: role TestReadOnly with an explicit deny",
            reason: explicit(nil), action: "ec2:RunInstances", resource: "role TestReadOnly",
            principal: "arn:aws:iam::123456789012:user/tester"),
        ParseCase(
            label: "re:Post: EC2 wrapper, SCP, encoded blob",
            code: "Client.UnauthorizedOperation",
            message: "You are not authorized to perform this operation. User: arn:aws:sts::"
                + "999888777666:assumed-role/ReadOnly/Tom is not authorized to perform: "
                + "ec2:RunInstances on resource: arn:aws:ec2:us-east-1:999888777666:instance/* "
                + "with "
                + "an explicit deny in a service control policy. Encoded authorization failure "
                + "message: XQ_jqde5rHje6j9P-qke7-HNpHWzSWvxYobhcCPSpfOmLTkOylRBKd0eE4Xx4U_E",
            reason: explicit("service control"), action: "ec2:RunInstances",
            resource: "arn:aws:ec2:us-east-1:999888777666:instance/*",
            principal: "arn:aws:sts::999888777666:assumed-role/ReadOnly/Tom"),
        ParseCase(
            label: "case 17: EC2 wrapper with only the encoded blob",
            code: "Client.UnauthorizedOperation",
            message: "You are not authorized to perform this operation. Encoded authorization "
                + "failure message: EXAMPLE",
            reason: notStated),
        ParseCase(
            label: "keywords inside the encoded blob are not read",
            code: "Client.UnauthorizedOperation",
            message: "You are not authorized to perform this operation. Encoded authorization "
                + "failure message: User: arn:aws:iam::1:user/x is not authorized to perform: "
                + "iam:PassRole with an explicit deny in a session policy",
            reason: notStated),
        ParseCase(
            label: "case 17: EC2 wrapper without a resource clause or blob",
            code: "Client.UnauthorizedOperation",
            message: "You are not authorized to perform this operation. User: arn:aws:sts::"
                + "111122223333:assumed-role/app-role/worker-1 is not authorized to perform: "
                + "ec2:DescribeSecurityGroups because no identity-based policy allows the "
                + "ec2:DescribeSecurityGroups action",
            reason: implicit("identity-based"), action: "ec2:DescribeSecurityGroups",
            principal: "arn:aws:sts::111122223333:assumed-role/app-role/worker-1"),
        ParseCase(
            label: "case 17: KMS AccessDeniedException",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::111122223333:assumed-role/app-role/worker-1 is not "
                + "authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:"
                + "111122223333:key/11111111-2222-3333-4444-555555555555 because no identity-based "
                + "policy allows the kms:Decrypt action",
            reason: implicit("identity-based"), action: "kms:Decrypt",
            resource: "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555",
            principal: "arn:aws:sts::111122223333:assumed-role/app-role/worker-1"),
        ParseCase(
            label: "KMS wording whose 'because' is no policy clause",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::111122223333:assumed-role/app-role/worker-1 is not "
                + "authorized to perform: kms:Decrypt on the resource associated with this "
                + "ciphertext because the resource does not exist in this Region, no "
                + "resource-based "
                + "policies allow access, or a resource-based policy explicitly denies access",
            reason: notStated, action: "kms:Decrypt",
            principal: "arn:aws:sts::111122223333:assumed-role/app-role/worker-1"),
        ParseCase(
            label: "S3 Block Public Access: a reason that is not a policy",
            message: "User: arn:aws:iam::111122223333:user/ana is not authorized to perform: "
                + "s3:PutBucketAcl on resource: \"arn:aws:s3:::example-reports\" because public "
                + "ACLs "
                + "are prevented by the BlockPublicAcls setting in S3 Block Public Access",
            reason: notStated, action: "s3:PutBucketAcl", resource: "arn:aws:s3:::example-reports",
            principal: "arn:aws:iam::111122223333:user/ana"),
        ParseCase(
            label: "case 18: SQS names only the endpoint",
            message: "Access to the resource https://sqs.us-east-1.amazonaws.com/ is denied.",
            reason: notStated),
        ParseCase(label: "no errorMessage at all", message: nil, reason: notStated),
        ParseCase(
            label: "VpceAccessDenied without a message", code: "VpceAccessDenied", message: nil,
            reason: explicit("VPC endpoint")),
    ]

    /// Messages copied byte for byte from shared/realdata (file and 1-based record number in each
    /// label); CloudTrail's own single-line form, no whitespace changed.
    static let realCases: [ParseCase] = [
        ParseCase(
            label: "panther jsonl #56: IAM user, resource *, implicit",
            message: """
                User: arn:aws:iam::187901811700:user/exposed.user is not authorized to perform: \
                lambda:ListFunctions on resource: * because no identity-based policy allows the \
                lambda:ListFunctions action
                """,
            reason: implicit("identity-based"), action: "lambda:ListFunctions", resource: "*",
            principal: "arn:aws:iam::187901811700:user/exposed.user"),
        ParseCase(
            label: "stratus organizations-leave #2: assumed-role session, implicit",
            message: """
                User: arn:aws:sts::307578594326:assumed-role/stratus-red-team-leave-org-role/aws-go\
                -sdk-1722587398902687000 is not authorized to perform: \
                organizations:LeaveOrganization on resource: * because no identity-based policy \
                allows the organizations:LeaveOrganization action
                """,
            reason: implicit("identity-based"), action: "organizations:LeaveOrganization",
            resource: "*",
            principal: "arn:aws:sts::307578594326:assumed-role/stratus-red-team-leave-org-role/"
                + "aws-go-sdk-1722587398902687000"),
        ParseCase(
            label: "panther jsonl #117: session name with a dot, hyphenated service",
            message: """
                User: arn:aws:sts::111122223333:assumed-role/SampleRole/bobson.dugnutt is not \
                authorized to perform: ec2-instance-connect:SendSSHPublicKey on resource: \
                arn:aws:ec2:us-west-2:111122223333:instance/i-abcdef01234567890 because no \
                identity-based policy allows the ec2-instance-connect:SendSSHPublicKey action
                """,
            reason: implicit("identity-based"), action: "ec2-instance-connect:SendSSHPublicKey",
            resource: "arn:aws:ec2:us-west-2:111122223333:instance/i-abcdef01234567890",
            principal: "arn:aws:sts::111122223333:assumed-role/SampleRole/bobson.dugnutt"),
        ParseCase(
            label: "stratus ec2-get-password-data #33: STS, no policy clause",
            message: """
                User: arn:aws:iam::457448411975:user/christophe is not authorized to perform: \
                sts:AssumeRole on resource: arn:aws:iam::457448411975:role/stratus-red-team-ec2-get\
                -password-data-role
                """,
            reason: notStated, action: "sts:AssumeRole",
            resource: "arn:aws:iam::457448411975:role/stratus-red-team-ec2-get-password-data-role",
            principal: "arn:aws:iam::457448411975:user/christophe"),
        ParseCase(
            label: "panther jsonl #254: RDS names no principal",
            message: "User is not authorized to perform: rds:ModifyDBInstance",
            reason: notStated, action: "rds:ModifyDBInstance"),
        ParseCase(
            label: "panther jsonl #262: RDS with principal, no resource",
            message: """
                User: arn:aws:iam::123456789012:user/developer is not authorized to perform: \
                rds:DeleteDBInstance
                """,
            reason: notStated, action: "rds:DeleteDBInstance",
            principal: "arn:aws:iam::123456789012:user/developer"),
        ParseCase(
            label: "panther jsonl #195: placeholder action and resource",
            message: """
                User: arn:aws:iam::123456789012:user/tester is not authorized to perform: \
                iam:Action on resource: arn:aws:iam::123456789012:resource
                """,
            reason: notStated, action: "iam:Action", resource: "arn:aws:iam::123456789012:resource",
            principal: "arn:aws:iam::123456789012:user/tester"),
        ParseCase(
            label: "stratus ec2-launch-unusual-instances #1: EC2 wrapper and blob",
            code: "Client.UnauthorizedOperation",
            message: """
                You are not authorized to perform this operation. User: \
                arn:aws:sts::751353041310:assumed-role/stratus-red-team-ec2lui-role-idtzskbvtd/aws-\
                go-sdk-1722511821294449000 is not authorized to perform: ec2:RunInstances on \
                resource: arn:aws:ec2:ca-south-3r:751353041310:instance/* because no \
                identity-based policy allows the ec2:RunInstances action. Encoded authorization \
                failure message: T-kSWIRFn32_fxSgyNzoE36avE5lRaRniAjDs-OdhlNgyecEbeTN_dCroUmnEqAbDO\
                revkgWv8iyUzs0XJxEDlAcgDztlJ-QPNokwAE1JUrWPZcLqpsuM6kK46d5jCUvmzpU_Egq-fML4ed58JHxM\
                dyU4Iz1WGOb6S3W3FB5jghu3JqyDR1B8S8qHryW-e8H1ukHarLt7Ogr4rvYezZ3sf_DNCPDjCGLOSI75x4W\
                0X4Wcl9B9eAuhG-hRbB8KG3e-15CmtpWvw5brndvmrK0sAKwOdcyI47AXNV1DKVLKBNjxwNSQB4knWTX00T\
                ASAtGZYroYLyadRTdjZO_CwPGIkcI7wiuAPwSJTrri9xF8zPb5ZJ-Zt4-fQRZoge3sWBFv_wRNOcdGXu8Mi\
                dJV1ev4CJOpwygM9bO68S_ueU2u_MvKE_zRYrMzTYSMiBKpZGZBDiIZGOGOSzJK8aZ5_F0g5CzhI0IzBxBQ\
                h2QFLF0eZe6prRdYEnOZ33EDlaD68PhuyM5xFYzNATqG8UlMtNG7eE1XCMpAmLRAv8ZSnE0PUMrg-Z7RhLy\
                Ib3p37VxzKKQHVTdEarNtE22jp38CJ0uRZy5eiNmu-O3JMLeB-AuSYFFoGPtH6h2dH2uV4Fj27vJ4...
                """,
            reason: implicit("identity-based"), action: "ec2:RunInstances",
            resource: "arn:aws:ec2:ca-south-3r:751353041310:instance/*",
            principal:
                "arn:aws:sts::751353041310:assumed-role/stratus-red-team-ec2lui-role-idtzskbvtd/"
                + "aws-go-sdk-1722511821294449000"),
        ParseCase(
            label: "panther jsonl #108: EC2 wrapper, session name with dots",
            code: "Client.UnauthorizedOperation",
            message: """
                You are not authorized to perform this operation. User: \
                arn:aws:sts::111111111111:assumed-role/sample-role-nostalgic-merkle/sample-role-qui\
                zzical-goldstine.jenkins is not authorized to perform: ec2:GetPasswordData on \
                resource: arn:aws:ec2:us-west-2:111111111111:instance/* because no identity-based \
                policy allows the ec2:GetPasswordData action. Encoded authorization failure \
                message: VbdJrM7j1Czq6HEj1lZpnU-AWGICaaPZQs1K_-9U3hQcFpXimBHYHwvg4SOc36ACu0GUYqWoSe\
                X6_wI7ke3QxC0d1_Wv2XYLI96rYdMY2aWzdzwkIp__hUQQi-XqaHmp-QHOHiiJ31xqEkDZvyZXaO0BHhCpf\
                8m7mIMeMaAB2CPtKhPj5NPGGkPc1f6rNFx0grhDkKZ3MrWBo65U4nRjzJrThuyK3146B1k1tWuQfI2_H-QM\
                CuOl_aTIZ93xIeWFoIqKUWnD6-F68V8hhxHHXl0EhiFL9p7LAGvYTPXtJ1wEH1ve8iOW1S9ptI8CuFVP-Q7\
                E7-NS45tIaheVJusaq3JtS03XAnKYC2NuVXnXBwbPNbNiQWH8LfSdgl43MZ5Q9Kin-tqCoA_Yskz0F_JNok\
                jmIB2PKegJ5kANzHcb09u9sSqvgqKqpVHpfIDtjcI8LPzWjZyUNExaymEWOkE4HhtF19t1zyBvuoO6xgZtC\
                yAx-6fsDSO8jpBZbLz9MsPmjhJLfp_yQPOF9ROIrBhvNCY_2tC7hyDDwdl11iNzHQvBaCjiLjE5PcoEchYW\
                THqlVHZ-yMA3
                """,
            reason: implicit("identity-based"), action: "ec2:GetPasswordData",
            resource: "arn:aws:ec2:us-west-2:111111111111:instance/*",
            principal: "arn:aws:sts::111111111111:assumed-role/sample-role-nostalgic-merkle/"
                + "sample-role-quizzical-goldstine.jenkins"),
        ParseCase(
            label: "panther jsonl #346: S3 bare Access Denied", message: "Access Denied",
            reason: notStated),
        ParseCase(
            label: "panther jsonl #444: VpceAccessDenied", code: "VpceAccessDenied",
            message: "The request was denied due to a VPC endpoint policy",
            reason: explicit("VPC endpoint")),
    ]

    /// A denial whose message names a catalog action the call does not map to is a denial of
    /// that one alone: the call's own action was allowed, and counts as a failed call of it (a
    /// breaking pass: an Elastic Beanstalk environment refused iam:PassRole was counted as a
    /// denied CreateEnvironment, which `unused` called denied). An S3 read of an object under
    /// a KMS key the caller may not use is a kms:Decrypt denial. A name the catalog does not
    /// know (AWS's own example misspells codecommit:ListRepositories) leaves the call's action
    /// denied.
    @Test func aDenialOfAnotherActionCountsForThatAction() throws {
        typealias F = AnalysisFixture
        func denied(_ id: Int, _ source: String, _ name: String, naming action: String) -> String {
            let message =
                "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to "
                + "perform: \(action) on resource: arn:aws:kms:us-east-1:111122223333:key/k "
                + "because no identity-based policy allows the \(action) action"
            return F.event(id, source: source, name: name, error: "AccessDenied")
                .replacingOccurrences(
                    of: #""errorMessage":"no""#, with: #""errorMessage":"\#(message)""#)
        }
        let aggregate = try F.aggregate([
            denied(1, "s3", "GetObject", naming: "kms:Decrypt"),
            denied(2, "elasticbeanstalk", "CreateEnvironment", naming: "iam:PassRole"),
            denied(3, "codecommit", "ListRepositories", naming: "codecommit:ListRespositories"),
        ])
        let usage = try #require(aggregate.principals.values.first)
        #expect(
            usage.actions.mapValues(\.counts.denied) == [
                "kms:Decrypt": 1, "iam:PassRole": 1, "codecommit:ListRepositories": 1,
                "s3:GetObject": 0, "elasticbeanstalk:CreateEnvironment": 0,
            ])
        // The calls' own actions were allowed: failed calls of theirs, so used.
        #expect(usage.actions["s3:GetObject"]?.counts.failed == 1)
        #expect(usage.actions["elasticbeanstalk:CreateEnvironment"]?.counts.failed == 1)
        #expect(usage.counts.denied == 3)
        #expect(usage.counts.failed == 0)
        let findings = try UnusedAnalysisTests.findings(
            [denied(1, "s3", "GetObject", naming: "kms:Decrypt")],
            policy: F.allow(["s3:GetObject", "kms:Decrypt"]))
        #expect(
            findings.actions.first { $0.action == "s3:GetObject" }?.permissionClass == .used)
        #expect(
            findings.actions.first { $0.action == "kms:Decrypt" }?.permissionClass == .denied)
        #expect(
            Set(aggregate.denials.keys.map(\.action)) == [
                "kms:Decrypt", "iam:PassRole", "codecommit:ListRepositories",
            ])
        let decrypt = try #require(aggregate.denials.keys.first { $0.action == "kms:Decrypt" })
        #expect(decrypt.resource == "arn:aws:kms:us-east-1:111122223333:key/k")

        // The timeline lists the allowed actions as used, as `report` counts them (a breaking
        // pass: it listed nothing for such a call).
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        let events = [
            denied(1, "s3", "GetObject", naming: "kms:Decrypt"),
            denied(2, "elasticbeanstalk", "CreateEnvironment", naming: "iam:PassRole"),
            denied(3, "codecommit", "ListRepositories", naming: "codecommit:ListRespositories"),
        ]
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        var options = RunOptions()
        options.timeline = TimelineQuery(principal: F.role, bucket: 86_400)
        let timeline = AuditRun.run(ExportTree(paths: [file.path]), options: options).timeline
        #expect(
            Set(timeline.firstSeen.keys.filter { $0.kind == .action }.map(\.value)) == [
                "s3:GetObject", "elasticbeanstalk:CreateEnvironment",
            ])
        #expect(timeline.firstSeen.keys.allSatisfy { $0.kind != .impliedAction })
    }

    /// A service's sentence under a denial code names what the service was refused, not the
    /// caller: the call is a denial of its own action, never one of an action the caller did not
    /// ask for (a breaking pass: "CodeBuild is not authorized to perform: sts:AssumeRole" under
    /// `AccessDenied` gave the caller an sts:AssumeRole denial).
    @Test func aServiceSentenceDoesNotNameTheCallersDenial() throws {
        typealias F = AnalysisFixture
        let message =
            "CodeBuild is not authorized to perform: sts:AssumeRole on "
            + "arn:aws:iam::111122223333:role/cb-role"
        let event = F.event(1, source: "codebuild", name: "CreateProject", error: "AccessDenied")
            .replacingOccurrences(
                of: #""errorMessage":"no""#, with: #""errorMessage":"\#(message)""#)
        let aggregate = try F.aggregate([event])
        let usage = try #require(aggregate.principals.values.first)
        #expect(usage.actions.keys.sorted() == ["codebuild:CreateProject"])
        #expect(usage.actions["codebuild:CreateProject"]?.counts.denied == 1)
        #expect(aggregate.denials.keys.map(\.action) == ["codebuild:CreateProject"])
    }
}
