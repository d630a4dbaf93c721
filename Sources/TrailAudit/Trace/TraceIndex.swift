/// One STS call that handed out a temporary key (AssumeRole*, GetSessionToken,
/// GetFederationToken, AssumeRoot): the link between a key and whoever asked for it.
package struct KeyIssue: Sendable {
    package var issuedKey: String
    package var time: EpochSeconds?
    package var api: String
    package var caller: Principal
    /// `userIdentity.accessKeyId` of the call: the previous link, when there is one.
    package var callerKey: String?
    package var callerSession: String?
    /// Web identity subject (`repo:org/name:ref:...`) or SAML user.
    package var subject: String?
    /// The role assumed, or the member account for AssumeRoot.
    package var target: String?
    package var sessionName: String?
    package var sourceIdentity: String?
    package var sourceIP: String?
    package var eventID: String
    /// Caller keys other events name for the same issued key (sorted): one key is issued
    /// once, so these are events that cannot all be true (forged, or damaged logs).
    package var otherCallerKeys: [String] = []

    /// Which copy stands when two events name one issued key: the caller's own copy (it has
    /// the caller's key; the role owner's copy of a cross-account call has none), then the
    /// earliest, then by eventID.
    static func precedes(_ lhs: KeyIssue, _ rhs: KeyIssue) -> Bool {
        let left = (lhs.callerKey == nil ? 1 : 0, lhs.time ?? .max, lhs.eventID)
        let right = (rhs.callerKey == nil ? 1 : 0, rhs.time ?? .max, rhs.eventID)
        return left < right
    }

    /// The copy that stands of two events that issued one key, naming the caller keys of
    /// the other where they differ (the same answer in any order of combining).
    static func combined(_ existing: KeyIssue?, _ issue: KeyIssue) -> KeyIssue {
        guard let existing else { return issue }
        var (kept, other) = precedes(issue, existing) ? (issue, existing) : (existing, issue)
        guard other.callerKey != nil || !other.otherCallerKeys.isEmpty else { return kept }
        var others = Set(kept.otherCallerKeys).union(other.otherCallerKeys)
        if let callerKey = other.callerKey { others.insert(callerKey) }
        if let callerKey = kept.callerKey { others.remove(callerKey) }
        kept.otherCallerKeys = others.sorted()
        return kept
    }
}

/// What one access key did.
package struct KeyUsage: Sendable {
    /// The identity that used the key, and its session name: the smallest pair, should a key
    /// show up under two, so neither the file order nor the workers' decide.
    package var principal: Principal
    package var session: String?
    package var counts = UsageCounts()
    package var actions = BoundedSet(limit: 200)
    /// Actions other calls' requests needed (tags on a CreateRole), not denied.
    package var impliedActions = BoundedSet(limit: 200)
    package var deniedActions = BoundedSet(limit: 200)
    package var sourceIPs = BoundedSet(limit: 200)
    package var userAgents = BoundedSet(limit: 50)
    package var regions = BoundedSet(limit: 50)

    package init(principal: Principal, session: String?) {
        self.principal = principal
        self.session = session
    }

    /// Takes `principal` and `session` as the key's user if they come before the current pair.
    mutating func offer(_ principal: Principal, session: String?) {
        guard (principal, session ?? "") < (self.principal, self.session ?? "") else { return }
        self.principal = principal
        self.session = session
    }

    package mutating func merge(_ other: KeyUsage) {
        offer(other.principal, session: other.session)
        counts.merge(other.counts)
        actions.merge(other.actions)
        impliedActions.merge(other.impliedActions)
        deniedActions.merge(other.deniedActions)
        sourceIPs.merge(other.sourceIPs)
        userAgents.merge(other.userAgents)
        regions.merge(other.regions)
    }
}

/// Every key issued and every key used in the input: mergeable like the report's aggregate.
package struct TraceIndex: Sendable {
    package var issues: [String: KeyIssue] = [:]
    package var usage: [String: KeyUsage] = [:]
    /// Keys seen per session name, to start a trace from a session.
    package var keysBySession: [String: Set<String>] = [:]

    package init() {}

    package var isEmpty: Bool { issues.isEmpty && usage.isEmpty }

    package mutating func merge(_ other: TraceIndex) {
        for (key, issue) in other.issues { issues[key] = KeyIssue.combined(issues[key], issue) }
        for (key, use) in other.usage {
            if usage[key] == nil {
                usage[key] = use
            } else {
                usage[key]?.merge(use)
            }
        }
        for (session, keys) in other.keysBySession {
            keysBySession[session, default: []].formUnion(keys)
        }
    }

    /// Records one event.
    mutating func record(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?,
        eventID: String
    ) {
        let outcome = facts.outcome
        if let key = facts.accessKeyId {
            var use = usage[key] ?? KeyUsage(principal: principal, session: facts.sessionName)
            use.offer(principal, session: facts.sessionName)
            use.counts.record(outcome, at: time)
            // The actions `report` counts the call for: none after a failed authentication,
            // the one a denial's message names.
            let (counted, _, allowed) = facts.counted(actions)
            for action in allowed { use.actions.insert(action) }
            // A call the mapping gives no action is listed by its name, unless it used nothing.
            let unmapped =
                actions.isEmpty && !EventOutcome.isAuthenticationFailure(facts.errorCode)
            let names = unmapped ? [facts.unmappedActionName] : counted
            let implied = actions.suffix(facts.impliedActionCount)
            for action in names {
                if outcome == .denied {
                    use.deniedActions.insert(action)
                } else if !implied.contains(action) {
                    use.actions.insert(action)
                } else {
                    use.impliedActions.insert(action)
                }
            }
            if let ip = facts.sourceIP { use.sourceIPs.insert(ip) }
            if let agent = facts.userAgent { use.userAgents.insert(agent) }
            if let region = facts.region { use.regions.insert(region) }
            usage[key] = use
            if let session = facts.sessionName { keysBySession[session, default: []].insert(key) }
        }

        guard outcome == .succeeded, let issued = facts.issuedAccessKeyId,
            facts.eventSource == "sts.amazonaws.com", let api = facts.eventName
        else { return }
        let issue = KeyIssue(
            issuedKey: issued, time: time, api: api, caller: principal,
            callerKey: facts.accessKeyId, callerSession: facts.sessionName,
            subject: principal.type == .webIdentity
                ? (facts.webIdentitySubject ?? facts.identity.userName)
                : principal.type == .saml ? (facts.samlSubject ?? facts.identity.userName) : nil,
            target: facts.roleArn ?? facts.rootTargetAccount ?? facts.federatedUserArn,
            sessionName: facts.roleSessionName ?? facts.federatedName,
            sourceIdentity: facts.sourceIdentity, sourceIP: facts.sourceIP, eventID: eventID)
        issues[issued] = KeyIssue.combined(issues[issued], issue)
        if let session = issue.sessionName { keysBySession[session, default: []].insert(issued) }
    }
}
