/// What the logs show one IAM role or user doing, by catalog action.
///
/// Actions the mapping gives that the catalog does not know are kept apart as unmapped, with
/// their counts: they are never guessed into an action name.
package struct ObservedUsage: Sendable {
    /// Use of one catalog action.
    package struct ActionUse: Sendable {
        package var action: CatalogAction
        package var counts = UsageCounts()
        /// Of the counted calls, those other actions' requests implied
        /// (`ActionUsage.impliedCalls`).
        package var implied = 0
        /// ARNs named by succeeded calls.
        package var succeededResources = BoundedSet()
    }

    /// Keyed by the lower-cased catalog name.
    package var actions: [String: ActionUse] = [:]
    /// `prefix:Operation` names the catalog does not hold, with their counts.
    package var unmapped: [String: UsageCounts] = [:]
    /// Every event of the principal, including calls that need no permission.
    package var events = UsageCounts()
    /// The principal ids in the logs folded into this one (with and without the role path).
    package var loggedAs: [String] = []
    /// Federated users counted as this principal's use that other principals issued too.
    package var sharedFederatedUsers: [String] = []
    /// `unmappedCalls(ofService:)` by lower-cased prefix, built once.
    private var unmappedByService: [String: [String]] = [:]

    /// The use of `arn` among the logged principals `index` finds for it.
    ///
    /// A role's usage is found by its ARN with the path; events that lost the path (a session
    /// ARN without a session issuer, facts §1.3) are matched by account and name, which IAM
    /// keeps unique regardless of case.
    package init(of arn: String, in index: LoggedPrincipals, catalog: IAMCatalog) {
        for (principal, usage) in index.candidates(for: arn) {
            loggedAs.append(principal.id)
            if principal.type == .federatedUser, usage.sessions.count > 1 {
                sharedFederatedUsers.append(principal.id)
            }
            events.merge(usage.counts)
            for (name, use) in usage.actions {
                guard let action = catalog.action(named: name) else {
                    unmapped[name, default: UsageCounts()].merge(use.counts)
                    continue
                }
                let key = action.name.lowercased()
                actions[key, default: ActionUse(action: action)].counts.merge(use.counts)
                actions[key]?.implied += use.impliedCalls
                actions[key]?.succeededResources.merge(use.succeededResources)
            }
        }
        loggedAs.sort()
        sharedFederatedUsers.sort()
        for (name, counts) in unmapped where counts.succeeded + counts.failed > 0 {
            let prefix = name.split(separator: ":").first.map { $0.lowercased() } ?? ""
            unmappedByService[prefix, default: []].append(name)
        }
        for prefix in unmappedByService.keys { unmappedByService[prefix]!.sort() }
    }

    /// Whether the logs hold any event of the principal.
    package var isInLogs: Bool { !loggedAs.isEmpty }

    /// Unmapped names of service `prefix` with calls that got past authorization (succeeded or
    /// failed otherwise): the actions those calls needed are unknown, so none of the service's
    /// actions can be called unused on this evidence.
    package func unmappedCalls(ofService prefix: some StringProtocol) -> [String] {
        guard !unmappedByService.isEmpty else { return [] }
        return unmappedByService[prefix.lowercased()] ?? []
    }
}

/// The principals of the logs by account, kind and lower-cased name, so each IAM principal
/// finds its usage without scanning them all.
package struct LoggedPrincipals: Sendable {
    private var byName: [String: [(Principal, PrincipalUsage)]] = [:]
    private var byID: [String: [(Principal, PrincipalUsage)]] = [:]

    package init(_ aggregate: Aggregate) {
        for (principal, usage) in aggregate.principals {
            if let name = PrincipalName(principal.id) {
                byName[name.key, default: []].append((principal, usage))
            } else {
                byID[principal.id, default: []].append((principal, usage))
            }
            // A federated user acts with its issuing user's permissions (and its session
            // policy's): its calls are that user's use too. Its id, an STS ARN, matches no IAM
            // principal, so it is found only through its issuers.
            guard principal.type == .federatedUser else { continue }
            for issuer in usage.sessions.sorted {
                guard let name = PrincipalName(issuer) else { continue }
                byName[name.key, default: []].append((principal, usage))
            }
        }
    }

    /// The logged principals that are `arn` (the same ARN, or the same role without its path),
    /// and the federated users it issued.
    func candidates(for arn: String) -> [(Principal, PrincipalUsage)] {
        guard let wanted = PrincipalName(arn) else { return byID[arn] ?? [] }
        return (byName[wanted.key] ?? []).filter { principal, usage in
            guard principal.type == .federatedUser else {
                return PrincipalName(principal.id).map { $0.matches(wanted) } ?? false
            }
            return usage.sessions.sorted.contains {
                PrincipalName($0).map { $0.matches(wanted) } ?? false
            }
        }
    }
}

/// An IAM role or user ARN reduced to what identifies it: account, kind, lower-cased name, and
/// the lower-cased full resource (with path) when the ARN has one.
struct PrincipalName: Equatable {
    var account: Substring
    var kind: Substring
    var name: String
    var resource: String

    init?(_ arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam" else { return nil }
        let resource = parts[5]
        guard let slash = resource.firstIndex(of: "/") else { return nil }
        kind = resource[..<slash]
        guard kind == "role" || kind == "user" else { return nil }
        account = parts[4]
        self.resource = resource.lowercased()
        name = String(resource.split(separator: "/").last ?? "").lowercased()
    }

    /// Account, kind and name: equal for every ARN of one principal, with or without a path.
    var key: String { "\(account)|\(kind)|\(name)" }

