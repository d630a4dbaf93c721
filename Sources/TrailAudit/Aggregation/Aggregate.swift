/// Usage of one IAM action by one principal.
package struct ActionUsage: Sendable {
    package var counts = UsageCounts()
    /// ARNs the calls named, where the event names them.
    package var resources = BoundedSet()
    /// ARNs the succeeded calls named: the evidence a tightened policy is scoped to.
    package var succeededResources = BoundedSet()
    /// Calls whose event was this action's own, not counted for it as a copy's read of its
    /// source or as one of several actions a call may need (a PartiQL statement, a graph
    /// query, a transaction's items): only these show which side (read or write) of its
    /// data events a trail records (`DataEventEvidence`).
    package var ownCalls = 0
    /// Calls that were another action's, counted for this one because their request needed
    /// it too (`IAMActionMapping.impliedActions`: tags on what a call creates, an S3 ACL
    /// header, session tags): the permission was used though no event names it.
    package var impliedCalls = 0

    package init() {}

    package mutating func merge(_ other: ActionUsage) {
        ownCalls += other.ownCalls
        impliedCalls += other.impliedCalls
        counts.merge(other.counts)
        resources.merge(other.resources)
        succeededResources.merge(other.succeededResources)
    }
}

/// Everything seen of one principal.
package struct PrincipalUsage: Sendable {
    /// All events, including calls that need no IAM permission.
    package var counts = UsageCounts()
    /// A role's session names; a federated user's issuers instead (the ARNs of the IAM users,
    /// or root, whose GetFederationToken calls issued its credentials: `sessionIssuer.arn`).
    package var sessions = BoundedSet()
    package var sourceIPs = BoundedTally()
    package var userAgents = BoundedTally()
    package var actions: [String: ActionUsage] = [:]
    /// Events that map to no IAM action (sts:GetCallerIdentity, console sign-in, ...).
    package var eventsWithoutAction = 0

    package init() {}

    package mutating func merge(_ other: PrincipalUsage) {
        counts.merge(other.counts)
        sessions.merge(other.sessions)
        sourceIPs.merge(other.sourceIPs)
        userAgents.merge(other.userAgents)
        eventsWithoutAction += other.eventsWithoutAction
        for (action, usage) in other.actions {
            actions[action, default: ActionUsage()].merge(usage)
        }
    }
}

/// One way a role was assumed: who, through which API, with which web identity subject.
package struct AssumeRoleCaller: Sendable, Hashable, Comparable {
    package var caller: String
    package var type: PrincipalType
    package var api: String
    /// Web identity subject (`repo:org/name:ref:refs/heads/main`) or SAML user, when known.
    package var subject: String?
    /// The token's audience (`aud`) for web identity and SAML, when the event logs it.
    package var audience: String?
    package var crossAccount: Bool

    /// Text compares by its bytes (`ExactString`), as IAM compares a trust policy's `sub`: a
    /// branch named with a composed `é` and one with `e` and a combining accent are two
    /// branches to Git and two subjects to IAM, so a new one is a new assumer.
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.type == rhs.type && lhs.crossAccount == rhs.crossAccount
            && exact(lhs.caller) == exact(rhs.caller) && exact(lhs.api) == exact(rhs.api)
            && lhs.subject.map(exact) == rhs.subject.map(exact)
            && lhs.audience.map(exact) == rhs.audience.map(exact)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(ExactString(caller))
        hasher.combine(type)
        hasher.combine(ExactString(api))
        hasher.combine(subject.map(ExactString.init))
        hasher.combine(audience.map(ExactString.init))
        hasher.combine(crossAccount)
    }

    /// A total order (every field decides, `crossAccount` last; no value before any text), so
    /// reports list callers the same way in every run, whatever order dictionaries hand out.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        if exact(lhs.caller) != exact(rhs.caller) { return exact(lhs.caller) < exact(rhs.caller) }
        if lhs.type != rhs.type { return lhs.type.rawValue < rhs.type.rawValue }
        if exact(lhs.api) != exact(rhs.api) { return exact(lhs.api) < exact(rhs.api) }
        let (subject, otherSubject) = (lhs.subject.map(exact), rhs.subject.map(exact))
        if subject != otherSubject { return precedes(subject, otherSubject) }
        let (audience, otherAudience) = (lhs.audience.map(exact), rhs.audience.map(exact))
        if audience != otherAudience { return precedes(audience, otherAudience) }
        return !lhs.crossAccount && rhs.crossAccount
    }

    private static func exact(_ text: String) -> ExactString { ExactString(text) }

    private static func precedes(_ lhs: ExactString?, _ rhs: ExactString?) -> Bool {
        guard let rhs else { return false }
        guard let lhs else { return true }
        return lhs < rhs
    }
}

