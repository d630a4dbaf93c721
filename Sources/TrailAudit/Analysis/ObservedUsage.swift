/// What the logs show one IAM role or user doing, by catalog action.
///
/// Actions the mapping gives that the catalog does not know are kept apart as unmapped, with
/// their counts: they are never guessed into an action name.
package struct ObservedUsage: Sendable {
    /// Use of one catalog action.
    package struct ActionUse: Sendable {
        package var action: CatalogAction
        package var counts = UsageCounts()
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

    /// The use of `arn` in `aggregate`.
    ///
    /// A role's usage is found by its ARN with the path; events that lost the path (a session
    /// ARN without a session issuer, facts §1.3) are matched by account and name, which IAM
    /// keeps unique regardless of case.
    package init(of arn: String, in aggregate: Aggregate, catalog: IAMCatalog) {
        let wanted = PrincipalName(arn)
        for (principal, usage) in aggregate.principals {
            let same: Bool
            if let wanted, let name = PrincipalName(principal.id) {
                same = name.matches(wanted)
            } else {
                same = principal.id == arn
            }
            guard same else { continue }
            loggedAs.append(principal.id)
            events.merge(usage.counts)
            for (name, use) in usage.actions {
                guard let action = catalog.action(named: name) else {
                    unmapped[name, default: UsageCounts()].merge(use.counts)
                    continue
                }
                let key = action.name.lowercased()
                actions[key, default: ActionUse(action: action)].counts.merge(use.counts)
                actions[key]?.succeededResources.merge(use.succeededResources)
            }
        }
        loggedAs.sort()
    }

    /// Whether the logs hold any event of the principal.
    package var isInLogs: Bool { !loggedAs.isEmpty }
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
    /// Families seen per account (of the calling principal's ARN).
    private var families: [String: Set<Observability.DataFamily>] = [:]

    package init(_ aggregate: Aggregate, catalog: IAMCatalog) {
        for (principal, usage) in aggregate.principals {
            // A trail records data events per account, so only a caller's own account counts.
            guard let account = ARN.account(of: principal.id).map(String.init) else { continue }
            for name in usage.actions.keys {
                guard let action = catalog.action(named: name),
                    let family = Observability.dataFamily(of: action)
                else { continue }
                families[account, default: []].insert(family)
            }
        }
    }

    /// Whether events of `family` from `account` appear in the input.
    package func hasEvents(of family: Observability.DataFamily, account: String) -> Bool {
        families[account]?.contains(family) == true
    }
}
