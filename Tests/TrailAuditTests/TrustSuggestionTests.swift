import Foundation
import Testing

@testable import TrailAudit

@Suite struct TrustSuggestionTests {
    typealias F = AnalysisFixture
    static let target = "arn:aws:iam::111122223333:role/ci/deploy"

    static func assume(
        _ id: Int, api: String = "AssumeRole", identity: String, request extra: String = "",
        response: String = "null", error: String? = nil
    ) -> String {
        F.event(
            id, source: "sts", name: api, identity: identity, error: error,
            request: #"{"roleArn":"\#(target)","roleSessionName":"s"\#(extra)}"#, response: response
        )
    }

    static let service = #"{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}"#
    static let partnerAccount =
        #"{"type":"AWSAccount","principalId":"AIDAX","accountId":"444455556666"}"#
    static let sameAccountUser =
        #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ops","accountId":"111122223333"}"#
    static let github =
        #"{"type":"WebIdentityUser","principalId":"x","userName":"repo:org/app:ref:refs/heads/main","#
        + #""identityProvider":"token.actions.githubusercontent.com"}"#
    static let githubResponse =
        #"{"subjectFromWebIdentityToken":"repo:org/app:ref:refs/heads/main","#
        + #""audience":"sts.amazonaws.com"}"#
    /// The GitHub OIDC provider as a trust statement's `Principal`, and its condition key
    /// prefix.
    static let githubPrincipal =
        #"{"Federated":"arn:aws:iam::111122223333:oidc-provider/"#
        + #"token.actions.githubusercontent.com"}"#
    static let githubKeys = "token.actions.githubusercontent.com"
    static let saml =
        #"{"type":"SAMLUser","principalId":"x:jane","userName":"jane","identityProvider":"x"}"#

    /// A GitHub Actions AssumeRoleWithWebIdentity with `subject` as its `sub`.
    static func webIdentityCall(
        _ id: Int, _ subject: String, audience: String = "sts.amazonaws.com"
    ) -> String {
        assume(
            id, api: "AssumeRoleWithWebIdentity",
            identity: github.replacingOccurrences(
                of: "repo:org/app:ref:refs/heads/main", with: subject),
            response: githubResponse.replacingOccurrences(
                of: "repo:org/app:ref:refs/heads/main", with: subject
            ).replacingOccurrences(of: "sts.amazonaws.com", with: audience))
    }

    static func trust(
        _ events: [String], current: String? = nil, export: [GrantedPrincipal] = []
    ) throws -> TrustSuggestion {
        TrustSuggestion(
            roleARN: target, assumptions: Assumptions(try F.aggregate(events)),
            current: try current.map { try PolicyDocument(text: $0, policy: "trust") }?
                .trustedPrincipals(),
            roles: RoleDirectory(export))
    }

    /// The role's account logs a cross-account AssumeRole again, naming only the caller's
    /// account: with the caller's own copy read too, the trust names the caller, not every
    /// principal of its account.
    @Test func theRoleAccountsCopyOfACrossAccountCallAddsNoAccountRoot() throws {
        let partnerUser =
            #"{"type":"IAMUser","arn":"arn:aws:iam::444455556666:user/deployer","#
            + #""accountId":"444455556666"}"#
        let both = try Self.trust([
            Self.assume(1, identity: partnerUser), Self.assume(2, identity: Self.partnerAccount),
        ])
        #expect(both.assumers.map(\.principal) == ["arn:aws:iam::444455556666:user/deployer"])
        #expect(both.warnings.isEmpty)
        // Only the role's copy read: the account is all the logs say, and the warning says how
        // to name the caller.
        let forged = try Self.trust([
            Self.assume(3, identity: #"{"type":"AWSAccount","accountId":"99\u001b]0;x"}"#)
        ])
        #expect(forged.assumers.isEmpty)
        let alone = try Self.trust([Self.assume(2, identity: Self.partnerAccount)])
        #expect(alone.assumers.map(\.principal) == ["arn:aws:iam::444455556666:root"])
        #expect(
            alone.warnings == [
                "arn:aws:iam::444455556666:root: the role's account logs a caller from another "
                    + "account by its account only; read account 444455556666's trail too to "
                    + "name the user or role instead of the whole account"
            ])
    }