/// Assumptions of one role.
package struct RoleAssumptions: Sendable {
    package var counts = UsageCounts()
    package var callers: [AssumeRoleCaller: UsageCounts] = [:]
    package var sessionNames = BoundedSet()
    package var sourceIPs = BoundedSet()

    package init() {}

    package mutating func merge(_ other: RoleAssumptions) {
        counts.merge(other.counts)
        for (caller, counts) in other.callers {
            callers[caller, default: UsageCounts()].merge(counts)
        }
        sessionNames.merge(other.sessionNames)
        sourceIPs.merge(other.sourceIPs)
    }
}

extension RoleAssumptions {
    /// These assumptions with the role owner's copies of cross-account calls taken out where
    /// the callers' own copies were read too, and how many calls that took out.
    ///
    /// CloudTrail logs a cross-account AssumeRole in both accounts (facts §2.3): the
    /// caller's account names the caller; the role's account names only the caller's account
    /// (`userIdentity.type` `AWSAccount`). Reading both trails, as an organization bucket
    /// does, would count each call twice and list the whole account beside the caller, and a
    /// trust policy built from that would admit the account's every principal. So the calls
    /// an account is listed for are matched, by count and outcome, against the named callers
    /// of that account through the same API: only calls no named caller accounts for stay
    /// listed under the account (its trail was not read, or not for the whole window).
    package func foldingOwnerCopies() -> (assumptions: RoleAssumptions, folded: Int) {
        var named: [String: UsageCounts] = [:]  // by "account\0api"
        for (caller, counts) in callers where caller.crossAccount && caller.type != .account {
            guard let account = caller.account else { continue }
            named[account + "\u{0}" + caller.api, default: UsageCounts()].merge(counts)
        }
        guard !named.isEmpty else { return (self, 0) }

        var result = self
        var folded = 0
        for (caller, counts) in callers where caller.type == .account && caller.crossAccount {
            guard let known = named[caller.caller + "\u{0}" + caller.api] else { continue }
            var left = counts
            left.succeeded = max(0, counts.succeeded - known.succeeded)
            left.denied = max(0, counts.denied - known.denied)
            left.failed = max(0, counts.failed - known.failed)
            result.counts.succeeded -= counts.succeeded - left.succeeded
            result.counts.denied -= counts.denied - left.denied
            result.counts.failed -= counts.failed - left.failed
            folded += counts.total - left.total
            result.callers[caller] = left.total == 0 ? nil : left
        }
        return (result, folded)
    }
}

extension Aggregate {
    /// The denial groups, with the role owner's copies of cross-account calls taken out where
    /// the callers' own copies were read too (see `RoleAssumptions.foldingOwnerCopies`): a
    /// group of an `account` principal loses as many denials as the groups of that account's
    /// named principals hold for the same action, resource, error and reason.
    package func denialsFoldingOwnerCopies() -> [DenialGroupKey: DenialGroup] {
        var named: [DenialGroupKey: Int] = [:]  // keyed with the caller's account as principal
        for (key, group) in denials where key.principal.type != .account {
            guard let account = key.principal.account else { continue }
            var owner = key
            owner.principal = Principal(id: account, type: .account)
            named[owner, default: 0] += group.counts.denied
        }
        guard !named.isEmpty else { return denials }
        var result = denials
        for (key, group) in denials where key.principal.type == .account {
            guard let known = named[key], known > 0 else { continue }
            var left = group
            left.counts.denied = max(0, group.counts.denied - known)
            result[key] = left.counts.total == 0 ? nil : left
        }
        return result
    }
}

extension AssumeRoleCaller {
    /// The account the caller belongs to, where its name says it.
    var account: String? { Principal(id: caller, type: type).account }
}

