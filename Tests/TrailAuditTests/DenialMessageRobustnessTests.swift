import Testing

@testable import TrailAudit

/// Error messages are attacker-influenced text: every cut of a real message must parse
/// without trapping, and what it finds must come from the text.
@Suite struct DenialMessageRobustnessTests {
    static let messages = [
        "User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: "
            + "s3:GetObject on resource: \"arn:aws:s3:::b/k\" with an explicit deny in a service "
            + "control policy",
        "You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not "
            + "authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:r:1:instance/* "
            + "because no identity-based policy allows the ec2:RunInstances action. Encoded "
            + "authorization failure message: AbC",
        "User: is not authorized to perform: iam:CreateUser",
        "User:  is not authorized",
        "User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetObject on resource:  "
            + "because no identity-based policy allows the s3:GetObject action",
    ]

    @Test(arguments: messages)
    func everyPrefixAndSuffixParses(message: String) {
        let characters = Array(message)
        for cut in 0...characters.count {
            let prefix = String(characters[..<cut])
            let suffix = String(characters[cut...])
            for text in [prefix, suffix] {
                let parsed = DenialMessage(errorCode: "AccessDenied", errorMessage: text)
                if let action = parsed.action { #expect(text.contains(action)) }
                if let principal = parsed.principalArn { #expect(text.contains(principal)) }
            }
        }
    }

    /// Decode workers parse messages at once, and an errorMessage can be empty: parsing empty
    /// messages on many threads must touch no shared storage (ThreadSanitizer, which the CI
    /// runs the suite under, caught the empty-array singleton written to here).
    @Test func emptyMessagesParseConcurrently() async {
        let found = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var named = 0
                    for text in Array(repeating: "", count: 2_000) + [" ", "\n\t"] {
                        let parsed = DenialMessage(errorCode: "AccessDenied", errorMessage: text)
                        if parsed.action != nil || parsed.principalArn != nil { named += 1 }
                    }
                    return named
                }
            }
            return await group.reduce(0, +)
        }
        #expect(found == 0)
    }

    /// An empty resource clause names no resource, and the reason after it is still read.
    @Test func emptyResourceIsNotInvented() {
        let parsed = DenialMessage(
            errorCode: "AccessDenied",
            errorMessage:
                "User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetObject on "
                + "resource:  because no identity-based policy allows the s3:GetObject action")
        #expect(parsed.resource == nil)
        #expect(parsed.reason == DenialReason(kind: .implicitDeny, policyType: "identity-based"))
        let bare = DenialMessage(
            errorCode: "AccessDenied",
            errorMessage:
                "User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetObject on "
                + "resource: because no identity-based policy allows the s3:GetObject action")
        #expect(bare.resource == nil)
    }

    @Test func emptyPrincipalIsNotInvented() {
        let parsed = DenialMessage(
            errorCode: "AccessDenied",
            errorMessage: "User: is not authorized to perform: iam:CreateUser")
        #expect(parsed.principalArn == nil)
        #expect(parsed.action == "iam:CreateUser")
    }
}
