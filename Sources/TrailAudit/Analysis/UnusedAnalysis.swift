/// The time the analysis covers: the `--since/--until` window, else the span of the events.
package struct AnalysisWindow: Sendable {
    package var since: EpochSeconds?
    package var until: EpochSeconds?

    package init(_ window: TimeWindow, events: UsageCounts) {
        since = window.since ?? events.firstSeen
        until = window.until ?? events.lastSeen.map { $0 + 1 }
    }

    /// The UTC days the window touches.
    package var days: ClosedRange<DayNumber>? {
        guard let since, let until, until > since else { return nil }
        return DayNumber(day: since)...DayNumber(day: until - 1)
    }

    /// Length in whole days, at least 1 when there is a window.
    package var dayCount: Int { days.map { Int($0.upperBound - $0.lowerBound) + 1 } ?? 0 }
}

/// Windows shorter than this miss monthly and quarterly jobs (key rotation, DR drills,
/// reports); IAM Access Analyzer's unused-access findings default to 90 days.
let trustedWindowDays = 90

/// One principal of the IAM inputs, classified action by action.
package struct PrincipalFindings: Sendable {
    package var principal: String
    package var kind: String
    package var isServiceLinked: Bool
    package var created: EpochSeconds?
    package var actions: [ActionFinding]
    /// Names the logs give that the catalog does not hold (never guessed into an action).
    package var unmapped: [(action: String, counts: UsageCounts)]
    package var events: UsageCounts
    package var loggedAs: [String]
    /// Reasons the window may be too short or incomplete to trust "unused".
    package var warnings: [String]

    /// How many actions fall in each class.
    package func count(_ permissionClass: PermissionClass) -> Int {
        actions.count { $0.permissionClass == permissionClass }
    }

    /// How many actions of a class have each access level.
    package func count(_ permissionClass: PermissionClass, _ level: AccessLevel) -> Int {
        actions.count { $0.permissionClass == permissionClass && $0.accessLevel == level }
    }
}