extension Principal {
    /// The account the principal belongs to, where its name says it.
    var account: String? {
        switch type {
        case .account: return id
        case .role, .serviceLinkedRole, .identityCenterRole, .delegatedRole, .user, .root,
            .federatedUser:
            return ARN.account(of: id).map(String.init)
        default: return nil
        }
    }
}

/// A GetFederationToken or GetSessionToken caller.
package struct TokenIssue: Sendable, Hashable, Comparable {
    package var caller: Principal
    package var api: String

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.caller, lhs.api) < (rhs.caller, rhs.api)
    }
}

/// The key AccessDenied events are grouped by.
package struct DenialGroupKey: Sendable, Hashable, Comparable {
    package var principal: Principal
    package var action: String
    package var resource: String?
    package var errorCode: String
    package var deniedBy: DenialReason

    /// Field by field, as a tuple would compare them, without building one: reports sort tens
    /// of thousands of groups.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.principal != rhs.principal { return lhs.principal < rhs.principal }
        if lhs.action != rhs.action { return lhs.action < rhs.action }
        let (left, right) = (lhs.resource ?? "", rhs.resource ?? "")
        if left != right { return left < right }
        if lhs.errorCode != rhs.errorCode { return lhs.errorCode < rhs.errorCode }
        return lhs.deniedBy < rhs.deniedBy
    }
}

/// Count and sample of one denial group.
package struct DenialGroup: Sendable {
    package var counts = UsageCounts()
    /// The message of the earliest event (ties: the smallest text), so merges agree.
    package var sampleMessage: String?
    package var sampleTime: EpochSeconds?

    package init() {}

    package mutating func offerSample(_ message: String?, at time: EpochSeconds?) {
        guard let message else { return }
        let candidate = (time ?? .max, message)
        let current = (sampleTime ?? .max, sampleMessage ?? "")
        if sampleMessage == nil || candidate < current {
            sampleMessage = message
            sampleTime = time
        }
    }

    package mutating func merge(_ other: DenialGroup) {
        counts.merge(other.counts)
        offerSample(other.sampleMessage, at: other.sampleTime)
    }
}

/// Everything the reports need, mergeable: partial states from any split of the input combine
/// into the same result in any order.
package struct Aggregate: Sendable {
    package var principals: [Principal: PrincipalUsage] = [:]
    package var assumedRoles: [String: RoleAssumptions] = [:]
    package var tokenIssues: [TokenIssue: UsageCounts] = [:]
    package var denials: [DenialGroupKey: DenialGroup] = [:]
    package var events = UsageCounts()
    package var accounts: Set<String> = [] { didSet { lastAccount = nil } }
    package var regions: Set<String> = [] { didSet { lastRegion = nil } }
    /// The account and region `count` inserted last, known to be in the sets (any other
    /// change to a set forgets them): runs of events from one trail skip hashing them.
    var lastAccount: String? = nil
    var lastRegion: String? = nil
    /// Which days each account and region has events on.
    package var coverage = Coverage()
    /// Insight records and envelope records that hold no API call.
    package var nonCallRecords = 0
    /// Events dropped by `--since`/`--until`.
    package var eventsOutsideWindow = 0

    package init() {}

    /// Whether nothing was counted.
    package var isEmpty: Bool {
        principals.isEmpty && assumedRoles.isEmpty && tokenIssues.isEmpty && denials.isEmpty
            && events.total == 0 && nonCallRecords == 0 && eventsOutsideWindow == 0
            && accounts.isEmpty && regions.isEmpty && coverage.isEmpty
    }

    package mutating func merge(_ other: Aggregate) {
        if isEmpty {
            self = other
            return
        }
        for (principal, usage) in other.principals {
            principals[principal, default: PrincipalUsage()].merge(usage)
        }
        for (role, assumptions) in other.assumedRoles {
            assumedRoles[role, default: RoleAssumptions()].merge(assumptions)
        }
        for (issue, counts) in other.tokenIssues {
            tokenIssues[issue, default: UsageCounts()].merge(counts)
        }
        for (key, group) in other.denials {
            denials[key, default: DenialGroup()].merge(group)
        }
        events.merge(other.events)
        accounts.formUnion(other.accounts)
        regions.formUnion(other.regions)
        coverage.merge(other.coverage)
        nonCallRecords += other.nonCallRecords
        eventsOutsideWindow += other.eventsOutsideWindow
    }
}
