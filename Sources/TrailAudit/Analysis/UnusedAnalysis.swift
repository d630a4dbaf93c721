import Foundation

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
    /// The evidence, by catalog action.
    package var observed: ObservedUsage
    /// What the principal's own policies grant, over the catalog.
    package var grants: GrantedActions

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
///
/// The principals are classified as they are written, a few at a time and in parallel
/// (`forEachPrincipal`): an administrator's findings list every action of the catalog (about
/// 22,000), and an export of hundreds of them held whole took gigabytes.
package struct UnusedAnalysis: Sendable {
    package var window: AnalysisWindow
    /// Problems of the IAM inputs (a referenced policy missing, ...), shown with the result.
    package var problems: [String] = []
    /// The roles and users of the IAM inputs, in their order.
    let granted: [GrantedPrincipal]
    let context: Context

    package init(
        granted: [GrantedPrincipal], aggregate: Aggregate, window: TimeWindow,
        catalog: IAMCatalog = .shared
    ) {
        let analysisWindow = AnalysisWindow(window, events: aggregate.events)
        context = Context(
            aggregate: aggregate, logged: LoggedPrincipals(aggregate),
            evidence: DataEventEvidence(aggregate, catalog: catalog),
            universe: ActionUniverse.of(catalog.actions.map(\.name)), window: analysisWindow,
            catalog: catalog)
        self.window = analysisWindow
        self.granted = granted
    }

    /// Every principal's findings, held at once (the outputs use `forEachPrincipal`).
    package var principals: [PrincipalFindings] {
        var all: [PrincipalFindings] = []
        forEachPrincipal { all.append($0) }
        return all
    }

    /// Each principal's findings, in the inputs' order (see `forEach(transformed:_:)`).
    func forEachPrincipal(_ body: (PrincipalFindings) -> Void) {
        forEach(transformed: { $1 }, body)
    }

    /// Classifies the principals, `transform`s each with its findings, and hands the results
    /// to `body` in the inputs' order. Batches of two per processor are worked on in parallel
    /// and let go once handed over, so memory holds a batch, not the export.
    func forEach<Result>(
        transformed transform: @escaping @Sendable (GrantedPrincipal, PrincipalFindings) -> Result,
        _ body: (Result) -> Void
    ) {
        let batch = max(1, 2 * ProcessInfo.processInfo.activeProcessorCount)
        var start = granted.startIndex
        while start < granted.endIndex {
            let part = Array(granted[start..<min(start + batch, granted.endIndex)])
            let results = ParallelMap.map(part) { [context] principal in
                transform(principal, UnusedAnalysis.classify(principal, context))
            }
            results.forEach(body)
            start += part.count
        }
    }

    /// What classifying every principal shares.
    struct Context: Sendable {
        var aggregate: Aggregate
        var logged: LoggedPrincipals
        var evidence: DataEventEvidence
        var universe: ActionUniverse
        var window: AnalysisWindow
        var catalog: IAMCatalog
    }

    static func classify(_ principal: GrantedPrincipal, _ context: Context) -> PrincipalFindings {
        let catalog = context.catalog
        let observed = ObservedUsage(of: principal.arn, in: context.logged, catalog: catalog)
        let grants = principal.permissions.grants(in: context.universe)
        let account = ARN.account(of: principal.arn).map(String.init) ?? ""
        let accountHasLogs = !context.aggregate.coverage.days(ofAccount: account).isEmpty
        let createdAfterWindow =
            principal.created.map { created in context.window.until.map { created >= $0 } ?? false }
            ?? false

        // What the calls that succeeded may have needed without an event of its own (as
        // `suggest` keeps it): dependency -> the first such call, by name.
        var neededBy: [String: String] = [:]
        for use in observed.actions.values.sorted(by: { $0.action.name < $1.action.name })
        where use.counts.succeeded > 0 {
            for dependency in Observability.silentDependencies(of: use.action) {
                let key = dependency.lowercased()
                if neededBy[key] == nil { neededBy[key] = use.action.name }
            }
        }
        var findings: [ActionFinding] = []
        var names = Set(observed.actions.keys)
        for (name, _) in grants { names.insert(name.lowercased()) }
        for key in names {
            guard let action = observed.actions[key]?.action ?? catalog.action(named: key) else {
                continue
            }
            var finding = ActionFinding(
                action: action.name, accessLevel: action.accessLevel, permissionClass: .unused,
                granted: false)
            if let grant = grants[key], reaches(grant, action, principal.permissions) {
                finding.granted = true
                finding.conditional = grant.isConditional
                finding.partiallyDenied = grant.isPartiallyDenied
                finding.grantedBy = grant.sources
            }
            // A grant that cannot reach the action, with no call of it: nothing to report.
            guard finding.granted || observed.actions[key] != nil else { continue }
            // One of a group of which a call needed only some (a PartiQL verb): not granted while
            // another of its group is, the call may not have needed it.
            if !finding.granted,
                let group = IAMActionMapping.alternatives(of: key),
                group.contains(where: {
                    $0 != key
                        && grants[$0].map { reaches($0, action, principal.permissions) } == true
                })
            {
                continue
            }
            var onlyOutsideGrant = false
            if let use = observed.actions[key] {
                finding.counts = use.counts
                finding.implied = use.implied
                if finding.granted {
                    finding.resourcesOutsideGrant = outsideGrant(use, principal.permissions)
                    onlyOutsideGrant =
                        !finding.resourcesOutsideGrant.isEmpty
                        && !use.succeededResources.isTruncated
                        && finding.resourcesOutsideGrant.count == use.succeededResources.count
                }
            }
            (finding.permissionClass, finding.reason) = classOf(
                finding, action: action, principal: principal, onlyOutsideGrant: onlyOutsideGrant,
                account: account,
                accountHasLogs: accountHasLogs, createdAfterWindow: createdAfterWindow,
                evidence: context.evidence, observed: observed, grant: grants[key],
                neededBy: neededBy[key])
            findings.append(finding)
        }
        // By index: the findings are large values, and moving them while sorting an
        // administrator's 22,000 cost more (five administrators: 1,745 M instructions against
        // 1,545 M; the comparisons are the rest).
        findings = findings.indices.sorted {
            ActionFinding.reportOrder(findings[$0], findings[$1])
        }.map { findings[$0] }

        var warnings = warnings(
            principal, account: account, accountHasLogs: accountHasLogs, window: context.window,
            coverage: context.aggregate.coverage)
        for policy in principal.permissions.unresolvedPolicies {
            warnings.append("\(policy) could not be read: the granted set is incomplete")
        }
        for federated in observed.sharedFederatedUsers {
            warnings.append(
                "\(federated) was issued by more than one principal: all its calls are counted"
                    + " as this one's use (the events do not tell which issuer's credentials"
                    + " made each)")
        }
        return PrincipalFindings(
            principal: principal.arn, kind: principal.kind,
            isServiceLinked: principal.isServiceLinked,
            created: principal.created, actions: findings,
            unmapped: observed.unmapped.map { ($0.key, $0.value) }.sorted { $0.action < $1.action },
            events: observed.events, loggedAs: observed.loggedAs, warnings: warnings,
            observed: observed, grants: grants)
    }

    /// Whether a grant reaches the action at all: an action without resource-level
    /// permissions is authorized against `*`, which a policy naming only particular resources
    /// never matches. A pattern for every resource of the action's own service counts as
    /// reaching it: the IAM User Guide's own example grants s3:ListAllMyBuckets on
    /// `arn:aws:s3:::*` ("IAM JSON policy elements: Statement"), and taking such a grant for
    /// none would call a used action ungranted and leave it out of `suggest`.
    private static func reaches(
        _ grant: Grant, _ action: CatalogAction, _ permissions: EffectivePermissions
    ) -> Bool {
        guard !action.supportsResourceLevelPermissions else { return true }
        // The statements themselves decide for `*`: an Allow with `NotResource` applies to it
        // unless its own list has a pattern matching `*` (facts §6.2), so `sqs:*` on everything
        // but one queue grants sqs:ListQueues.
        // Such a call is authorized on what both `*` and a pattern for every resource of the
        // service name (`arn:aws:s3:::*`, `arn:aws:ec2:*:*:*`), so each is tried as the
        // resource: an identity policy or a boundary may name either, and a Deny on either
        // denies it (a boundary naming some buckets only, or a Deny on `arn:aws:s3:::*`, let it
        // through before; breaking passes).
        let partition = ARN.partition(of: permissions.principalArn).map(String.init) ?? "aws"
        let wide = permissions.decision(
            action: action.name,
            resource: "arn:\(partition):\(action.servicePrefix.lowercased()):::*")
        guard wide.verdict != .explicitlyDenied else { return false }
        return wide.isAllowed || permissions.decision(action: action.name, resource: "*").isAllowed
    }

    /// The ARNs succeeded calls touched that the principal's own policies do not allow. A
    /// bucket standing for objects whose keys were not logged (a multi-object delete) is
    /// never outside: which of its objects the call named is unknown.
    private static func outsideGrant(
        _ use: ObservedUsage.ActionUse, _ permissions: EffectivePermissions
    ) -> [String] {
        guard use.action.supportsResourceLevelPermissions else { return [] }
        let named = ResourceScope.bucketsOfObjects(
            use.succeededResources.sorted, action: use.action)
        return named.evidence.filter {
            !permissions.decision(action: use.action.name, resource: $0).isAllowed
        }
    }

    private static func classOf(
        _ finding: ActionFinding, action: CatalogAction, principal: GrantedPrincipal,
        onlyOutsideGrant: Bool, account: String, accountHasLogs: Bool, createdAfterWindow: Bool,
        evidence: DataEventEvidence, observed: ObservedUsage, grant: Grant?, neededBy: String?
    ) -> (PermissionClass, String?) {
        let counts = finding.counts
        if counts.succeeded > 0 {
            if !finding.granted {
                let verdict = principal.permissions.decision(action: action.name, resource: nil)
                    .verdict
                return (
                    .usedNotGranted,
                    verdict == .explicitlyDenied
                        ? "explicitly denied by its own policies: they changed during the window"
                        : "no policy of its own allows it: a resource policy or another path"
                )
            }
            if onlyOutsideGrant {
                return (.usedNotGranted, "succeeded only on resources its policies do not allow")
            }
            return (.used, nil)
        }
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
        if createdAfterWindow {
            return (.notObservable, "created after the window ends")
        }
        if Observability.isPermissionOnly(action) {
            return (.notObservable, "permission-only: no event names it")
        }
        if let neededBy, Observability.isSilentDependency(action) {
            return (
                .notObservable,
                "\(neededBy) succeeded and may need it without an event of its own"
                    + " (kept by suggest)"
            )
        }
        if Observability.isUnlogged(action) {
            return (.notObservable, "CloudTrail does not log these calls")
        }
        if let family = Observability.dataFamily(of: action),
            !evidence.hasEvents(
                of: family, reading: action.accessLevel.isReading, account: account,
                on: grant.map {
                    // NotResource grants everything but what it names.
                    $0.resourcePatterns + ($0.excludedResourcePatterns.isEmpty ? [] : ["*"])
                } ?? [])
        {
            let kind = action.accessLevel.isReading ? "read" : "write"
            return (
                .notObservable,
                "data event: the input has no \(family.rawValue) \(kind) data events of account "
                    + account + " on the resources it is granted on"
            )
        }
        if !accountHasLogs {
            return (.notObservable, "the input has no events of account \(account)")
        }
        // What a whole account's input lacks, its trail may not record: never unused on that.
        // Catalog names are spelled as the catalog has them: prefixes in lower case.
        if action.servicePrefix == "kms", !evidence.hasKMSCalls(account: account) {
            return (
                .notObservable,
                "the input has no KMS calls of account \(account): its trail may exclude KMS"
                    + " events"
            )
        }
        // (Data events' sides are judged above, family by family.)
        if action.accessLevel.isReading, Observability.dataFamily(of: action) == nil,
            !evidence.hasManagementReads(account: account)
        {
            return (
                .notObservable,
                "the input has no read-only calls of account \(account): its trail may record"
                    + " write events only"
            )
        }
        let unmapped = observed.unmappedCalls(ofService: action.servicePrefix)
        if !unmapped.isEmpty {
            let names =
                unmapped.prefix(3).joined(separator: ", ") + (unmapped.count > 3 ? ", ..." : "")
            return (
                .notObservable,
                "its calls of \(names) map to no action in the catalog: they may need this one"
            )
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
        if let created = principal.created, let until = window.until, created >= until {
            warnings.append(
                "created \(EventTime.format(created)), after the window ends: nothing about it "
                    + "can be told from these logs")
        } else if let created = principal.created, created > since {
            let observedDays = max(1, Int((window.until ?? created) - created) / 86_400)
            warnings.append(
                "created \(EventTime.format(created)), after the window starts: "
                    + "it was observed for \(observedDays) day(s)")
        }
        if accountHasLogs {
            // A single-region trail misses every call made in another region.
            let regions = coverage.regions(ofAccount: account)
            if regions.count == 1 {
                warnings.append(
                    "the events of account \(account) come from one region (\(regions[0])): if "
                        + "its trail is not multi-region, calls in other regions are missing "
                        + "and look unused")
            }
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