/// `trailaudit unused`: granted against used, for every role and user in the IAM inputs.
package struct UnusedAnalysis: Sendable {
    package var window: AnalysisWindow
    /// Problems of the IAM inputs (a referenced policy missing, ...), shown with the result.
    package var problems: [String] = []
    package var principals: [PrincipalFindings]

    package init(
        granted: [GrantedPrincipal], aggregate: Aggregate, window: TimeWindow,
        catalog: IAMCatalog = .shared
    ) {
        let analysisWindow = AnalysisWindow(window, events: aggregate.events)
        let evidence = DataEventEvidence(aggregate, catalog: catalog)
        let universe = ActionUniverse.of(catalog.actions.map(\.name))
        self.window = analysisWindow
        principals = granted.map {
            UnusedAnalysis.classify(
                $0, aggregate: aggregate, evidence: evidence, universe: universe,
                window: analysisWindow, catalog: catalog)
        }
    }

    static func classify(
        _ principal: GrantedPrincipal, aggregate: Aggregate, evidence: DataEventEvidence,
        universe: ActionUniverse, window: AnalysisWindow, catalog: IAMCatalog
    ) -> PrincipalFindings {
        let observed = ObservedUsage(of: principal.arn, in: aggregate, catalog: catalog)
        let grants = principal.permissions.grants(in: universe)
        let account = ARN.account(of: principal.arn).map(String.init) ?? ""
        let accountHasLogs = !aggregate.coverage.days(ofAccount: account).isEmpty

        var findings: [ActionFinding] = []
        var names = Set(observed.actions.keys)
        for (name, _) in grants { names.insert(name.lowercased()) }
        for key in names {
            guard let action = observed.actions[key]?.action ?? catalog.action(named: key) else {
                continue
            }
            let grant = grants[key]
            var finding = ActionFinding(
                action: action.name, accessLevel: action.accessLevel, permissionClass: .unused,
                granted: grant != nil)
            if let grant {
                finding.conditional = grant.isConditional
                finding.partiallyDenied = grant.isPartiallyDenied
                finding.grantedBy = grant.sources
            }
            finding.counts = observed.actions[key]?.counts ?? UsageCounts()
            (finding.permissionClass, finding.reason) = classOf(
                finding, action: action, account: account, accountHasLogs: accountHasLogs,
                evidence: evidence)
            findings.append(finding)
        }
        findings.sort(by: ActionFinding.reportOrder)

        return PrincipalFindings(
            principal: principal.arn, kind: principal.kind,
            isServiceLinked: principal.isServiceLinked,
            created: principal.created, actions: findings,
            unmapped: observed.unmapped.map { ($0.key, $0.value) }.sorted { $0.action < $1.action },
            events: observed.events, loggedAs: observed.loggedAs,
            warnings: warnings(
                principal, account: account, accountHasLogs: accountHasLogs, window: window,
                coverage: aggregate.coverage))
    }

    private static func classOf(
        _ finding: ActionFinding, action: CatalogAction, account: String, accountHasLogs: Bool,
        evidence: DataEventEvidence
    ) -> (PermissionClass, String?) {
        let counts = finding.counts
        if counts.succeeded > 0 { return (finding.granted ? .used : .usedNotGranted, nil) }
        if counts.denied > 0 {
            return (
                .denied,
                finding.granted
                    ? "granted, yet denied: an SCP, boundary, session "
                        + "or resource policy, or a Deny with a condition" : nil
            )
        }
        if counts.failed > 0 {
            // Errors other than AccessDenied mostly come after authorization: not unused.
            return (
                finding.granted ? .used : .usedNotGranted,
                "only failed calls (errors other than access denied)"
            )
        }
        if Observability.isPermissionOnly(action) {
            return (.notObservable, "permission-only: no event names it")
        }
        if let family = Observability.dataFamily(of: action),
            !evidence.hasEvents(of: family, account: account)
        {
            return (
                .notObservable,
                "data event: the input has no \(family.rawValue) data events of account \(account)"
            )
        }
        if !accountHasLogs {
            return (.notObservable, "the input has no events of account \(account)")
        }
        return (.unused, nil)
    }

    private static func warnings(
        _ principal: GrantedPrincipal, account: String, accountHasLogs: Bool,
        window: AnalysisWindow, coverage: Coverage
    ) -> [String] {
        var warnings: [String] = []
        guard let days = window.days, let since = window.since else {
            return ["the input has no events: nothing can be called unused"]
        }
        if !accountHasLogs {
            warnings.append(
                "no events of account \(account) in the input: its actions are not-observable, "
                    + "not unused")
        }
        if window.dayCount < trustedWindowDays {
            warnings.append(
                "the window is \(window.dayCount) day(s): actions used monthly or quarterly "
                    + "look unused; \(trustedWindowDays) days or more is safer")
        }
        if let created = principal.created, created > since {
            warnings.append(
                "created \(EventTime.format(created)), after the window starts: "
                    + "it was observed for \(max(1, Int((window.until ?? created) - created) / 86_400)) day(s)"
            )
        }
        if accountHasLogs {
            let gaps = coverage.gaps(ofAccount: account, in: days)
            if !gaps.isEmpty {
                let total = gaps.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
                let named = gaps.prefix(5).map(Self.describe).joined(separator: ", ")
                warnings.append(
                    "\(total) day(s) of the window have no logs of account \(account): \(named)"
                        + (gaps.count > 5 ? ", ..." : ""))
            }
        }
        return warnings
    }

    /// `2024-03-05` or `2024-03-05..2024-03-09`.
    static func describe(_ gap: ClosedRange<DayNumber>) -> String {
        let first = String(EventTime.format(gap.lowerBound.start).prefix(10))
        guard gap.upperBound > gap.lowerBound else { return first }
        return first + ".." + String(EventTime.format(gap.upperBound.start).prefix(10))
    }
}
