/// One principal a role's trust policy (`AssumeRolePolicyDocument`) allows, with the actions
/// and conditions of the statement that allows it.
package struct TrustEntry: Equatable, Sendable {
    /// Who: a service (`lambda.amazonaws.com`), an account or role ARN, an OIDC or SAML
    /// provider, or anyone (`*`).
    package var principal: PrincipalValue
    /// For `NotPrincipal` statements, `principal` is anyone and these are the exceptions.
    package var exceptions: [PrincipalValue] = []
    /// The actions allowed: `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`,
    /// `sts:AssumeRoleWithSAML`, `sts:TagSession`, `sts:SetSourceIdentity`...
    package var actions: ElementMatch
    /// The statement's conditions (`token.actions.githubusercontent.com:sub`, `sts:ExternalId`,
    /// `SAML:aud`...).
    package var conditions: [PolicyCondition]
    /// The statement's `Sid`.
    package var sid: String?
    /// Whether its document reads policy variables (`2012-10-17`); see `writtenConditions`.
    package var readsVariables = true

    /// The conditions as a `2012-10-17` document must write them to mean what they mean in
    /// the entry's own (`PolicyCondition.written`).
    package var writtenConditions: [PolicyCondition] {
        conditions.map { $0.written(readsVariables: readsVariables) }
    }

    /// Whether the entry allows `action` (case-insensitive, wildcards as IAM reads them).
    package func allows(action: String) -> Bool {
        actions.patterns.contains { IAMGlob.action($0).matches(action) } != actions.isExclusion
    }

    /// The values tested for a condition key under any operator (keys compare
    /// case-insensitively, as IAM does).
    package func values(ofConditionKey key: String) -> [String] {
        let wanted = key.lowercased()
        return conditions.filter { $0.key.lowercased() == wanted }.flatMap(\.values)
    }

    /// Whether the trust holds only under conditions.
    package var isConditional: Bool { !conditions.isEmpty }
}

extension PolicyDocument {
    /// The principals the Allow statements of this trust policy name, one entry per principal
    /// and statement, in document order.
    ///
    /// Deny statements are not subtracted: an entry says who is allowed by some statement, and
    /// `hasDenyStatements` tells whether a Deny may narrow that.
    package func trustedPrincipals() -> [TrustEntry] {
        var entries: [TrustEntry] = []
        for statement in statements where statement.effect == .allow {
            switch statement.principals {
            case .listed(let principals):
                for principal in principals {
                    entries.append(
                        TrustEntry(
                            principal: principal, actions: statement.actions,
                            conditions: statement.conditions, sid: statement.sid,
                            readsVariables: readsPolicyVariables))
                }
            case .allExcept(let exceptions):
                entries.append(
                    TrustEntry(
                        principal: PrincipalValue(.anyone, "*"), exceptions: exceptions,
                        actions: statement.actions, conditions: statement.conditions,
                        sid: statement.sid, readsVariables: readsPolicyVariables))
            case nil:
                continue
            }
        }
        return entries
    }

    /// Whether any statement is a Deny (which `trustedPrincipals` does not subtract).
    package var hasDenyStatements: Bool {
        statements.contains { $0.effect == .deny }
    }
}