    /// Only the role's account logged the calls (by the caller's account), and the current
    /// trust names users and roles of that account: any of them may have made the calls, so
    /// all are kept, none called unused.
    @Test func principalsOfAnAccountLoggedByAccountOnlyAreKept() throws {
        let current =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["#
            + #""arn:aws:iam::444455556666:user/alice","arn:aws:iam::444455556666:role/ci/deployer"#
            + #""]},"Action":"sts:AssumeRole"}]}"#
        let trust = try Self.trust(
            [Self.assume(1, identity: Self.partnerAccount)], current: current)
        #expect(
            trust.assumers.map(\.principal) == [
                "arn:aws:iam::444455556666:role/ci/deployer",
                "arn:aws:iam::444455556666:user/alice",
            ])
        #expect(trust.document != nil)
        #expect(
            trust.warnings == [
                "1 assumption(s) by account 444455556666 were logged by the role's account only, "
                    + "which does not say which of the trusted "
                    + "arn:aws:iam::444455556666:user/alice, arn:aws:iam::444455556666:role/ci/"
                    + "deployer made them: all kept; read account 444455556666's trail too"
            ])
    }

    @Test func eachCallerTypeIsNamedAsATrustPolicyNamesIt() throws {
        let trust = try Self.trust([
            Self.assume(1, identity: Self.service),
            Self.assume(2, identity: Self.partnerAccount),
            Self.assume(3, identity: Self.sameAccountUser),
            Self.assume(
                4, api: "AssumeRoleWithWebIdentity", identity: Self.github,
                response: Self.githubResponse),
            Self.assume(
                5, api: "AssumeRoleWithSAML", identity: Self.saml,
                request: #","principalArn":"arn:aws:iam::111122223333:saml-provider/Corp""#,
                response: #"{"audience":"https://signin.aws.amazon.com/saml"}"#),
            // Denied attempts earn no trust.
            Self.assume(
                6, identity: F.session(of: "arn:aws:iam::999988887777:role/x"),
                error: "AccessDenied"),
        ])
        let document = try #require(trust.document).compactText
        #expect(
            document
                == #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/ops","#
                + #""arn:aws:iam::444455556666:root"]},"Action":"sts:AssumeRole"},"#
                + #"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"#
                + #""Action":"sts:AssumeRole"},"#
                + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
                + #"oidc-provider/token.actions.githubusercontent.com"},"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
                + #""token.actions.githubusercontent.com:aud":"sts.amazonaws.com","#
                + #""token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main"}}},"#
                + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
                + #"saml-provider/Corp"},"Action":"sts:AssumeRoleWithSAML","Condition":{"#
                + #""StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}"#)
        #expect(
            trust.assumers.first { $0.principal == "arn:aws:iam::444455556666:root" }?.crossAccount
                == true)
        #expect(!trust.assumers.contains { $0.principal.contains("999988887777") })
    }

    @Test func theCurrentTrustIsReviewedAgainstTheEvidence() throws {
        let current =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole"},"#
            + #"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"#
            + #""Action":"sts:AssumeRole"}]}"#
        var principal = try F.principal(Self.target, policy: F.allow(["sqs:ListQueues"]))
        principal.trust = try PolicyDocument(text: current, policy: "trust").trustedPrincipals()
        let trust = try Self.trust([Self.assume(1, identity: Self.partnerAccount)])
        #expect(
            principal.trustReview(trust) == [
                "trust never used in the window: Service ec2.amazonaws.com",
                "account 444455556666 assumes the role with no sts:ExternalId condition in the "
                    + "trust policy: if it is a third party, require one (confused deputy)",
            ])

        let withExternalId =
            #"{"Statement":{"Effect":"Allow","Principal":{"AWS":"#
            + #""arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","#
            + #""Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}}"#
        principal.trust = try PolicyDocument(text: withExternalId, policy: "trust")
            .trustedPrincipals()
        #expect(principal.trustReview(trust) == [])

        // `{"AWS": "*"}` trusts everyone, as `"*"` does (a breaking pass: no warning).
        for (written, warning) in [
            (#""*""#, #"the trust policy allows any principal ("*")"#),
            (
                #"{"AWS":"*"}"#,
                #"the trust policy allows any AWS principal of any account ({"AWS": "*"})"#
            ),
        ] {
            principal.trust = try PolicyDocument(
                text: #"{"Statement":{"Effect":"Allow","Principal":\#(written),"#
                    + #""Action":"sts:AssumeRole"}}"#, policy: "trust"
            ).trustedPrincipals()
            #expect(principal.trustReview(trust).first == warning)
        }

        // Deny statements are not in the suggestion: the review says so.
        principal.trust = try PolicyDocument(text: withExternalId, policy: "trust")
            .trustedPrincipals()
        principal.trustHasDeny = true
        #expect(
            principal.trustReview(trust) == [
                "the current trust policy has Deny statements, which the suggestion does not "
                    + "carry: add them back"
            ])
    }

    /// A session action allowed only under a condition does not come along with an
    /// unconditional AssumeRole; a principal its own trail names keeps its own terms even when
    /// the role's account also logged calls by its account only.
    @Test func termsComeFromTheStatementsThatAdmitTheCall() throws {
        let alice = "arn:aws:iam::444455556666:user/alice"
        let current =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":{"AWS":["\#(alice)","#
            + #""arn:aws:iam::444455556666:user/bob"]},"Action":"sts:AssumeRole","#
            + #""Condition":{"StringEquals":{"sts:ExternalId":"x"}}},"#
            + #"{"Effect":"Allow","Principal":{"AWS":"\#(alice)"},"#
            + #""Action":"sts:AssumeRole"},"#
            + #"{"Effect":"Allow","Principal":{"AWS":"\#(alice)"},"#
            + #""Action":["sts:AssumeRole","sts:TagSession"],"#
            + #""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
        let aliceCall = #"{"type":"IAMUser","arn":"\#(alice)","accountId":"444455556666"}"#
        let trust = try Self.trust(
            [
                Self.assume(1, identity: aliceCall), Self.assume(2, identity: Self.partnerAccount),
                Self.assume(3, identity: Self.partnerAccount),
            ], current: current)
        let kept = try #require(trust.assumers.first { $0.principal == alice })
        #expect(kept.conditions.isEmpty)
        #expect(kept.sessionActions.isEmpty)
        #expect(trust.assumers.map(\.principal) == [alice, "arn:aws:iam::444455556666:user/bob"])
    }

    /// A statement that allows only a session action does not admit the AssumeRole call: the
    /// call's own statement's conditions are kept. The session action comes along when its
    /// statement's terms are no stricter (none, or the same conditions): under the call's
    /// conditions it is narrower than today (a breaking pass: TagSession and
    /// SetSourceIdentity in a statement of their own were dropped). Under other conditions
    /// it is left out with a warning, never widened.
    @Test func aSessionOnlyStatementAdmitsNoCall() throws {
        let alice = "arn:aws:iam::111122223333:user/alice"
        let caller = #"{"type":"IAMUser","arn":"\#(alice)","accountId":"111122223333"}"#
        func trust(session: String, call: String) throws -> TrustSuggestion {
            let current =
                #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Principal":{"AWS":"\#(alice)"},\#(session)},"#
                + #"{"Effect":"Allow","Principal":{"AWS":"\#(alice)"},\#(call)}]}"#
            return try Self.trust([Self.assume(1, identity: caller)], current: current)
        }
        let mfa = #""Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#
        let sourceIP = #""Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#

        let unconditional = try trust(
            session: #""Action":["sts:TagSession","sts:SetSourceIdentity"]"#,
            call: #""Action":"sts:AssumeRole""#)
        let plain = try #require(unconditional.assumers.first)
        #expect(plain.conditions.isEmpty)
        #expect(plain.sessionActions == ["sts:TagSession", "sts:SetSourceIdentity"])
        #expect(unconditional.warnings == [])

        let underMFA = try trust(
            session: #""Action":"sts:TagSession""#, call: #""Action":"sts:AssumeRole",\#(mfa)"#)
        let kept = try #require(underMFA.assumers.first)
        #expect(kept.conditions.map(\.key) == ["aws:MultiFactorAuthPresent"])
        #expect(kept.sessionActions == ["sts:TagSession"])
        #expect(underMFA.warnings == [])

        let otherTerms = try trust(
            session: #""Action":"sts:TagSession",\#(sourceIP)"#,
            call: #""Action":"sts:AssumeRole",\#(mfa)"#)
        #expect(otherTerms.assumers.first?.sessionActions == [])
        #expect(
            otherTerms.warnings == [
                "\(alice): the current trust allows sts:TagSession under other terms than its "
                    + "sts:AssumeRole; not in the suggestion: carry that statement over if the "
                    + "callers use it"
            ])
    }

    @Test func theSuggestionStaysInsideTheCurrentTrustAndKeepsItsConditions() throws {
        let current =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"#
            + #""Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":"#
            + #"{"sts:ExternalId":"s3cr3t"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}},"#
            + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
            + #"oidc-provider/token.actions.githubusercontent.com"},"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":"#
            + #"{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}}]}"#
        let noSubject =
            #"{"type":"WebIdentityUser","principalId":"x","#
            + #""identityProvider":"token.actions.githubusercontent.com"}"#
        let trust = try Self.trust(
            [
                Self.assume(1, identity: Self.partnerAccount),
                Self.assume(
                    2, identity: F.session(of: "arn:aws:iam::999988887777:role/stranger")),
                Self.assume(3, api: "AssumeRoleWithWebIdentity", identity: noSubject),
            ], current: current)
        #expect(
            try #require(trust.document).compactText
                == #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"#
                + #""Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"Bool":"#
                + #"{"aws:MultiFactorAuthPresent":"true"},"StringEquals":{"sts:ExternalId":"#
                + #""s3cr3t"}}},"#
                + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
                + #"oidc-provider/token.actions.githubusercontent.com"},"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":"#
                + #"{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}}]}"#)
        #expect(
            trust.warnings == [
                "arn:aws:iam::444455556666:root: the role's account logs a caller from another "
                    + "account by its account only; read account 444455556666's trail too to "
                    + "name the user or role instead of the whole account",
                "arn:aws:iam::999988887777:role/stranger assumed the role but the current trust "
                    + "policy does not name it (a changed policy, or another path): left out",
            ])

        let unknown = try Self.trust([
            Self.assume(1, api: "AssumeRoleWithWebIdentity", identity: noSubject)
        ])
        #expect(unknown.document == nil)
        #expect(
            unknown.warnings.first?.hasSuffix("admits every identity of the provider: left out")
                == true)
    }

    /// A subject the current trust's conditions refuse is left out with a warning, never pinned
    /// (a breaking pass: `repo:evil/x` came back in a StringEquals the StringLike
    /// `repo:org/app:*` of today refuses); a condition on `sub` the suggestion does not
    /// replace stays beside its StringEquals.
    @Test func aSubjectTheCurrentTrustRefusesIsLeftOut() throws {
        func current(_ conditions: String) -> String {
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"#
                + #""arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":\#(conditions)}}"#
        }
        let events = [
            Self.webIdentityCall(1, "repo:org/app:ref:refs/heads/main"),
            Self.webIdentityCall(2, "repo:evil/x:ref:refs/heads/main"),
        ]
        let like = try Self.trust(
            events,
            current: current(
                #"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}"#))
        #expect(like.assumers.map(\.subjects) == [["repo:org/app:ref:refs/heads/main"]])
        #expect(
            try #require(like.document).compactText.contains(
                #""token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main""#))
        #expect(!(try #require(like.document).compactText.contains("evil")))
        #expect(
            like.warnings == [
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com: 1 "
                    + "subject(s) assumed the role that the current trust's conditions refuse (a "
                    + "changed policy, or another path), e.g. repo:evil/x:ref:refs/heads/main: "
                    + "left out"
            ])

        let notLike = try Self.trust(
            events,
            current: current(
                #"{"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}}"#))
        #expect(notLike.assumers.map(\.subjects) == [["repo:org/app:ref:refs/heads/main"]])
        #expect(
            try #require(notLike.document).compactText.contains(
                #""StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}"#))

        // Any statement that allows the call may admit a subject (a breaking pass: the
        // second statement's subject was left out); a set operator's qualifier does not
        // change a one-valued `sub`.
        let twoStatements =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
            + #"oidc-provider/token.actions.githubusercontent.com"},"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
            + #""token.actions.githubusercontent.com:sub":"repo:org/app:ref:refs/heads/main"}}},"#
            + #"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:"#
            + #"oidc-provider/token.actions.githubusercontent.com"},"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"#
            + #""token.actions.githubusercontent.com:sub":"repo:org/app:pull_request"}}}]}"#
        let both = try Self.trust(
            [
                Self.webIdentityCall(1, "repo:org/app:ref:refs/heads/main"),
                Self.webIdentityCall(2, "repo:org/app:pull_request"),
            ],
            current: twoStatements)
        #expect(
            both.assumers.map(\.subjects) == [
                ["repo:org/app:pull_request", "repo:org/app:ref:refs/heads/main"]
            ])
        #expect(both.warnings == [])
        let anyValue = try Self.trust(
            events,
            current: current(
                #"{"ForAnyValue:StringLike":{"token.actions.githubusercontent.com:sub":"#
                    + #""repo:org/*"}}"#))
        #expect(anyValue.assumers.map(\.subjects) == [["repo:org/app:ref:refs/heads/main"]])

        let refusedAll = try Self.trust(
            [Self.webIdentityCall(1, "repo:evil/x:ref:refs/heads/main")],
            current: current(
                #"{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:org/app:x"}}"#))
        #expect(refusedAll.document == nil)
    }

    /// Subjects two statements admit on different terms get a statement each: written on the
    /// first statement's terms, the second's subject would be allowed without its
    /// `job_workflow_ref` condition (a breaking pass found the pairing).
    @Test func subjectsAdmittedOnDifferentTermsKeepTheirOwnTerms() throws {
        let provider = Self.githubPrincipal
        let current =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":\#(provider),"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"#
            + #""token.actions.githubusercontent.com:sub":"repo:org/app:*"}}},"#
            + #"{"Effect":"Allow","Principal":\#(provider),"#
            + #""Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"Condition":{"#
            + #""StringEquals":{"token.actions.githubusercontent.com:sub":"#
            + #""repo:org/infra:environment:prod","#
            + #""token.actions.githubusercontent.com:job_workflow_ref":"#
            + #""org/infra/.github/workflows/deploy.yml@refs/heads/main"}}}]}"#
        let trust = try Self.trust(
            [
                Self.webIdentityCall(1, "repo:org/app:ref:refs/heads/main"),
                Self.webIdentityCall(2, "repo:org/infra:environment:prod"),
                Self.webIdentityCall(3, "repo:org/infra:environment:prod"),
            ], current: current)
        #expect(
            trust.assumers.map(\.subjects) == [
                ["repo:org/app:ref:refs/heads/main"], ["repo:org/infra:environment:prod"],
            ])
        #expect(trust.assumers.map(\.count) == [1, 2])
        #expect(
            trust.assumers.map(\.sessionActions) == [[], ["sts:TagSession"]])
        let key = Self.githubKeys
        #expect(
            try #require(trust.document).compactText
                == #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Principal":\#(provider),"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
                + #""\#(key):aud":"sts.amazonaws.com","#
                + #""\#(key):sub":"repo:org/app:ref:refs/heads/main"}}},"#
                + #"{"Effect":"Allow","Principal":\#(provider),"#
                + #""Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],"#
                + #""Condition":{"StringEquals":{"#
                + #""\#(key):job_workflow_ref":"org/infra/.github/workflows/deploy.yml@refs/heads/main","#
                + #""\#(key):aud":"sts.amazonaws.com","#
                + #""\#(key):sub":"repo:org/infra:environment:prod"}}}]}"#)
        // Every subject admitted by the second statement only: its terms, not the first's.
        let second = try Self.trust(
            [Self.webIdentityCall(2, "repo:org/infra:environment:prod")], current: current)
        #expect(second.assumers.map(\.sessionActions) == [["sts:TagSession"]])
        #expect(try #require(second.document).compactText.contains("job_workflow_ref"))
        // Only the second statement allows TagSession, and it admits the second's subject
        // only: no warning for the first's (a breaking pass: one said it was left out).
        #expect(trust.warnings == [])
    }

    /// An audience today's trust refuses is left out with its calls, never pinned (a breaking
    /// pass: every audience seen replaced today's `aud` condition).
    @Test func anAudienceTheCurrentTrustRefusesIsLeftOut() throws {
        let current =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"#
            + #""arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"#
            + #""token.actions.githubusercontent.com:sub":"repo:org/app:*"},"StringEquals":{"#
            + #""token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}}"#
        let trust = try Self.trust(
            [
                Self.webIdentityCall(1, "repo:org/app:ref:refs/heads/main"),
                Self.webIdentityCall(2, "repo:org/app:pull_request", audience: "custom-aud"),
                Self.webIdentityCall(3, "repo:org/app:pull_request", audience: "b-aud"),
            ], current: current)
        #expect(trust.assumers.map(\.subjects) == [["repo:org/app:ref:refs/heads/main"]])
        #expect(trust.assumers.map(\.audiences) == [["sts.amazonaws.com"]])
        #expect(trust.assumers.map(\.count) == [1])
        let document = try #require(trust.document).compactText
        #expect(!document.contains("-aud") && !document.contains("pull_request"))
        #expect(
            trust.warnings == [
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com: 2 "
                    + "subject and audience (aud) pair(s) assumed the role that the current "
                    + "trust's conditions refuse (a changed policy, or another path), e.g. "
                    + "repo:org/app:pull_request with aud b-aud: left out"
            ])
    }

    /// A subject that a second statement admits on lighter terms keeps them: held to the
    /// first statement's `environment` it would be locked out (a breaking pass). A call two
    /// statements admit is under both.
    @Test func aSubjectKeepsTheLightestTermsThatAdmitIt() throws {
        let provider = Self.githubPrincipal
        let key = Self.githubKeys
        let current =
            #"{"Version":"2012-10-17","Statement":["#
            + #"{"Effect":"Allow","Principal":\#(provider),"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"#
            + #""\#(key):sub":"repo:org/*"},"StringEquals":{"\#(key):environment":"prod"}}},"#
            + #"{"Effect":"Allow","Principal":\#(provider),"#
            + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
            + #""\#(key):sub":"repo:org/app:ref:refs/heads/main"}}}]}"#
        let trust = try Self.trust(
            [
                Self.webIdentityCall(1, "repo:org/app:ref:refs/heads/main"),
                Self.webIdentityCall(2, "repo:org/app:ref:refs/heads/main"),
                Self.webIdentityCall(3, "repo:org/infra:environment:prod"),
            ], current: current)
        #expect(
            trust.assumers.map(\.subjects) == [
                ["repo:org/app:ref:refs/heads/main", "repo:org/infra:environment:prod"],
                ["repo:org/app:ref:refs/heads/main"],
            ])
        #expect(trust.assumers.map(\.count) == [3, 2])
        #expect(
            try #require(trust.document).compactText
                == #"{"Version":"2012-10-17","Statement":["#
                + #"{"Effect":"Allow","Principal":\#(provider),"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
                + #""\#(key):environment":"prod","\#(key):aud":"sts.amazonaws.com","#
                + #""\#(key):sub":["repo:org/app:ref:refs/heads/main","#
                + #""repo:org/infra:environment:prod"]}}},"#
                + #"{"Effect":"Allow","Principal":\#(provider),"#
                + #""Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"#
                + #""\#(key):aud":"sts.amazonaws.com","#
                + #""\#(key):sub":"repo:org/app:ref:refs/heads/main"}}}]}"#)
        #expect(trust.warnings == [])
    }

    /// A Cognito identity pool's `sub` is one end user: the users seen are not pinned, the
    /// pool (`aud`) is, and today's `amr` condition stays (a breaking pass: the suggestion
    /// locked out every user not seen in the window).
    @Test func cognitoUsersAreNotPinned() throws {
        let current =
            #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"#
            + #""cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","#
            + #""Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"#
            + #""us-east-1:pool"},"ForAnyValue:StringLike":{"#
            + #""cognito-identity.amazonaws.com:amr":"authenticated"}}}}"#
        let user =
            #"{"type":"WebIdentityUser","principalId":"cognito-identity.amazonaws.com:"#
            + #"us-east-1:pool:us-east-1:1111-2222","userName":"us-east-1:1111-2222","#
            + #""identityProvider":"cognito-identity.amazonaws.com"}"#
        let response =
            #"{"subjectFromWebIdentityToken":"us-east-1:1111-2222","#
            + #""audience":"us-east-1:pool"}"#
        let trust = try Self.trust(
            [
                Self.assume(
                    1, api: "AssumeRoleWithWebIdentity", identity: user, response: response)
            ], current: current)
        let document = try #require(trust.document).compactText
        #expect(!document.contains(":sub"))
        #expect(document.contains(#""cognito-identity.amazonaws.com:aud":"us-east-1:pool""#))
        #expect(
            document.contains(
                #""ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}"#
            ))

        let noPool = try Self.trust([
            Self.assume(1, api: "AssumeRoleWithWebIdentity", identity: user)
        ])
        #expect(noPool.document == nil)
    }

    /// A trust policy older than 2012-10-17 reads `${...}` in its conditions as text: the
    /// suggestion (a 2012-10-17 document) writes its `$` as `${$}` to keep that meaning.
    @Test func conditionsOfAnOldTrustPolicyKeepTheirMeaning() throws {
        let current =
            #"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"#
            + #""arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":"#
            + #"{"StringEquals":{"sts:ExternalId":"id-${aws:username}"}}}]}"#
        let trust = try Self.trust(
            [Self.assume(1, identity: Self.partnerAccount)], current: current)
        let text = try #require(trust.document).compactText
        #expect(text.contains(#""sts:ExternalId":"id-${$}{aws:username}""#))
    }

    @Test func aCallerLoggedWithoutItsPathIsWrittenWithTheExportsPath() throws {
        let pathless =
            #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:"#
            + #"assumed-role/ci-runner/s","accountId":"111122223333"}"#
        let runner = try F.principal(
            "arn:aws:iam::111122223333:role/ci/ci-runner", policy: F.allow(["sqs:*"]))
        let trust = try Self.trust([Self.assume(1, identity: pathless)], export: [runner])
        #expect(trust.assumers.map(\.principal) == ["arn:aws:iam::111122223333:role/ci/ci-runner"])
        let unresolved = try Self.trust([Self.assume(1, identity: pathless)])
        #expect(unresolved.warnings.contains { $0.contains("was logged without its path") })
    }

    @Test func aRoleNobodyAssumedGetsNoTrustPolicy() throws {
        let trust = try Self.trust([F.event(1, source: "sqs", name: "ListQueues")])
        #expect(trust.document == nil && trust.assumers.isEmpty)
        #expect(
            trust.warnings == ["nobody assumed the role in the window: no trust policy suggested"])
    }

    /// Two branches whose names differ only in how `é` is spelled (composed, or `e` and a
    /// combining accent) are two branches to Git and two `sub` values to IAM: the report, the
    /// trust policy, `changes` and the timeline keep them apart.
    @Test func subjectsSpelledWithOtherBytesAreOtherAssumers() throws {
        let composed = "repo:org/app:ref:refs/heads/caf\u{E9}"
        let decomposed = "repo:org/app:ref:refs/heads/cafe\u{301}"
        #expect(composed == decomposed)  // to Swift's String
        func assume(_ id: Int, _ subject: String, day: Int) -> String {
            Self.assume(
                id, api: "AssumeRoleWithWebIdentity",
                identity: Self.github.replacingOccurrences(
                    of: "repo:org/app:ref:refs/heads/main", with: subject),
                response: Self.githubResponse.replacingOccurrences(
                    of: "repo:org/app:ref:refs/heads/main", with: subject)
            ).replacingOccurrences(
                of: "2024-03-05T10:00:00Z", with: "2024-03-0\(day)T10:00:00Z")
        }
        let events = [assume(1, composed, day: 5), assume(2, decomposed, day: 6)]
        let bytes: ([String]) -> [[UInt8]] = { $0.map { Array($0.utf8) } }

        let aggregate = try F.aggregate(events)
        let callers = try #require(aggregate.assumedRoles[Self.target]).callers
        #expect(callers.count == 2)
        #expect(
            Set(bytes(callers.keys.compactMap(\.subject))) == Set(bytes([composed, decomposed])))

        let trust = try Self.trust(events)
        #expect(
            bytes(trust.assumers.flatMap(\.subjects))
                == bytes([composed, decomposed]).sorted {
                    $0.lexicographicallyPrecedes($1)
                })

        let day = EpochSeconds(86_400)
        let (first, second) = try (F.aggregate([events[0]]), F.aggregate([events[1]]))
        let firstDay = TimeWindow(since: 1_709_596_800, until: 1_709_596_800 + day)
        let secondDay = TimeWindow(since: firstDay.until!, until: firstDay.until! + day)
        let changes = StateChanges(
            current: second, in: secondDay, previous: first, in: firstDay)
        #expect(bytes(changes.newAssumers.compactMap(\.caller.subject)) == bytes([decomposed]))

        let timeline = try Self.timeline(events)
        #expect(timeline.firstSeen.keys.filter { $0.kind == .assumer }.count == 2)
    }

    static func timeline(_ events: [String]) throws -> TimelineAggregate {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("events.json")
        try Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8).write(to: file)
        var options = RunOptions()
        options.timeline = TimelineQuery(principal: target, bucket: 86_400)
        return AuditRun.run(ExportTree(paths: [file.path]), options: options).timeline
    }
}
