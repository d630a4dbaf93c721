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
        /// Conditions of the current trust entries that admit it, kept.
        package var conditions: [PolicyCondition] = []
        /// Session actions the current trust allows it besides the AssumeRole call.
        package var sessionActions: [String] = []
        /// Its succeeded web identity calls by subject and audience, to tell which statement
        /// of today's trust admits which.
        var calls: [Call] = []

        /// Succeeded calls of one caller with one `sub` and `aud`.
        struct Call: Hashable {
            var subject: String?
            var audience: String?
            var count: Int

            /// By subject, then audience, byte for byte: one order whatever order the callers
            /// came in, so parts and warnings are the same from run to run.
            static func precedes(_ lhs: Call, _ rhs: Call) -> Bool {
                (ExactString(lhs.subject ?? ""), ExactString(lhs.audience ?? ""))
                    < (ExactString(rhs.subject ?? ""), ExactString(rhs.audience ?? ""))
            }
        }

        /// Keeps only `calls`, with their subjects, audiences and count.
        mutating func keep(_ calls: [Call]) {
            self.calls = calls
            subjects = ExactString.uniqueSorted(calls.compactMap(\.subject))
            audiences = ExactString.uniqueSorted(calls.compactMap(\.audience))
            count = calls.reduce(0) { $0 + $1.count }
        }

        /// Takes over what the current trust entries that admit it require and allow.
        /// Takes the terms of the entries that allow its AssumeRole call (`entries` are those
        /// that name it, whatever they allow): any unconditional one admits it as it is, else
        /// the first one's conditions (or `terms`). Session actions only from entries on those
        /// same terms (the kept ones, or others with the same conditions or none), so a
        /// TagSession allowed only with MFA does not come along without it; returns the
        /// session actions other entries allow under other terms, which are left out.
        mutating func carry(_ entries: [TrustEntry], on terms: [PolicyCondition]? = nil)
            -> [String]
        {
            let admitting = entries.filter { $0.allows(action: action) }
            guard let first = admitting.first else { return [] }
            let unconditional = admitting.filter { !$0.isConditional }
            conditions = unconditional.isEmpty ? terms ?? first.writtenConditions : []
            let onTheseTerms = entries.filter {
                !$0.isConditional || $0.writtenConditions == conditions
            }
            let session = ["sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"]
            sessionActions = session.filter { name in
                onTheseTerms.contains { $0.allows(action: name) }
            }
            return session.filter { name in
                !sessionActions.contains(name) && entries.contains { $0.allows(action: name) }
            }
        }

        /// Parts of one caller (see `TrustSuggestion.split`) by their first subject, which
        /// no other part has.
        package static func < (lhs: Self, rhs: Self) -> Bool {
            let left = (lhs.principalType, lhs.principal, lhs.action, lhs.subjects.first ?? "")
            let right = (rhs.principalType, rhs.principal, rhs.action, rhs.subjects.first ?? "")
            return left != right ? left < right : "\(lhs.conditions)" < "\(rhs.conditions)"
        }
    }

    package var assumers: [Assumer]
    /// The document, or nil when nobody assumed the role in the window.
    package var document: PolicyJSON?
    package var warnings: [String]

    /// Callers of `roleARN` (succeeded assumptions only), kept within the `current` trust
    /// when it is known: never a caller it does not name, and with its conditions and session
    /// actions (`sts:TagSession`, `sts:SetSourceIdentity`) carried over.
    package init(
        roleARN: String, assumptions: Assumptions, current: [TrustEntry]?, roles: RoleDirectory
    ) {
        let partition = ARN.partition(of: roleARN).map(String.init) ?? "aws"
        let roleAccount = ARN.account(of: roleARN).map(String.init) ?? ""
        var merged: [String: Assumer] = [:]
        var warnings: [String] = []
        /// Account roots that stand for callers the role's account logged by account only.
        var knownByAccountOnly: [String: String] = [:]

        for (caller, counts) in assumptions.callers(of: roleARN) where counts.succeeded > 0 {
            guard
                var assumer = TrustSuggestion.assumer(
                    caller, partition: partition, roleAccount: roleAccount)
            else {
                warnings.append(
                    "\(caller.caller) (\(caller.type.rawValue)) assumed the role but cannot "
                        + "be named in a trust policy")
                continue
            }
            if caller.type == .account, caller.crossAccount {
                knownByAccountOnly[assumer.principal] = caller.caller
            }
            if assumer.principalType == "AWS", let full = roles.arn(for: assumer.principal) {
                assumer.principal = full
            }
            let key = "\(assumer.principalType)\u{0}\(assumer.principal)\u{0}\(assumer.action)"
            assumer.count = counts.succeeded
            if caller.type == .webIdentity {
                assumer.calls = [
                    Assumer.Call(
                        subject: caller.subject, audience: caller.audience,
                        count: counts.succeeded)
                ]
            }
            if var existing = merged[key] {
                existing.count += assumer.count
                existing.subjects += assumer.subjects
                existing.audiences += assumer.audiences
                existing.calls += assumer.calls
                merged[key] = existing
            } else {
                merged[key] = assumer
            }
        }

        // The callers' dictionary order is not the same from run to run.
        warnings.sort()
        // Principals the callers' own trails name (kept for that evidence, never again for
        // calls only the role's account logged).
        let evidenced = Set(merged.values.map { $0.principal.lowercased() })
        var kept: [Assumer] = []
        for var assumer in merged.values.sorted() {
            let accountOnly = knownByAccountOnly[assumer.principal]
            // By their bytes, as IAM matches `sub` and `aud`: two spellings, two values.
            assumer.subjects = ExactString.uniqueSorted(assumer.subjects)
            assumer.audiences = ExactString.uniqueSorted(assumer.audiences)
            var (naming, admitting): ([TrustEntry], [TrustEntry]) = ([], [])
            // Session actions today's trust allows it on other terms than those kept.
            var leftOut: [String] = []
            if let current {
                // Entries naming it that allow its call; those allowing only session actions
                // (TagSession) do not admit it.
                naming = current.filter { $0.covers(assumer) }
                let covering = naming.filter { $0.allows(action: assumer.action) }
                admitting = covering
                if covering.isEmpty, let account = accountOnly {
                    // The current trust names principals of that account, not its root: any of
                    // them may have made the calls, so none of them is unused.
                    let named = TrustSuggestion.principals(
                        of: account, allowing: assumer.action, in: current
                    ).filter { !evidenced.contains($0.principal.value.lowercased()) }
                    if !named.isEmpty {
                        warnings.append(
                            "\(assumer.count) assumption(s) by account \(account) were logged by "
                                + "the role's account only, which does not say which of the "
                                + "trusted \(named.map(\.principal.value).joined(separator: ", ")) "
                                + "made them: all kept; read account \(account)'s trail too")
                        for entry in named {
                            var each = Assumer(
                                principalType: "AWS", principal: entry.principal.value,
                                action: assumer.action, crossAccount: true)
                            each.count = assumer.count
                            _ = each.carry([entry])
                            kept.append(each)
                        }
                        continue
                    }
                }
                guard !covering.isEmpty else {
                    warnings.append(
                        "\(assumer.principal) assumed the role but the current trust policy does "
                            + "not name it (a changed policy, or another path): left out")
                    continue
                }
                leftOut = assumer.carry(naming)
            }
            if let account = accountOnly {
                warnings.append(
                    "\(assumer.principal): the role's account logs a caller from another account "
                        + "by its account only; read account \(account)'s trail too to name the "
                        + "user or role instead of the whole account")
            }
            if assumer.action == "sts:AssumeRoleWithWebIdentity", !admitting.isEmpty {
                // A call no statement of today admits (a changed policy) must not come back in
                // as a pinned `sub` or `aud`: that would trust another repository, branch or
                // audience. Any statement that allows the call may admit it, as IAM allows on
                // any Allow.
                let keys = WebIdentityKeys(provider: assumer.principal)
                var calls = assumer.calls
                let firstRefused = calls.partition { call in
                    !admitting.contains { keys.admits(call, $0) }
                }
                if firstRefused < calls.endIndex {
                    warnings += TrustSuggestion.refusalWarnings(
                        Array(calls[firstRefused...]), of: assumer.principal,
                        admitting: admitting, keys: keys)
                    assumer.keep(Array(calls[..<firstRefused]))
                    if assumer.calls.isEmpty { continue }
                }
                if let parts = TrustSuggestion.split(
                    assumer, admitting: admitting, naming: naming, keys: keys)
                {
                    for (part, leftOut) in parts {
                        warnings += TrustSuggestion.leftOutWarning(
                            part, leftOut, naming: parts.count > 1 ? part.subjects.first : nil)
                    }
                    kept += parts.map(\.0)
                    continue
                }
            }
            if assumer.action == "sts:AssumeRoleWithWebIdentity",
                assumer.principal.lowercased() == TrustSuggestion.cognito,
                assumer.audiences.isEmpty, assumer.conditions.isEmpty
            {
                warnings.append(
                    "\(assumer.principal): no identity pool (aud) logged, and a Cognito trust "
                        + "without one admits every identity pool: left out")
                continue
            }
            if assumer.action == "sts:AssumeRoleWithWebIdentity", assumer.subjects.isEmpty,
                assumer.conditions.isEmpty
            {
                warnings.append(
                    "\(assumer.principal): no subject (sub) logged, and a web identity trust "
                        + "without one admits every identity of the provider: left out")
                continue
            }
            if assumer.principal.hasSuffix(
                ":role/" + (assumer.principal.split(separator: "/").last ?? "")),
                assumer.principalType == "AWS", !roles.knows(assumer.principal)
            {
                warnings.append(
                    "\(assumer.principal) was logged without its path: check it (a trust policy "
                        + "must name the role exactly)")
            }
            warnings += TrustSuggestion.leftOutWarning(assumer, leftOut, naming: nil)
            kept.append(assumer)
        }

        kept.sort()
        assumers = kept
        document = kept.isEmpty ? nil : TrustSuggestion.document(kept)
        if merged.isEmpty {
            warnings.append("nobody assumed the role in the window: no trust policy suggested")
        }
        self.warnings = warnings
    }

    /// A web identity caller whose calls today's trust admits on different terms (two
    /// statements, each with conditions besides `sub` and `aud`: an `environment`, a
    /// `job_workflow_ref`), as one part per terms, each with the subjects and audiences of the
    /// calls that statement admits and the session actions allowed on its terms (with those
    /// left out). Written as one statement on the first statement's terms, a subject only the
    /// second admits would be allowed without the second's other conditions (more than today
    /// allows), and a subject the second admits on lighter terms would be held to the first's
    /// (a caller locked out). A call two statements admit is in both parts: the logs do not
    /// say which statement admitted it. Nil when the terms `carry` kept (the first admitting
    /// statement's, or none) hold every call.
    private static func split(
        _ assumer: Assumer, admitting: [TrustEntry], naming: [TrustEntry], keys: WebIdentityKeys
    ) -> [(Assumer, [String])]? {
        guard !assumer.conditions.isEmpty, let first = admitting.first else { return nil }
        // The terms a statement adds to the pinned `sub` and `aud`: its conditions but the
        // ones the document replaces.
        func terms(_ entry: TrustEntry) -> [PolicyCondition] {
            entry.writtenConditions.filter { !keys.isReplaced($0) }
        }
        let calls = assumer.calls.sorted(by: Assumer.Call.precedes)
        var groups: [(entry: TrustEntry, calls: [Int])] = []
        for entry in admitting {
            let its = calls.indices.filter { keys.admits(calls[$0], entry) }
            guard !its.isEmpty else { continue }
            if let index = groups.firstIndex(where: { terms($0.entry) == terms(entry) }) {
                groups[index].calls = Array(Set(groups[index].calls + its)).sorted()
            } else {
                groups.append((entry, its))
            }
        }
        guard
            groups.count > 1
                || groups.first.map({
                    terms($0.entry) != terms(first) || $0.calls.count != calls.count
                }) == true
        else { return nil }
        return groups.map { entry, indices in
            var part = assumer
            part.keep(indices.map { calls[$0] })
            // Session actions from the statements that admit the part's calls only: a
            // TagSession statement for `repo:o/a:*` allows nothing to `repo:o/b`.
            let relevant = naming.filter { entry in part.calls.contains { keys.admits($0, entry) } }
            let leftOut = part.carry(relevant, on: entry.writtenConditions)
            return (part, leftOut)
        }
    }

    /// The warnings for calls today's trust refuses: by their subject, or by their audience.
    private static func refusalWarnings(
        _ refused: [Assumer.Call], of provider: String, admitting: [TrustEntry],
        keys: WebIdentityKeys
    ) -> [String] {
        let bySubject = refused.filter { call in
            !admitting.contains { keys.admits(call.subject, $0, key: keys.subject) }
        }
        let subjects = ExactString.uniqueSorted(bySubject.compactMap(\.subject))
        let byAudience = refused.filter { call in
            !bySubject.contains { $0.subject == call.subject && $0.audience == call.audience }
        }.sorted(by: Assumer.Call.precedes)
        var warnings: [String] = []
        if let example = subjects.first {
            warnings.append(
                "\(provider): \(subjects.count) subject(s) assumed the role that the current "
                    + "trust's conditions refuse (a changed policy, or another path), e.g. "
                    + "\(example): left out")
        }
        if let example = byAudience.first {
            warnings.append(
                "\(provider): \(byAudience.count) subject and audience (aud) pair(s) assumed the "
                    + "role that the current trust's conditions refuse (a changed policy, or "
                    + "another path), e.g. \(example.subject ?? "(no subject)") with aud "
                    + "\(example.audience ?? "(none)"): left out")
        }
        return warnings
    }

    /// The warning for session actions today's trust allows `assumer` only on other terms
    /// than those kept (none when `leftOut` is empty); `subject` names a part of a caller.
    private static func leftOutWarning(
        _ assumer: Assumer, _ leftOut: [String], naming subject: String?
    )
        -> [String]
    {
        guard !leftOut.isEmpty else { return [] }
        return [
            "\(assumer.principal)\(subject.map { " (\($0))" } ?? ""): the current trust allows "
                + "\(leftOut.joined(separator: ", ")) under other terms than its "
                + "\(assumer.action); not in the suggestion: carry that statement over if the "
                + "callers use it"
        ]
    }

    /// The current trust's entries that name a user or role of `account` (not its root, which
    /// `covers` matches already) and allow `action`, one per principal.
    private static func principals(
        of account: String, allowing action: String, in current: [TrustEntry]
    ) -> [TrustEntry] {
        var seen: Set<String> = []
        return current.filter { entry in
            entry.principal.kind == .aws && entry.allows(action: action)
                && ARN.account(of: entry.principal.value).map(String.init) == account
                && seen.insert(entry.principal.value.lowercased()).inserted
        }
    }

    /// How a caller is named in a trust policy, or nil for callers that cannot be named.
    private static func assumer(
        _ caller: AssumeRoleCaller, partition: String, roleAccount: String
    ) -> Assumer? {
        switch caller.type {
        case .service:
            return Assumer(
                principalType: "Service", principal: caller.caller, action: "sts:AssumeRole")
        case .role, .user, .root, .serviceLinkedRole, .identityCenterRole, .delegatedRole:
            return Assumer(
                principalType: "AWS", principal: caller.caller, action: "sts:AssumeRole",
                crossAccount: caller.crossAccount)
        case .account:
            // Anything but an account id in the logs names no account.
            guard ARN.isAccountID(caller.caller) else { return nil }
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

    /// Amazon Cognito identity pools' provider: its `sub` is one end user of the app, so the
    /// users seen are never pinned (every other user would be locked out); `aud`, the
    /// identity pool, is.
    static let cognito = "cognito-identity.amazonaws.com"

    /// Whether the conditions on `key` (a provider's `sub`) admit `subject`: every one must,
    /// as IAM ANDs them. `sub` has one value, so a set operator's qualifier (`ForAnyValue:`)
    /// and `IfExists` do not change the test. An operator not judged here admits it, and
    /// stays in the document.
    static func admits(_ subject: String, _ conditions: [PolicyCondition], key: String) -> Bool {
        conditions.filter { $0.key.lowercased() == key.lowercased() }.allSatisfy { condition in
            let like = { (pattern: String) in
                IAMGlob(pattern, caseSensitive: true).matches(subject)
            }
            var name = Substring(condition.operator)
            for qualifier in ["ForAnyValue:", "ForAllValues:"] where name.hasPrefix(qualifier) {
                name = name.dropFirst(qualifier.count)
            }
            if name.hasSuffix("IfExists") { name = name.dropLast("IfExists".count) }
            switch name {
            case "StringEquals": return condition.values.contains(subject)
            case "StringEqualsIgnoreCase":
                return condition.values.contains { $0.lowercased() == subject.lowercased() }
            case "StringLike": return condition.values.contains(where: like)
            case "StringNotEquals": return !condition.values.contains(subject)
            case "StringNotLike": return !condition.values.contains(where: like)
            default: return true
            }
        }
    }

    /// The operators whose values `admits` checks and a `StringEquals` of admitted subjects
    /// replaces; a condition on `sub` with any other operator is kept beside it.
    static let replacedSubjectOperators: Set<String> = [
        "StringEquals", "StringEqualsIgnoreCase", "StringLike",
    ]

    /// The condition key prefix of a provider: its host and path (`token.actions.githubusercontent.com`).
    static func conditionPrefix(of provider: String) -> String {
        guard let range = provider.firstRange(of: ":oidc-provider/") else { return provider }
        return String(provider[range.upperBound...])
    }

    private static func document(_ assumers: [Assumer]) -> PolicyJSON {
        var statements: [PolicyJSON] = []
        // Callers alike in type, actions and conditions share a statement.
        struct Group: Hashable {
            var type: String
            var actions: [String]
            var conditions: [PolicyCondition]
        }
        var simple: [Group: [String]] = [:]
        var order: [Group] = []
        for assumer in assumers where assumer.principalType != "Federated" {
            let group = Group(
                type: assumer.principalType, actions: [assumer.action] + assumer.sessionActions,
                conditions: assumer.conditions)
            if simple[group] == nil { order.append(group) }
            simple[group, default: []].append(assumer.principal)
        }
        for group in order {
            var members: [(String, PolicyJSON)] = [
                ("Effect", .string("Allow")),
                ("Principal", .object([(group.type, .strings(simple[group] ?? []))])),
                ("Action", .strings(group.actions)),
            ]
            if !group.conditions.isEmpty {
                members.append(("Condition", .condition(group.conditions)))
            }
            statements.append(.object(members))
        }
        for assumer in assumers where assumer.principalType == "Federated" {
            var members: [(String, PolicyJSON)] = [
                ("Effect", .string("Allow")),
                ("Principal", .object([("Federated", .string(assumer.principal))])),
                ("Action", .strings([assumer.action] + assumer.sessionActions)),
            ]
            var conditions = assumer.conditions
            let prefix =
                assumer.action == "sts:AssumeRoleWithSAML"
                ? "SAML" : conditionPrefix(of: assumer.principal)
            // The evidence narrows what the current trust asks: exact values seen.
            if !assumer.audiences.isEmpty {
                conditions.removeAll { $0.key.lowercased() == "\(prefix):aud".lowercased() }
                conditions.append(
                    PolicyCondition(
                        operator: "StringEquals", key: "\(prefix):aud", values: assumer.audiences))
            }
            if !assumer.subjects.isEmpty, assumer.action == "sts:AssumeRoleWithWebIdentity",
                assumer.principal.lowercased() != cognito
            {
                conditions.removeAll {
                    $0.key.lowercased() == "\(prefix):sub".lowercased()
                        && replacedSubjectOperators.contains($0.operator)
                }
                conditions.append(
                    PolicyCondition(
                        operator: "StringEquals", key: "\(prefix):sub", values: assumer.subjects))
            }
            if !conditions.isEmpty {
                members.append(("Condition", .condition(conditions)))
            }
            statements.append(.object(members))
        }
        return .object([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
    }
}

/// The AssumeRole callers of every role in the logs, by account and role name, so each role
/// finds its own without scanning them all; a role logged without its path still matches.
package struct Assumptions: Sendable {
    private var byName: [String: [(String, RoleAssumptions)]] = [:]

    package init(_ aggregate: Aggregate) {
        for (role, assumptions) in aggregate.assumedRoles {
            guard let name = PrincipalName(role) else { continue }
            let folded = assumptions.foldingOwnerCopies().assumptions
            byName[name.key, default: []].append((role, folded))
        }
    }

    /// The callers of `roleARN`, merged over the ways the logs named it.
    func callers(of roleARN: String) -> [AssumeRoleCaller: UsageCounts] {
        guard let wanted = PrincipalName(roleARN) else { return [:] }
        var callers: [AssumeRoleCaller: UsageCounts] = [:]
        for (role, assumptions) in byName[wanted.key] ?? [] {
            guard PrincipalName(role)?.matches(wanted) == true else { continue }
            for (caller, counts) in assumptions.callers {
                callers[caller, default: UsageCounts()].merge(counts)
            }
        }
        return callers
    }
}

/// The roles and users of the IAM inputs by account and name: a caller logged without its
/// role path is written with the path the export gives.
package struct RoleDirectory: Sendable {
    private var arns: [String: String] = [:]

    package init(_ principals: [GrantedPrincipal]) {
        for principal in principals {
            guard let name = PrincipalName(principal.arn) else { continue }
            arns[name.key] = principal.arn
        }
    }

    /// The export's ARN of the role or user `arn` names, if the export has it.
    func arn(for arn: String) -> String? {
        PrincipalName(arn).flatMap { arns[$0.key] }
    }

    /// Whether the inputs hold the principal.
    func knows(_ arn: String) -> Bool { self.arn(for: arn) != nil }
}

/// The `sub` and `aud` condition keys of a web identity provider, and what the suggestion
/// checks against them.
struct WebIdentityKeys {
    let subject: String
    let audience: String

    init(provider: String) {
        let prefix = TrustSuggestion.conditionPrefix(of: provider)
        subject = prefix + ":sub"
        audience = prefix + ":aud"
    }

    /// Whether `entry`'s conditions admit the call's `sub` and `aud`; a value the logs do not
    /// give is not judged.
    func admits(_ call: TrustSuggestion.Assumer.Call, _ entry: TrustEntry) -> Bool {
        admits(call.subject, entry, key: subject) && admits(call.audience, entry, key: audience)
    }

    func admits(_ value: String?, _ entry: TrustEntry, key: String) -> Bool {
        value.map { TrustSuggestion.admits($0, entry.conditions, key: key) } ?? true
    }

    /// Whether the document replaces `condition` with the values seen: a `sub` condition of
    /// an operator `admits` judges, or any condition on `aud`.
    func isReplaced(_ condition: PolicyCondition) -> Bool {
        let key = condition.key.lowercased()
        return key == audience.lowercased()
            || key == subject.lowercased()
                && TrustSuggestion.replacedSubjectOperators.contains(condition.operator)
    }
}
