/// How a call ended, from its errorCode.
///
/// `errorCode` spelling depends on the service's protocol, not on what went wrong: query/XML
/// services say `AccessDenied`, JSON services `AccessDeniedException`, EC2 prefixes `Client.`
/// (facts §3.1). Console sign-in failures carry no errorCode at all (only `errorMessage` and
/// `responseElements.ConsoleLogin: "Failure"`), so they read as succeeded here; the sign-in
/// report has to look at `responseElements` for them.
package enum EventOutcome: UInt8, Sendable, Hashable, CaseIterable {
    /// No errorCode, or a dry run that would have succeeded.
    case succeeded
    /// Refused by authorization: a Deny, a missing Allow, or an org/network policy.
    case denied
    /// Any other error: throttling, validation, missing resources, authentication.
    case failed

    /// nil, "" -> succeeded; EC2/KMS dry-run codes that mean "would have succeeded"
    /// (Client.DryRunOperation, DryRunOperation, DryRunOperationException) -> succeeded;
    /// authentication failures -> failed; authorization failures across services -> denied;
    /// everything else -> failed.
    ///
    /// A code of no known shape is a denial when `errorMessage` says so in IAM's words of the
    /// caller ("User: ... is not authorized to perform: ..."): services name their 403s as they
    /// like (Elastic Beanstalk's `InsufficientPrivilegesException`), and a denial read as
    /// another failure would count as a call of the action and hide from the AccessDenied
    /// report. A service that says it could not act ("CodeBuild is not authorized to perform:
    /// sts:AssumeRole" for a project whose role does not trust it) was not denying the caller,
    /// whose call was allowed: that is a failed call of the action, which was used.
    package init(errorCode: String?, errorMessage: String? = nil) {
        guard let code = errorCode, !code.isEmpty else {
            self = .succeeded
            return
        }
        if Self.dryRunSuccessCodes.contains(code) {
            self = .succeeded
        } else if Self.isAuthenticationFailure(code) || Self.serviceRoleFailureCodes.contains(code)
        {
            self = .failed
        } else if Self.isAuthorizationFailure(code) {
            self = .denied
        } else if let errorMessage, Self.saysCallerNotAuthorized(errorMessage) {
            self = .denied
        } else {
            self = .failed
        }
    }

    /// Whether the call failed authentication (an expired, unknown or mis-signed credential):
    /// no policy was evaluated (facts §3.1, Appendix C), so it is neither a denial nor evidence
    /// that the action was used or needed; it counts as failed for the caller, for no action.
    /// EC2 writes its codes with a `Client.` prefix in CloudTrail (`Client.RequestExpired`).
    package static func isAuthenticationFailure(_ errorCode: String?) -> Bool {
        guard let code = errorCode else { return false }
        if authenticationFailureCodes.contains(code) { return true }
        return code.hasPrefix("Client.")
            && authenticationFailureCodes.contains(String(code.dropFirst("Client.".count)))
    }

    /// The common errors of AWS APIs that refuse a request before any policy is read (each
    /// service's "Common Errors" page, in their query and JSON spellings), and S3's and
    /// CloudTrail's own.
    private static let authenticationFailureCodes: Set<String> = [
        "AuthFailure",  // EC2
        "InvalidClientTokenId",  // an unknown access key
        "CloudTrailInvalidClientTokenIdException",  // the same, CloudTrail's spelling
        "UnrecognizedClientException",  // JSON services: "the security token ... is invalid"
        "InvalidAccessKeyId",  // S3: an unknown access key
        "InvalidToken",  // S3: a malformed session token
        "SignatureDoesNotMatch",  // a wrong secret
        "InvalidSignatureException",  // JSON services: a wrong secret
        "IncompleteSignature", "IncompleteSignatureException",  // a signature missing parts
        "AuthorizationHeaderMalformed",  // S3: a signature header it cannot read
        "MissingAuthenticationToken", "MissingAuthenticationTokenException",  // no credentials
        "ExpiredToken", "ExpiredTokenException",  // a session's credentials past their expiry
        "RequestExpired",  // signed more than 15 minutes before it arrived
        "RequestTimeTooSkewed",  // S3: the same
    ]

    /// Codes that contain `AccessDenied` or `Unauthorized` but say that a service, or an OAuth
    /// client, could not act, after the caller's call was allowed: Lambda's execution role
    /// could not use a KMS key or create a network interface; SSO OIDC refused a client.
    private static let serviceRoleFailureCodes: Set<String> = [
        "KMSAccessDeniedException", "EC2AccessDeniedException", "UnauthorizedClientException",
    ]

    /// Dry runs that passed authorization: the caller held the permission (facts §3.1). A
    /// denied dry run comes back as `Client.UnauthorizedOperation` instead, which is a denial.
    private static let dryRunSuccessCodes: Set<String> = [
        "Client.DryRunOperation",  // EC2 in CloudTrail
        "DryRunOperation",  // EC2 API spelling without the `Client.` prefix
        "DryRunOperationException",  // KMS: "would have succeeded, but the DryRun option is set"
    ]

    /// Authorization failures by exact code (facts §3.1 table, Appendix C).
    ///
    /// Not here on purpose: authentication failures (`AuthFailure`, `InvalidClientTokenId`,
    /// `SignatureDoesNotMatch`, `ExpiredToken`) and `OptInRequired`: no policy decided those.
    /// Nor Cognito's `NotAuthorizedException` (facts: "confirm on real data"): its messages are
    /// an end user's failed sign-in ("Incorrect username or password.", "User is disabled."),
    /// after IAM allowed the call (AdminInitiateAuth); IAM's own refusals there are
    /// `AccessDeniedException`. Such a code is a denial when its message is IAM's sentence.
    private static let denialCodes: Set<String> = [
        "AccessDenied",  // query/XML services: S3, IAM, STS, SQS, CloudFormation...
        "AccessDeniedException",  // JSON services: KMS, Lambda, DynamoDB...
        "Client.UnauthorizedOperation",  // EC2 in CloudTrail (Stratus Red Team logs)
        "UnauthorizedOperation",  // EC2 without the prefix (CIS filter)
        "Client.AccessDenied",  // EC2 family
        "AuthorizationError",  // SNS
        "UnauthorizedException",  // REST services (AppSync, IoT...)
        "ForbiddenException",  // REST services
        "Forbidden",  // REST services
        "AccessDeniedForDependencyException",  // Organizations: a dependent permission is missing
        "NotAuthorized",  // common errors: "You don't have permission to perform this action"
        "VpceAccessDenied",  // network activity events (CT-REC)
        "TagPolicyViolation",  // Organizations tag policy
    ]

    /// Exact codes first, then the CIS rule that catches service-specific spellings
    /// (`AccessDenied*` / `*UnauthorizedOperation`), widened as facts §3.1 recommends: contains
    /// `AccessDenied` or `Unauthorized`, in any letter case.
    private static func isAuthorizationFailure(_ code: String) -> Bool {
        if denialCodes.contains(code) { return true }
        return contains(code, lowercased: Self.accessDenied)
            || contains(code, lowercased: Self.unauthorized)
    }

    /// Whether a message carries IAM's denial sentence about the caller (facts §3.2: "User:
    /// ARN is not authorized to perform: ...", RDS's "User is not authorized to perform: ..."),
    /// or EC2's "You are not authorized to perform this operation", in any letter case. A
    /// sentence about a service ("CodePipeline is not authorized to perform AssumeRole") is not.
    package static func saysCallerNotAuthorized(_ message: String) -> Bool {
        if contains(message, lowercased: Self.youAreNotAuthorized) { return true }
        let text = message.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        return hasPrefix(text, lowercased: Self.user)
            && contains(message, lowercased: Self.isNotAuthorizedToPerform)
    }

    private static let accessDenied = Array("accessdenied".utf8)
    private static let unauthorized = Array("unauthorized".utf8)
    private static let youAreNotAuthorized = Array("you are not authorized to perform".utf8)
    private static let isNotAuthorizedToPerform = Array("is not authorized to perform".utf8)
    private static let user = Array("user".utf8)

    /// Whether `text` begins with `prefix` (given in lower case), ignoring ASCII case.
    private static func hasPrefix(_ text: Substring, lowercased prefix: [UInt8]) -> Bool {
        var bytes = text.utf8.makeIterator()
        for wanted in prefix {
            guard let byte = bytes.next() else { return false }
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != wanted { return false }
        }
        return true
    }

    /// Whether `haystack` contains `needle` (given in lower case), ignoring ASCII case.
    private static func contains(_ haystack: String, lowercased needle: [UInt8]) -> Bool {
        var haystack = haystack
        return haystack.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            search: for start in 0...(bytes.count - needle.count) {
                for (offset, wanted) in needle.enumerated() {
                    let byte = bytes[start + offset]
                    let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    if folded != wanted { continue search }
                }
                return true
            }
            return false
        }
    }
}
