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
    package var principals: [PrincipalSuggestion]

    package init(
        granted: [GrantedPrincipal], aggregate: Aggregate, window: TimeWindow,
        catalog: IAMCatalog = .shared
    ) {
        let unused = UnusedAnalysis(
            granted: granted, aggregate: aggregate, window: window, catalog: catalog)
        self.window = unused.window
        principals = zip(granted, unused.principals).map { principal, findings in
            SuggestAnalysis.suggest(principal, findings, aggregate: aggregate, catalog: catalog)
        }
    }

    static func suggest(
        _ principal: GrantedPrincipal, _ findings: PrincipalFindings, aggregate: Aggregate,
        catalog: IAMCatalog
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

        let observed = ObservedUsage(of: principal.arn, in: aggregate, catalog: catalog)
        // Only succeeded calls earn a permission; failed-only ones are shown, not granted.
        let used = observed.actions.values.filter { $0.counts.succeeded > 0 }
            .sorted { $0.action.name < $1.action.name }
        let granted = Set(findings.actions.filter(\.granted).map { $0.action.lowercased() })
        var dependencies: [CatalogAction] = []
        var seen: Set<String> = []
        for use in used {
            for name in Observability.silentDependencies(of: use.action) {
                guard let dependency = catalog.action(named: name),
                    Observability.isPermissionOnly(dependency),
                    granted.contains(dependency.name.lowercased()),
                    seen.insert(dependency.name.lowercased()).inserted
                else { continue }
                dependencies.append(dependency)
            }
        }
        for finding in findings.actions
        where finding.permissionClass == .used
            && finding.counts.succeeded == 0
        {
            warnings.append(
                "\(finding.action): only failed calls (\(finding.counts.failed)); left out, "
                    + "add it back if the role needs it")
        }

        let policy = PolicySuggestion(used: used, dependencies: dependencies, catalog: catalog)
        warnings += policy.warnings
        if policy.statements.isEmpty {
            warnings.append(
                "no call of it succeeded in the window: no permission policy is suggested; "
                    + "it needs none of its grants on this evidence")
        }
        for finding in usedNotGranted {
            warnings.append(
                "\(finding.action): succeeded without a grant in the role's own policies "
                    + "(resource policy or another path); the suggestion grants it")
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
        if principal.kind == "role" {
            let trust = TrustSuggestion(roleARN: principal.arn, aggregate: aggregate)
            warnings += trust.warnings
            warnings += principal.trustReview(trust)
            suggestion.trust = trust
        }
        warnings += principal.editingNotes
        suggestion.warnings = warnings
        return suggestion
    }
}
