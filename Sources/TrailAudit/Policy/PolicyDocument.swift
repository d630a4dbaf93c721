/// An IAM policy document (identity, boundary or trust policy), as written.
package struct PolicyDocument: Equatable, Sendable {
    /// `Version`, usually `2012-10-17`; nil when absent (policy variables then do not apply).
    package var version: String?
    /// `Id`, rarely set.
    package var id: String?
    /// The statements, in document order (a single `Statement` object becomes one element).
    package var statements: [PolicyStatement]

    /// A document from its parts.
    package init(version: String? = "2012-10-17", id: String? = nil, statements: [PolicyStatement])
    {
        self.version = version
        self.id = id
        self.statements = statements
    }

    /// Whether `${...}` in this document is a policy variable: only under version
    /// `2012-10-17`; without it (or under `2008-10-17`) the text is literal (facts §6.2).
    package var readsPolicyVariables: Bool { version == "2012-10-17" }

    /// A value (a Resource pattern, a condition value) of a document that reads no policy
    /// variables, as a `2012-10-17` document writes it to mean the same text: each `$`
    /// written `${$}`.
    static func asText(_ value: String) -> String {
        value.replacingOccurrences(of: "$", with: "${$}")
    }
}

/// One statement of a policy document.
package struct PolicyStatement: Equatable, Sendable {
    /// `Effect`.
    package enum Effect: String, Equatable, Sendable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// `Sid`, when present.
    package var sid: String?
    /// `Effect`.
    package var effect: Effect
    /// `Action` (`.listed`) or `NotAction` (`.allExcept`).
    package var actions: ElementMatch
    /// `Resource` or `NotResource`; nil in trust policies, which have neither.
    package var resources: ElementMatch?
    /// `Principal` or `NotPrincipal`; nil in identity policies.
    package var principals: PrincipalMatch?
    /// `Condition`, one entry per operator and key, in document order.
    package var conditions: [PolicyCondition]

    /// A statement from its parts.
    package init(
        sid: String? = nil, effect: Effect, actions: ElementMatch, resources: ElementMatch? = nil,
        principals: PrincipalMatch? = nil, conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.principals = principals
        self.conditions = conditions
    }

    /// Whether the statement only applies when its conditions hold (it has a `Condition`).
    package var isConditional: Bool { !conditions.isEmpty }
}

/// The values of `Action`/`Resource` (matching the listed values) or of `NotAction`/
/// `NotResource` (matching everything except the listed values).
package enum ElementMatch: Hashable, Sendable {
    /// `Action` / `Resource`: the listed patterns.
    case listed([String])
    /// `NotAction` / `NotResource`: everything the patterns do not match.
    case allExcept([String])

    /// The patterns, whichever the form.
    package var patterns: [String] {
        switch self {
        case .listed(let patterns), .allExcept(let patterns): return patterns
        }
    }

    /// Whether this is the `Not...` form.
    package var isExclusion: Bool {
        if case .allExcept = self { return true }
        return false
    }
}

/// The kind of principal named in a `Principal` element.
package enum PrincipalKind: String, Equatable, Hashable, Sendable, CaseIterable {
    /// `"Principal": "*"`: anyone.
    case anyone = "*"
    /// `AWS`: accounts, users, roles, sessions.
    case aws = "AWS"
    /// `Service`: `lambda.amazonaws.com` and the like.
    case service = "Service"
    /// `Federated`: OIDC and SAML providers, `cognito-identity.amazonaws.com`.
    case federated = "Federated"
    /// `CanonicalUser`: S3 canonical user ids.
    case canonicalUser = "CanonicalUser"
}

/// One principal named in a `Principal` or `NotPrincipal` element.
package struct PrincipalValue: Equatable, Hashable, Sendable {
    /// The key it was listed under.
    package var kind: PrincipalKind
    /// The value: an ARN, account id, service name, provider ARN or `*`.
    package var value: String

    /// A principal from its kind and value.
    package init(_ kind: PrincipalKind, _ value: String) {
        self.kind = kind
        self.value = value
    }
}

/// `Principal` (the listed principals) or `NotPrincipal` (everyone except them).
package enum PrincipalMatch: Equatable, Sendable {
    /// `Principal`.
    case listed([PrincipalValue])
    /// `NotPrincipal`.
    case allExcept([PrincipalValue])
}

/// One condition test: an operator (`StringLike`, `ForAnyValue:StringEquals`, `Null`...), a key
/// and its values (booleans and numbers kept as their text: `true`, `3600`).
package struct PolicyCondition: Equatable, Sendable {
    /// The operator, as written (qualifiers and `IfExists` included).
    package var `operator`: String
    /// The condition key, as written (keys compare case-insensitively).
    package var key: String
    /// The values, in document order.
    package var values: [String]

    /// A condition from its parts.
    package init(operator: String, key: String, values: [String]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }

    /// This condition as a `2012-10-17` document must write it to mean what it means in its
    /// own: in a document that reads no policy variables (an older version) `${aws:username}`
    /// is text, so each `$` of its values is written `${$}`.
    package func written(readsVariables: Bool) -> PolicyCondition {
        guard !readsVariables else { return self }
        return PolicyCondition(
            operator: `operator`, key: key, values: values.map(PolicyDocument.asText))
    }
}