    /// Same principal: same full resource, or a logged ARN without a path and the same name.
    func matches(_ other: PrincipalName) -> Bool {
        guard account == other.account, kind == other.kind, name == other.name else {
            return false
        }
        let pathless = "\(kind)/\(name)"
        return resource == other.resource || resource == pathless || other.resource == pathless
    }
}

/// The data-event families the input shows for each account: an action of a family the trail
/// does not record cannot be called unused.
package struct DataEventEvidence: Sendable {
    /// Per account (of the calling principal's ARN), family, and read or write (a trail's
    /// selectors may record only one of them): the resources data events were seen on.
    private var seen: [Key: Resources] = [:]
    /// Accounts with a read-only management call in the input: a trail can record write
    /// events only (CloudTrail User Guide, "Logging management events": read and write
    /// events), and then no read call is ever seen.
    private var managementReads: Set<String> = []
    /// Accounts with a KMS call in the input: a trail can exclude KMS events (same page,
    /// "Exclude AWS KMS events"), and then no KMS call is ever seen.
    private var kmsCalls: Set<String> = []

    private struct Key: Hashable {
        var account: String
        var family: Observability.DataFamily
        var reading: Bool
    }

    /// The containers (bucket, table, function, queue...) data events named; `any` when some
    /// event named none, or more were seen than kept: then the whole family counts as logged.
    private struct Resources {
        var containers: Set<String> = []
        var any = false
    }

    package init(_ aggregate: Aggregate, catalog: IAMCatalog) {
        for (principal, usage) in aggregate.principals {
            // A trail records data events per account, so only a caller's own account counts.
            guard let account = ARN.account(of: principal.id).map(String.init) else { continue }
            // Only an action's own calls show the side of its data events the trail records:
            // a copy is a write event that counts s3:GetObject, a PartiQL statement or a write
            // transaction counts actions of both sides (`ActionUsage.ownCalls`).
            for (name, use) in usage.actions where use.ownCalls > 0 {
                guard let action = catalog.action(named: name) else { continue }
                if action.servicePrefix == "kms" { kmsCalls.insert(account) }
                guard let family = Observability.dataFamily(of: action) else {
                    if action.accessLevel.isReading { managementReads.insert(account) }
                    continue
                }
                // A table's selector logs its streams' events too: item events vouch for both.
                let families = family == .dynamoDBItems ? [family, .dynamoDBStreams] : [family]
                for family in families {
                    let key = Key(
                        account: account, family: family, reading: action.accessLevel.isReading)
                    var resources = seen[key] ?? Resources()
                    // Events that name no resource may be on any; a list cut at its bound
                    // still names buckets, and the ones past it count as not seen (a grant
                    // naming those is then not-observable, never unused).
                    if use.resources.isEmpty {
                        resources.any = true
                    } else {
                        for arn in use.resources.sorted {
                            resources.containers.insert(Self.container(of: arn))
                        }
                    }
                    seen[key] = resources
                }
            }
        }
    }

    /// Whether the input holds a read-only management call from `account`.
    package func hasManagementReads(account: String) -> Bool {
        managementReads.contains(account)
    }

    /// Whether the input holds a KMS call from `account`.
    package func hasKMSCalls(account: String) -> Bool { kmsCalls.contains(account) }

    /// Whether read (or write) events of `family` from `account` appear in the input on every
    /// resource `patterns` (the grant's) may name. Data-event selectors pick resources (a
    /// bucket, a table): events on one bucket say nothing of another (CloudTrail User Guide,
    /// "Logging data events"; facts §5.2).
    package func hasEvents(
        of family: Observability.DataFamily, reading: Bool, account: String,
        on patterns: [String]
    ) -> Bool {
        guard let resources = seen[Key(account: account, family: family, reading: reading)]
        else { return false }
        if resources.any { return true }
        // Every pattern of the family's service must: a grant on two buckets whose events name
        // one says nothing of the other, whose calls may all go unlogged. Patterns of other
        // services (a statement's Resource list shared with other actions) name none of them.
        let services = Set(resources.containers.compactMap(Self.service(of:)))
        let relevant = patterns.filter { pattern in
            guard let service = Self.service(of: pattern) else { return true }
            let glob = IAMGlob.resource(service)
            return services.contains { glob.matches($0) }
        }
        return !relevant.isEmpty
            && relevant.allSatisfy { pattern in
                let glob = IAMGlob.resource(Self.container(of: pattern))
                return glob.matchesEverything || resources.containers.contains { glob.matches($0) }
            }
    }

    /// The service field of an ARN or ARN pattern (`s3`, `dynamodb`, `s3*`); nil for `*`
    /// and other text.
    private static func service(of arn: String) -> String? {
        let fields = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, fields[0] == "arn" else { return nil }
        return String(fields[2])
    }

    /// What a data-event selector names for `arn` (an ARN or a Resource pattern): an S3
    /// object's bucket, a DynamoDB index's or stream's table, a qualified function's function;
    /// anything else as it is.
    static func container(of arn: String) -> String {
        let fields = arn.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count >= 6, fields[0] == "arn" else { return arn }
        let service = fields[2]
        let resource = fields.count == 7 ? fields[5] + ":" + fields[6] : fields[5]
        let base = fields[0..<5].joined(separator: ":") + ":"
        switch service {
        case "s3", "s3-object-lambda", "s3express":
            return base
                + (resource.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "")
        case "dynamodb":
            let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count >= 2 ? base + parts[0] + "/" + parts[1] : arn
        case "lambda":
            return fields.count == 7 && fields[5] == "function"
                ? base + "function:" + (fields[6].split(separator: ":").first ?? "") : arn
        default:
            return arn
        }
    }
}
