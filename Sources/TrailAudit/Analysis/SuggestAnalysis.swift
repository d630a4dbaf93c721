/// What `suggest` gives for one principal.
package struct PrincipalSuggestion: Sendable {
    package var principal: String
    package var kind: String
    package var isServiceLinked: Bool
    /// Nil for service-linked roles: AWS owns their policies.
    package var policy: PolicySuggestion?
    /// Roles only.
    package var trust: TrustSuggestion?
    /// Granted now, left out of the suggestion, riskiest first.
    package var removedActions: [ActionFinding]
    /// Attempted and denied: listed, never granted silently.
    package var deniedActions: [ActionFinding]
    /// Succeeded through another path; the suggestion grants them, marked.
    package var usedNotGranted: [ActionFinding]
    package var unmapped: [(action: String, counts: UsageCounts)]
    package var warnings: [String]
}

/// `trailaudit suggest`: least-privilege permission and trust policies from the evidence.
package struct SuggestAnalysis: Sendable {
    package var window: AnalysisWindow
    /// Problems of the IAM inputs (a referenced policy missing, ...), shown with the result.
    package var problems: [String] = []
    /// Classifies the principals; each is suggested for as it is written (`forEachPrincipal`).
    let unused: UnusedAnalysis
    let assumptions: Assumptions
    let roles: RoleDirectory
    let catalog: IAMCatalog

    package init(
        granted: [GrantedPrincipal], aggregate: Aggregate, window: TimeWindow,
        catalog: IAMCatalog = .shared
    ) {
        unused = UnusedAnalysis(
            granted: granted, aggregate: aggregate, window: window, catalog: catalog)
        assumptions = Assumptions(aggregate)
        roles = RoleDirectory(granted)
        self.catalog = catalog
        self.window = unused.window
    }

    /// Every principal's suggestion, held at once (the outputs use `forEachPrincipal`).
    package var principals: [PrincipalSuggestion] {
        var all: [PrincipalSuggestion] = []
        forEachPrincipal { all.append($0) }
        return all
    }

    /// Each principal's suggestion in the inputs' order, worked out a batch at a time in
    /// parallel (as `UnusedAnalysis.forEachPrincipal`).
    func forEachPrincipal(_ body: (PrincipalSuggestion) -> Void) {
        unused.forEach(
            transformed: { [assumptions, roles, catalog] principal, findings in
                SuggestAnalysis.suggest(
                    principal, findings, assumptions: assumptions, roles: roles, catalog: catalog)
            }, body)
    }

    static func suggest(
        _ principal: GrantedPrincipal, _ findings: PrincipalFindings, assumptions: Assumptions,
        roles: RoleDirectory, catalog: IAMCatalog
    ) -> PrincipalSuggestion {
        var warnings = findings.warnings
        let denied = findings.actions.filter { $0.permissionClass == .denied }
        let usedNotGranted = findings.actions.filter { $0.permissionClass == .usedNotGranted }
        var suggestion = PrincipalSuggestion(
            principal: principal.arn, kind: principal.kind,
            isServiceLinked: principal.isServiceLinked, policy: nil, trust: nil,
            removedActions: [], deniedActions: denied, usedNotGranted: usedNotGranted,
            unmapped: findings.unmapped, warnings: [])
        if principal.isServiceLinked {
            warnings.append("service-linked role: AWS owns its policies; no suggestion")
            suggestion.warnings = warnings
            return suggestion
        }

        // A policy that could not be read may grant what the calls used and deny what a
        // suggestion would allow: one made without it would drop or widen access unseen.
        let unresolved = principal.permissions.unresolvedPolicies
        if !unresolved.isEmpty {
            warnings.append(
                "no permission policy is suggested: \(unresolved.joined(separator: ", ")) could "
                    + "not be read, so what it grants and denies is unknown; fix the IAM input "
                    + "and run again")
            return finished(
                suggestion, principal, warnings: warnings, assumptions: assumptions, roles: roles)
        }

        // Only succeeded calls within the current grant earn a permission: the suggestion is
        // never broader than what the principal has today.
        let grants = findings.grants
        var entries: [PolicySuggestion.Entry] = []
        var granted: Set<String> = []
        for finding in findings.actions where finding.granted {
            granted.insert(finding.action.lowercased())
        }
        for finding in findings.actions
        where finding.permissionClass == .used && finding.counts.succeeded > 0 {
            guard let use = findings.observed.actions[finding.action.lowercased()],
                let grant = grants[finding.action]
            else { continue }
            var outside = Set(finding.resourcesOutsideGrant)
            if !outside.isEmpty {
                warnings.append(
                    "\(finding.action): succeeded on \(outside.count) resource(s) its policies "
                        + "do not allow (e.g. \(outside.sorted()[0])): left out")
            }
            let conditions = principal.permissions.grantingConditions(action: use.action.name)
            if conditions == nil {
                // Written without a condition: resources allowed today only by an Allow with one
                // (another Allow of the action has none) would lose it. A bucket that stands for
                // objects whose keys were not logged is not one: `ResourceScope` holds its
                // objects to today's grant.
                let resources = use.succeededResources.sorted
                let named = Set(
                    ResourceScope.bucketsOfObjects(resources, action: use.action).evidence)
                let conditional = resources.filter { resource in
                    named.contains(resource) && !outside.contains(resource)
                        && !principal.permissions.unconditionallyAllows(
                            action: use.action.name, arn: resource, ignoringDenies: true)
                }
                if !conditional.isEmpty {
                    warnings.append(
                        "\(finding.action): allowed on \(conditional.count) resource(s) only under "
                            + "a condition (e.g. \(conditional[0])), which this suggestion writes "
                            + "without conditions: left out; add them back with their condition")
                    outside.formUnion(conditional)
                }
            } else if let conditions, conditions.count > 1 {
                warnings.append(
                    "\(finding.action): allowed today under \(conditions.count) different "
                        + "conditions; each is written with the resources its statements allow")
            }
            entries.append(
                PolicySuggestion.Entry(
                    action: use.action,
                    evidence: use.succeededResources.sorted.filter { !outside.contains($0) },
                    truncated: use.succeededResources.isTruncated,
                    grantResources: grant.resourcePatterns,
                    conditions: conditions,
                    allowsToday: { [permissions = principal.permissions, name = use.action.name] in
                        permissions.unconditionallyAllows(action: name, on: $0)
                    },
                    allowedUnder: { [permissions = principal.permissions, name = use.action.name] in
                        permissions.conditionallyAllows(action: name, under: $0, on: $1)
                    }))
        }
        var seen: Set<String> = []
        for entry in entries {
            for name in Observability.silentDependencies(of: entry.action) {
                guard let dependency = catalog.action(named: name),
                    Observability.isSilentDependency(dependency),
                    granted.contains(dependency.name.lowercased()),
                    !entries.contains(where: { $0.action.name == dependency.name }),
                    let grant = grants[dependency.name],
                    seen.insert(dependency.name.lowercased()).inserted
                else { continue }
                // Kept without evidence, so only as today's policies allow it whole: a Deny,
                // NotResource or condition that a bare grant would lose (PassRole on * with the
                // admin role denied) leaves it out.
                let conditions = principal.permissions.grantingConditions(action: dependency.name)
                let wholeToday: Bool
                if let conditions {
                    // Under its conditions: each pattern allowed whole by one statement of one
                    // condition set, and no NotResource exclusion lost.
                    wholeToday =
                        grant.excludedResourcePatterns.isEmpty && !grant.resourcePatterns.isEmpty
                        && grant.resourcePatterns.allSatisfy { pattern in
                            !principal.permissions.mayBeDenied(action: dependency.name, on: pattern)
                                && conditions.contains {
                                    principal.permissions.conditionallyAllows(
                                        action: dependency.name, under: $0, on: pattern)
                                }
                        }
                } else {
                    wholeToday =
                        grant.excludedResourcePatterns.isEmpty
                        && grant.resourcePatterns.allSatisfy {
                            principal.permissions.unconditionallyAllows(
                                action: dependency.name, on: $0)
                        }
                }
                if !wholeToday {
                    warnings.append(
                        "\(dependency.name) left out: a used call may need it, but its grant has a "
                            + "Deny, NotResource or condition this policy would lose; add it back "
                            + "scoped to what the calls need")
                    continue
                }
                entries.append(
                    PolicySuggestion.Entry(
                        action: dependency, evidence: [], truncated: false,
                        grantResources: grant.resourcePatterns,
                        conditions: conditions,
                        isSilentDependency: true,
                        allowedUnder: { [permissions = principal.permissions] in
                            permissions.conditionallyAllows(
                                action: dependency.name, under: $0, on: $1)
                        }))
            }
        }
        if granted.contains("iam:passrole"), !seen.contains("iam:passrole"),
            !entries.contains(where: { $0.action.name.lowercased() == "iam:passrole" })
        {
            warnings.append(
                "iam:PassRole removed: none of its used calls is one trailaudit knows to pass a "
                    + "role; if it hands roles to services, add it back scoped to those roles")
        }
        let unnamed = findings.unmapped.filter { $0.counts.succeeded + $0.counts.failed > 0 }
        if !unnamed.isEmpty {
            warnings.append(
                "calls of "
                    + unnamed.prefix(3).map { Report.clip($0.action, Report.nameWidth) }
                    .joined(separator: ", ")
                    + (unnamed.count > 3 ? ", ..." : "")
                    + " map to no action in the catalog: the actions they need are not in this "
                    + "policy; add them before applying it")
        }
        for finding in findings.actions
        where finding.permissionClass == .used
            && finding.counts.succeeded == 0
        {
            warnings.append(
                "\(finding.action): only failed calls (\(finding.counts.failed)); left out, "
                    + "add it back if it is needed")
        }

        let policy = PolicySuggestion(entries, catalog: catalog)
        warnings += policy.warnings
        // The suggestion is Allows only: Deny statements of today's policies that may apply to
        // its actions (a Deny over plain HTTP, without MFA, on the admin role) must stay
        // attached alongside it, or calls they deny today become allowed.
        let withDenies = entries.map(\.action.name).filter {
            principal.permissions.hasDeny(action: $0)
        }
        if !withDenies.isEmpty {
            warnings.append(
                "Deny statements of today's policies apply to "
                    + Set(withDenies).sorted().joined(separator: ", ")
                    + ": this suggestion holds Allows only; keep those Deny statements attached")
        }
        if policy.statements.isEmpty {
            warnings.append(
                findings.events.total == 0
                    ? "no events of it in the window: no permission policy is suggested"
                    : usedNotGranted.contains(where: { $0.counts.succeeded > 0 })
                        ? "no call of an action its policies grant succeeded in the window (those "
                            + "that succeeded were allowed another way: used-not-granted): no "
                            + "permission policy is suggested"
                        : "no call of it succeeded in the window: no permission policy is suggested"
            )
        }
        for finding in usedNotGranted where finding.counts.succeeded > 0 {
            warnings.append(
                "\(finding.action): succeeded without a grant in its own policies "
                    + "(\(finding.reason ?? "another path")): not added; grant it explicitly if "
                    + "it is needed")
        }
        suggestion.removedActions = findings.actions.filter {
            $0.granted && !policy.actionKeys.contains($0.action.lowercased())
        }.sorted { ($0.accessLevel, $0.action) < ($1.accessLevel, $1.action) }
        let unobservable = suggestion.removedActions.filter { $0.permissionClass == .notObservable }
        if !unobservable.isEmpty {
            warnings.append(
                "\(unobservable.count) granted action(s) are removed without evidence either way "
                    + "(not observable in these logs: data events, permission-only actions); "
                    + "review them in 'removedActions' before applying")
        }
        suggestion.policy = policy.statements.isEmpty ? nil : policy
        return finished(
            suggestion, principal, warnings: warnings, assumptions: assumptions, roles: roles)
    }

    /// Adds a role's trust suggestion and the notes on editing the principal's policies.
    private static func finished(
        _ suggestion: PrincipalSuggestion, _ principal: GrantedPrincipal, warnings: [String],
        assumptions: Assumptions, roles: RoleDirectory
    ) -> PrincipalSuggestion {
        var suggestion = suggestion
        var warnings = warnings
        if principal.trustUnreadable {
            // Who is trusted today, and on what terms, is unknown: a trust built from the
            // callers alone could trust a subject or account today's conditions refuse.
            warnings.append(
                "no trust policy is suggested: its current trust policy could not be read; fix "
                    + "the IAM input and run again")
        } else if principal.kind == "role" {
            let trust = TrustSuggestion(
                roleARN: principal.arn, assumptions: assumptions, current: principal.trust,
                roles: roles)
            warnings += trust.warnings
            warnings += principal.trustReview(trust)
            suggestion.trust = trust
        }
        warnings += principal.editingNotes
        suggestion.warnings = warnings
        return suggestion
    }
}
