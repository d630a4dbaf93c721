/// What `trailaudit timeline` asks for: one principal's activity in buckets of time.
package struct TimelineQuery: Sendable {
    /// A role, user, service or provider id, as the report names principals.
    package var principal: String
    /// Bucket width in seconds (3,600 or 86,400).
    package var bucket: EpochSeconds

    package init(principal: String, bucket: EpochSeconds) {
        self.principal = principal
        self.bucket = bucket
    }
}

/// Something seen for the first time: an action, a source IP, a user agent, an assumer.
package struct FirstSighting: Sendable, Hashable, Comparable {
    package enum Kind: String, Sendable, Comparable {
        /// An action the principal called: the call's own, as its event names it.
        case action
        /// An action another call's request needed (tags on a CreateRole): the principal
        /// used the permission without calling the action.
        case impliedAction
        case sourceIP, userAgent, assumer

        package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        /// How the text timeline names it.
        package var label: String {
            switch self {
            case .action, .assumer: rawValue
            case .impliedAction: "implied action"
            case .sourceIP: "source IP"
            case .userAgent: "user agent"
            }
        }
    }

    package var kind: Kind
    package var value: String

    /// Values compare by their bytes (`ExactString`): a subject or user agent spelled with
    /// other bytes is seen for the first time.
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && ExactString(lhs.value) == ExactString(rhs.value)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(ExactString(value))
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        return ExactString(lhs.value) < ExactString(rhs.value)
    }
}

/// A principal's activity per bucket and when each thing was first seen; mergeable.
package struct TimelineAggregate: Sendable {
    package var buckets: [EpochSeconds: UsageCounts] = [:]
    package var firstSeen: [FirstSighting: EpochSeconds] = [:]
    /// Events of the principal without a readable time (in no bucket).
    package var untimed = 0
    /// Succeeded cross-account assumptions of the principal by the caller's account and API
    /// (`ACCOUNT\0API`): the role owner's copies, which name the caller's account only, and
    /// the callers' own, which name the caller. An account is an assumer only for the calls
    /// no named caller of it accounts for, as in `report` (`RoleAssumptions.foldingOwnerCopies`).
    var crossAccountAssumptions: [String: (ownerCopies: Int, named: Int)] = [:]

    package init() {}

    package var isEmpty: Bool { buckets.isEmpty && firstSeen.isEmpty && untimed == 0 }

    package mutating func merge(_ other: TimelineAggregate) {
        for (start, counts) in other.buckets {
            buckets[start, default: UsageCounts()].merge(counts)
        }
        for (sighting, time) in other.firstSeen { see(sighting, at: time) }
        untimed += other.untimed
        for (key, calls) in other.crossAccountAssumptions {
            let known = crossAccountAssumptions[key] ?? (0, 0)
            crossAccountAssumptions[key] = (
                known.ownerCopies + calls.ownerCopies, known.named + calls.named
            )
        }
    }

    /// What was first seen, but the accounts whose every assumption of the principal is the
    /// role owner's copy of a call a named caller's own copy shows.
    package var sightings: [FirstSighting: EpochSeconds] {
        var open: Set<String> = []
        var folded: Set<String> = []
        for (key, calls) in crossAccountAssumptions where calls.ownerCopies > 0 {
            let account = String(key.prefix { $0 != "\u{0}" })
            if calls.named >= calls.ownerCopies {
                folded.insert(account)
            } else {
                open.insert(account)
            }
        }
        let hidden = folded.subtracting(open)
        guard !hidden.isEmpty else { return firstSeen }
        return firstSeen.filter { $0.key.kind != .assumer || !hidden.contains($0.key.value) }
    }

    mutating func see(_ sighting: FirstSighting, at time: EpochSeconds) {
        if let known = firstSeen[sighting], known <= time { return }
        firstSeen[sighting] = time
    }

    /// Counts one event, if it is the principal's own call or an assumption of the principal.
    mutating func record(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?,
        query: TimelineQuery
    ) {
        let own = principal.id == query.principal || facts.identity.arn == query.principal
        let assumes =
            facts.roleArn == query.principal && facts.eventSource == "sts.amazonaws.com"
            && (facts.eventName?.hasPrefix("AssumeRole") ?? false)
        guard own || assumes else { return }
        guard let time else {
            untimed += 1
            return
        }
        let outcome = facts.outcome
        if assumes && outcome == .succeeded {
            let subject =
                principal.type == .webIdentity
                ? (facts.webIdentitySubject ?? facts.identity.userName)
                : principal.type == .saml ? (facts.samlSubject ?? facts.identity.userName) : nil
            let who = principal.id + (subject.map { " (\($0))" } ?? "")
            see(FirstSighting(kind: .assumer, value: who), at: time)
            if let account = principal.account,
                let roleAccount = ARN.account(of: query.principal), account != roleAccount
            {
                let key = account + "\u{0}" + (facts.eventName ?? "")
                var calls = crossAccountAssumptions[key] ?? (0, 0)
                if principal.type == .account { calls.ownerCopies += 1 } else { calls.named += 1 }
                crossAccountAssumptions[key] = calls
            }
        }
        guard own else { return }

        let start = time - ((time % query.bucket) + query.bucket) % query.bucket
        buckets[start, default: UsageCounts()].record(outcome, at: time)
        // Counted as `report` counts them (`EventFacts.counted`): a denied call lists only the
        // actions IAM allowed before it refused another (its own, as failed calls of theirs).
        let (counted, _, allowed) = facts.counted(actions)
        let used = outcome == .denied ? allowed : counted
        let firstImplied = outcome == .denied ? used.count : used.count - facts.impliedActionCount
        for (index, action) in used.enumerated() {
            let kind: FirstSighting.Kind = index < firstImplied ? .action : .impliedAction
            see(FirstSighting(kind: kind, value: action), at: time)
        }
        if let ip = facts.sourceIP { see(FirstSighting(kind: .sourceIP, value: ip), at: time) }
        if let agent = facts.userAgent {
            see(FirstSighting(kind: .userAgent, value: agent), at: time)
        }
    }
}
