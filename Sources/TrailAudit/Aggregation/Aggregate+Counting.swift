extension Aggregate {
    /// Counts one event (already de-duplicated and inside the window).
    mutating func count(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?
    ) {
        let outcome = facts.outcome
        events.record(outcome, at: time)
        // The trail that received the event names the account (facts §1.4; case 21).
        if let account = facts.recipientAccount ?? facts.identityAccount,
            account != "ANONYMOUS_PRINCIPAL", account != lastAccount
        {
            accounts.insert(account)
            lastAccount = account
        }
        if let region = facts.region, region != lastRegion {
            regions.insert(region)
            lastRegion = region
        }
        if let time {
            coverage.see(
                account: facts.recipientAccount ?? facts.identityAccount,
                region: facts.region, at: time)
        }

        let (counted, message, allowed) = facts.counted(actions)

        principals[principal, default: PrincipalUsage()]
            .record(facts, actions: counted, outcome: outcome, time: time)
        if !allowed.isEmpty {
            principals[principal]?.recordAllowed(facts, actions: allowed, time: time)
        }

        if facts.eventSource == "sts.amazonaws.com", let api = facts.eventName {
            countSTSCall(api, facts, caller: principal, outcome: outcome, time: time)
        }
        if let message {
            countDenial(facts, message, actions: counted, principal: principal, time: time)
        }
    }

    private mutating func countSTSCall(
        _ api: String, _ facts: EventFacts, caller: Principal,
        outcome: EventOutcome, time: EpochSeconds?
    ) {
        switch api {
        case "AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML":
            guard let role = facts.roleArn else { return }
            let roleAccount = ARN.account(of: role).map(String.init)
            let subject: String?
            switch caller.type {
            case .webIdentity: subject = facts.webIdentitySubject ?? facts.identity.userName
            case .saml: subject = facts.samlSubject ?? facts.identity.userName
            default: subject = nil
            }
            let federated = caller.type == .webIdentity || caller.type == .saml
            let key = AssumeRoleCaller(
                caller: caller.id, type: caller.type, api: api, subject: subject,
                audience: federated ? facts.audience : nil,
                crossAccount: Aggregate.isCrossAccount(caller, facts, roleAccount: roleAccount))
            assumedRoles[role, default: RoleAssumptions()]
                .record(key, facts, outcome: outcome, time: time)
        case "AssumeRoot":
            // The target is a member account's root, named by account id (IAM-ROOT).
            guard let account = facts.rootTargetAccount else { return }
            let partition =
                ARN.partition(of: caller.id).map(String.init)
                ?? ARN.partition(forRegion: facts.region)
            let key = AssumeRoleCaller(
                caller: caller.id, type: caller.type, api: api, subject: nil, audience: nil,
                crossAccount: facts.identityAccount != account)
            assumedRoles["arn:\(partition):iam::\(account):root", default: RoleAssumptions()]
                .record(key, facts, outcome: outcome, time: time)
        case "GetFederationToken", "GetSessionToken":
            tokenIssues[TokenIssue(caller: caller, api: api), default: UsageCounts()]
                .record(outcome, at: time)
        default:
            return
        }
    }

    /// Whether the caller lives in another account than the role; never for federation.
    private static func isCrossAccount(
        _ caller: Principal, _ facts: EventFacts, roleAccount: String?
    ) -> Bool {
        guard let roleAccount else { return false }
        let callerAccount: String?
        switch caller.type {
        case .account: callerAccount = caller.account
        case .role, .serviceLinkedRole, .identityCenterRole, .delegatedRole, .user, .root,
            .federatedUser:
            // Named by an ARN that holds no account: the identity's account.
            callerAccount = caller.account ?? facts.identityAccount
        default: callerAccount = nil
        }
        guard let callerAccount, !callerAccount.isEmpty else { return false }
        return callerAccount != roleAccount
    }

    private mutating func countDenial(
        _ facts: EventFacts, _ message: DenialMessage, actions: [String], principal: Principal,
        time: EpochSeconds?
    ) {
        let code = facts.errorCode ?? ""
        // The action comes from eventSource/eventName: EC2 messages are often encoded.
        let denied = actions.isEmpty ? [facts.unmappedActionName] : actions
        for action in denied {
            let resource = message.resource ?? facts.resources(of: action).first
            let key = DenialGroupKey(
                principal: principal, action: action, resource: resource, errorCode: code,
                deniedBy: message.reason)
            denials[key, default: DenialGroup()].record(message: facts.errorMessage, at: time)
        }
    }
}

extension PrincipalUsage {
    mutating func record(
        _ facts: EventFacts, actions: [String], outcome: EventOutcome, time: EpochSeconds?
    ) {
        counts.record(outcome, at: time)
        if let session = facts.sessionName ?? facts.federationIssuer { sessions.insert(session) }
        if let ip = facts.sourceIP { sourceIPs.add(ip) }
        if let agent = facts.userAgent { userAgents.add(agent) }
        if actions.isEmpty { eventsWithoutAction += 1 }
        // A denied call is counted for an implied action only when its message names it: a
        // denial of that action, not a use.
        let firstImplied = outcome == .denied ? .max : actions.count - facts.impliedActionCount
        for (index, action) in actions.enumerated() {
            let implied = index >= firstImplied
            self.actions[action, default: ActionUsage()].record(
                outcome, at: time, resources: facts.resources(of: action),
                own: !implied && facts.isOwnCall(of: action, among: actions), implied: implied)
        }
    }

