/// A tightened trust policy for one role: only the callers that assumed it in the window, with
/// the conditions the evidence supports.
package struct TrustSuggestion: Sendable {
    /// Who assumed the role, as a trust policy names it.
    package struct Assumer: Sendable, Hashable, Comparable {
        /// `AWS`, `Service` or `Federated`.
        package var principalType: String
        package var principal: String
        package var action: String
        /// Web identity `sub` values, or SAML subjects.
        package var subjects: [String] = []
        package var audiences: [String] = []
        /// Another account than the role's.
        package var crossAccount = false
        package var count = 0

        package static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.principalType, lhs.principal, lhs.action)
                < (rhs.principalType, rhs.principal, rhs.action)
        }
    }

    package var assumers: [Assumer]
    /// The document, or nil when nobody assumed the role in the window.
    package var document: PolicyJSON?
    package var warnings: [String]

    /// Callers of `roleARN` in `aggregate` (succeeded assumptions only).
    package init(roleARN: String, aggregate: Aggregate) {
        let wanted = PrincipalName(roleARN)
        let partition = ARN.partition(of: roleARN).map(String.init) ?? "aws"
        let roleAccount = ARN.account(of: roleARN).map(String.init) ?? ""
        var merged: [String: Assumer] = [:]
        var warnings: [String] = []

        for (role, assumptions) in aggregate.assumedRoles {
            guard let name = PrincipalName(role), let wanted, name.matches(wanted) else {
                continue
            }
            for (caller, counts) in assumptions.callers where counts.succeeded > 0 {
                guard
                    var assumer = TrustSuggestion.assumer(
                        caller, partition: partition, roleAccount: roleAccount)
                else {
                    warnings.append(
                        "\(caller.caller) (\(caller.type.rawValue)) assumed the role but cannot "
                            + "be named in a trust policy")
                    continue
                }
                let key = "\(assumer.principalType)\u{0}\(assumer.principal)\u{0}\(assumer.action)"
                assumer.count = counts.succeeded
                if var existing = merged[key] {
                    existing.count += assumer.count
                    existing.subjects += assumer.subjects
                    existing.audiences += assumer.audiences
                    merged[key] = existing
                } else {
                    merged[key] = assumer
                }
            }
        }

        assumers = merged.values.map { assumer in
            var assumer = assumer
            assumer.subjects = Array(Set(assumer.subjects)).sorted()
            assumer.audiences = Array(Set(assumer.audiences)).sorted()
            return assumer
        }.sorted()
        document = assumers.isEmpty ? nil : TrustSuggestion.document(assumers)
        if assumers.isEmpty {
            warnings.append("nobody assumed the role in the window: no trust policy suggested")
        }
        self.warnings = warnings
    }

    /// How a caller is named in a trust policy, or nil for callers that cannot be named.
    private static func assumer(
        _ caller: AssumeRoleCaller, partition: String, roleAccount: String
    ) -> Assumer? {
        switch caller.type {
        case .service:
            return Assumer(
                principalType: "Service", principal: caller.caller, action: "sts:AssumeRole")
        case .role, .user, .root, .serviceLinkedRole, .identityCenterRole:
            return Assumer(
                principalType: "AWS", principal: caller.caller, action: "sts:AssumeRole",
                crossAccount: caller.crossAccount)
        case .account:
            return Assumer(
                principalType: "AWS", principal: "arn:\(partition):iam::\(caller.caller):root",
                action: "sts:AssumeRole", crossAccount: caller.crossAccount)
        case .federatedUser:
            // A federated user session cannot be a principal; its account can.
            guard let account = ARN.account(of: caller.caller) else { return nil }
            return Assumer(
                principalType: "AWS", principal: "arn:\(partition):iam::\(account):root",
                action: "sts:AssumeRole", crossAccount: caller.crossAccount)
        case .webIdentity:
            return Assumer(
                principalType: "Federated",
                principal: webIdentityProvider(caller.caller, partition, roleAccount),
                action: "sts:AssumeRoleWithWebIdentity",
                subjects: caller.subject.map { [$0] } ?? [],
                audiences: caller.audience.map { [$0] } ?? [])
        case .saml:
            guard caller.caller.hasPrefix("arn:") else { return nil }
            return Assumer(
                principalType: "Federated", principal: caller.caller,
                action: "sts:AssumeRoleWithSAML", audiences: caller.audience.map { [$0] } ?? [])
        case .identityCenterUser, .anonymous, .unknown:
            return nil
        }
    }

    /// Public providers are named as they are; OIDC providers by their IAM ARN.
    private static func webIdentityProvider(
        _ provider: String, _ partition: String, _ account: String
    ) -> String {
        if provider.hasPrefix("arn:") { return provider }
        let publicProviders = [
            "cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com",
            "accounts.google.com",
        ]
        if publicProviders.contains(provider) { return provider }
        return "arn:\(partition):iam::\(account):oidc-provider/\(provider)"
    }

    /// The condition key prefix of a provider: its host and path (`token.actions.githubusercontent.com`).
    static func conditionPrefix(of provider: String) -> String {
        guard let range = provider.firstRange(of: ":oidc-provider/") else { return provider }
        return String(provider[range.upperBound...])
    }

    private static func document(_ assumers: [Assumer]) -> PolicyJSON {
        var statements: [PolicyJSON] = []
        let simple = assumers.filter { $0.principalType != "Federated" }
        for type in ["AWS", "Service"] {
            let principals = simple.filter { $0.principalType == type }.map(\.principal)
            guard !principals.isEmpty else { continue }
            statements.append(
                .object([
                    ("Effect", .string("Allow")),
                    ("Principal", .object([(type, .strings(principals))])),
                    ("Action", .string("sts:AssumeRole")),
                ]))
        }
        for assumer in assumers where assumer.principalType == "Federated" {
            var members: [(String, PolicyJSON)] = [
                ("Effect", .string("Allow")),
                ("Principal", .object([("Federated", .string(assumer.principal))])),
                ("Action", .string(assumer.action)),
            ]
            var equals: [(String, PolicyJSON)] = []
            let prefix =
                assumer.action == "sts:AssumeRoleWithSAML"
                ? "SAML" : conditionPrefix(of: assumer.principal)
            if !assumer.audiences.isEmpty {
                equals.append(("\(prefix):aud", .strings(assumer.audiences)))
            }
            if !assumer.subjects.isEmpty, assumer.action == "sts:AssumeRoleWithWebIdentity" {
                equals.append(("\(prefix):sub", .strings(assumer.subjects)))
            }
            if !equals.isEmpty {
                members.append(("Condition", .object([("StringEquals", .object(equals))])))
            }
            statements.append(.object(members))
        }
        return .object([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
    }
}