    /// Counts the actions of a denied call that IAM allowed before it refused another (see
    /// `EventFacts.counted`) as failed calls of theirs: used, as an allowed call that failed.
    mutating func recordAllowed(_ facts: EventFacts, actions: [String], time: EpochSeconds?) {
        for action in actions {
            self.actions[action, default: ActionUsage()].record(
                .failed, at: time, resources: facts.resources(of: action),
                own: facts.isOwnCall(of: action, among: actions))
        }
    }
}

extension ActionUsage {
    mutating func record(
        _ outcome: EventOutcome, at time: EpochSeconds?, resources: [String], own: Bool = true,
        implied: Bool = false
    ) {
        counts.record(outcome, at: time)
        if own { ownCalls += 1 }
        if implied { impliedCalls += 1 }
        for resource in resources {
            self.resources.insert(resource)
            if outcome == .succeeded { succeededResources.insert(resource) }
        }
    }
}

extension RoleAssumptions {
    mutating func record(
        _ caller: AssumeRoleCaller, _ facts: EventFacts, outcome: EventOutcome,
        time: EpochSeconds?
    ) {
        counts.record(outcome, at: time)
        callers[caller, default: UsageCounts()].record(outcome, at: time)
        if let session = facts.roleSessionName { sessionNames.insert(session) }
        if let ip = facts.sourceIP { sourceIPs.insert(ip) }
    }
}

extension DenialGroup {
    mutating func record(message: String?, at time: EpochSeconds?) {
        counts.record(.denied, at: time)
        offerSample(message, at: time)
    }
}

extension EventFacts {
    /// Whether this call is `action`'s own event, not counted for it as a copy's read of its
    /// source (a write event) or as one of several actions it may need whose side the event
    /// does not share (see `ActionUsage.ownCalls`).
    func isOwnCall(of action: String, among actions: [String]) -> Bool {
        if copySources != nil, action == "s3:GetObject" { return false }
        guard actions.count > 1 else { return true }
        let name = action.lowercased()
        guard IAMActionMapping.alternatives(of: name) != nil else { return true }
        return IAMActionMapping.writtenByEveryCall.contains(name)
    }

    /// The resources `action` of this event is on: an S3 copy writes its destination
    /// (s3:PutObject) and reads its source (s3:GetObject).
    func resources(of action: String) -> [String] {
        if let copySources, action == "s3:GetObject" { return copySources }
        return resources
    }

    /// `prefix:Operation` for an event the mapping gives no action (it still names the call).
    var unmappedActionName: String {
        let prefix = eventSource.map(IAMActionMapping.servicePrefix(forEventSource:)) ?? "unknown"
        let name =
            eventName.map {
                IAMActionMapping.operationName(eventName: $0, servicePrefix: prefix)
            } ?? "unknown"
        return "\(prefix):\(name)"
    }

    /// The actions a call counts for, and the message of a denied call. A denied call that
    /// needs several actions (an S3 copy: PutObject and GetObject) is denied for the one its
    /// message names, when it names one of them; else for all, as any may have been missing.
    /// A call that failed authentication used no permission: it counts for no action.
    ///
    /// A denial that names a catalog action the call does not map to is a denial of that one
    /// alone: the call needed it besides its own, which IAM allowed, since it names the action
    /// it refused (iam:PassRole for an Elastic Beanstalk environment's instance role,
    /// kms:Decrypt for an S3 object encrypted with a KMS key), and so is a denial of an action
    /// the request implied (iam:TagRole for a CreateRole with tags). The call's own actions are then
    /// `allowed`: counted as failed calls of theirs, so `unused` keeps them as used (counted
    /// as denied, `unused` called them denied and `suggest` left them out). Only IAM's
    /// sentence about the caller names the caller's denial: a service's sentence under a
    /// denial code ("CodeBuild is not authorized to perform: sts:AssumeRole") names what the
    /// service was refused, which the caller never asked for; the call's own actions are then
    /// denied, as its code says.
    func counted(_ actions: [String]) -> (
        actions: [String], denial: DenialMessage?, allowed: [String]
    ) {
        switch outcome {
        case .succeeded:
            return (actions, nil, [])
        case .failed:
            return (EventOutcome.isAuthenticationFailure(errorCode) ? [] : actions, nil, [])
        case .denied:
            let message = DenialMessage(errorCode: errorCode ?? "", errorMessage: errorMessage)
            guard let name = message.action else { return (actions, message, []) }
            let ownCount = actions.count - impliedActionCount
            if let index = actions.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                // An action the request implied (iam:TagRole for a CreateRole with tags) is
                // another action than the call's own, which IAM allowed.
                let own = index >= ownCount ? Array(actions.prefix(ownCount)) : []
                return ([actions[index]], message, own)
            }
            if let prefix = name.split(separator: ":", maxSplits: 1).first,
                prefix.count < name.count,
                let text = errorMessage, EventOutcome.saysCallerNotAuthorized(text),
                let other = IAMCatalog.service(String(prefix)).action(named: name)
            {
                return ([other.name], message, Array(actions.prefix(ownCount)))
            }
            return (actions, message, [])
        }
    }
}
