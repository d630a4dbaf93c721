struct ActionCacheKey: Hashable {
    var source: String
    var name: String
    var request: RequestTraits
}

/// An event's IAM actions, and with the ones its request implies (`IAMActionMapping`), built
/// once per cache entry: no array is made per event.
struct MappedActions {
    var actions: [String]
    var withImplied: [String]
}

extension EventDecoder {
    /// Classifies one event and counts it into `partial`.
    mutating func record(
        _ event: ScannedEvent, scanner: JSONScanner,
        into partial: inout FilePartial, dedupe: Dedupe
    ) {
        let time =
            event.eventTime.isPresent
            ? EventTime.parse(
                UnsafeRawBufferPointer(
                    start: scanner.base + event.eventTime.start,
                    count: event.eventTime.count))
            : nil
        guard window.contains(time) else {
            partial.findings.aggregate.eventsOutsideWindow += 1
            return
        }

        if event.eventID.isNonEmpty {
            // A copy is the same record byte for byte (CloudTrail writes one record and
            // delivers it twice); records that only share an eventID are different events.
            let id = UnsafeRawBufferPointer(
                start: scanner.base + event.eventID.start,
                count: event.eventID.count)
            let key = EventKey(eventID: id).mixing(
                UnsafeRawBufferPointer(start: scanner.base, count: scanner.end),
                seed: dedupe.contentSeed)
            switch dedupe {
            case .claim(let claims, let file, let day):
                switch claims.claim(key, file: file, day: day) {
                case .claimed:
                    partial.claimedKeys.append(key, limit: claims.keyListLimit)
                case .duplicate(let owner, let others, let settled):
                    partial.duplicates += 1
                    // A copy of an event this file counts itself, or a committed file counts,
                    // is never recovered.
                    if !settled, owner != file, !others.contains(file) {
                        partial.droppedCopies.append(
                            DroppedCopy(key: key, owner: owner, others: others))
                        partial.keyOwners.insert(owner)
                        if !others.isEmpty { partial.keyOwners.formUnion(others) }
                    }
                    return
                }
            case .only(let filter):
                guard filter.admit(key) else { return }
            }
        }

        let facts = EventFacts(
            event, scanner: scanner, strings: &strings,
            keepAccessKey: filter?.needsAccessKey ?? false, keepLinks: collectsTrace)
        let mapped = self.actions(for: facts)
        let actions =
            mapped.withImplied.count == mapped.actions.count
            ? mapped.actions : Self.actions(mapped, usedBy: facts)
        facts.impliedActionCount = actions.count - mapped.actions.count
        let principal = principal(of: facts.identity)
        if let timeline {
            partial.findings.timeline.record(
                facts, principal: principal, actions: actions, time: time, query: timeline)
            return
        }
        if collectsTrace {
            partial.findings.trace.record(
                facts, principal: principal, actions: actions, time: time,
                eventID: scanner.string(event.eventID))
            return
        }
        if let filter {
            guard filter.matches(facts, principal: principal, actions: actions) else { return }
            partial.findings.matches.append(
                MatchedEvent(
                    facts, principal: principal, actions: actions, time: time,
                    record: UnsafeRawBufferPointer(start: scanner.base, count: scanner.end),
                    eventID: scanner.string(event.eventID)))
            return
        }
        partial.findings.count(
            facts, principal: principal, actions: actions, time: time, perDay: countsPerDay)
    }

    /// The actions of a call whose request implied some: what the request implied was used
    /// only if the call was authorized. A call that failed authentication used no permission;
    /// a denied call does not show which it lacked, unless its message names one of them (a
    /// CreateRole with tags denied for iam:TagRole is a denial of iam:TagRole).
    private static func actions(_ mapped: MappedActions, usedBy facts: EventFacts) -> [String] {
        let implied = mapped.withImplied[mapped.actions.count...]
        switch facts.outcome {
        case .succeeded:
            return mapped.withImplied
        case .failed:
            return EventOutcome.isAuthenticationFailure(facts.errorCode)
                ? mapped.actions : mapped.withImplied
        case .denied:
            let message = DenialMessage(
                errorCode: facts.errorCode ?? "", errorMessage: facts.errorMessage)
            guard let name = message.action?.lowercased(),
                let named = implied.first(where: { $0.lowercased() == name })
            else { return mapped.actions }
            return mapped.actions + [named]
        }
    }

    /// The principal of an identity; role sessions, nearly every event, are remembered by
    /// their issuer ARN so the folding rules run once per role.
    private mutating func principal(of identity: IdentityFields) -> Principal {
        guard identity.type == "AssumedRole", let issuer = identity.issuerArn,
            identity.delegateAccountId == nil
        else {
            return Principal(identity: identity)
        }
        if let known = principalCache[issuer] { return known }
        let principal = Principal(identity: identity)
        // Only when the issuer alone decided it (it names a role); else the session ARN did.
        if principal.id == issuer {
            if principalCache.count >= EventDecoder.cacheLimit {
                principalCache.removeAll(keepingCapacity: true)
            }
            principalCache[issuer] = principal
        }
        return principal
    }

    /// IAM actions of the event, cached per eventSource, eventName and request traits.
    private mutating func actions(for facts: EventFacts) -> MappedActions {
        guard let source = facts.eventSource, let name = facts.eventName else {
            return MappedActions(actions: [], withImplied: [])
        }
        let key = ActionCacheKey(source: source, name: name, request: facts.request)
        if let cached = actionCache[key] { return cached }
        let actions = IAMActionMapping.actions(
            eventSource: source, eventName: name, request: facts.request)
        let mapped = MappedActions(
            actions: actions,
            withImplied: actions
                + IAMActionMapping.impliedActions(of: actions, request: facts.request))
        if actionCache.count >= EventDecoder.cacheLimit {
            actionCache.removeAll(keepingCapacity: true)
        }
        actionCache[key] = mapped
        return mapped
    }
}

/// The decoded fields of one event that classification and counting use.
///
/// A class: built once per event and only read after, by reference. As a struct of some 30
/// strings its initializer copied it whole (30 retains and releases an event, 1.3% of a run's
/// instructions), more than one allocation costs.
final class EventFacts {
    var eventSource: String?
    var eventName: String?
    var region: String?
    var sourceIP: String?
    var userAgent: String?
    var errorCode: String?
    var errorMessage: String?
    /// How the call ended, from `errorCode` and, for a code of no known shape, `errorMessage`.
    var outcome = EventOutcome.succeeded
    var recipientAccount: String?
    var identity = IdentityFields()
    var identityAccount: String?
    /// The session name of an assumed-role caller.
    var sessionName: String?
    /// A federated user's issuer: the IAM user (or root) whose GetFederationToken issued its
    /// credentials (`sessionIssuer.arn`). Its calls are allowed by that user's policies and the
    /// session policy together (STS API reference, GetFederationToken), so `unused` and
    /// `suggest` count them as use of the user's permissions.
    var federationIssuer: String?
    var roleArn: String?
    var roleSessionName: String?
    var webIdentitySubject: String?
    var samlSubject: String?
    /// `responseElements.audience` of AssumeRoleWithWebIdentity/SAML: the token's `aud`.
    var audience: String?
    /// `requestParameters.targetPrincipal` of AssumeRoot: the member account.
    var rootTargetAccount: String?
    /// What the request asks for beyond its action (`RequestTraits`).
    var request: RequestTraits = []
    /// How many of the event's actions, at the end of its list, are permissions its request
    /// implied (tags on what it creates, an S3 ACL header: `IAMActionMapping.impliedActions`)
    /// rather than the call's own.
    var impliedActionCount = 0
    var resources: [String] = []
    /// The objects an S3 copy reads (its s3:GetObject resources; empty when the event lists
    /// none); nil for any other event.
    var copySources: [String]? = nil
    /// Only kept when a filter or a trace asks for it: a session's key is unique, not worth
    /// interning.
    var accessKeyId: String?
    /// Trace links, kept only when tracing: the key an STS call issued, and so on.
    var issuedAccessKeyId: String?
    var federatedUserArn: String?
    var federatedName: String?
    var sourceIdentity: String?

    init(
        _ event: ScannedEvent, scanner: JSONScanner, strings: inout StringTable,
        keepAccessKey: Bool = false, keepLinks: Bool = false
    ) {
        if keepAccessKey || keepLinks, event.identity.accessKeyId.isNonEmpty {
            accessKeyId = scanner.string(event.identity.accessKeyId)
        }
        if keepLinks {
            if event.response.issuedAccessKeyId.isNonEmpty {
                issuedAccessKeyId = scanner.string(event.response.issuedAccessKeyId)
            }
            federatedUserArn = strings.string(event.response.federatedUserArn, in: scanner)
            federatedName = strings.string(event.request.name, in: scanner)
            sourceIdentity =
                strings.string(event.identity.sourceIdentity, in: scanner)
                ?? strings.string(event.response.sourceIdentity, in: scanner)
        }
        eventSource = strings.string(event.eventSource, in: scanner)
        eventName = strings.string(event.eventName, in: scanner)
        region = strings.string(event.awsRegion, in: scanner)
        sourceIP = strings.string(event.sourceIPAddress, in: scanner)
        userAgent = strings.string(event.userAgent, in: scanner)
        errorCode = strings.string(event.errorCode, in: scanner)
        if errorCode != nil {
            errorMessage = strings.string(event.errorMessage, in: scanner)
            outcome = EventOutcome(errorCode: errorCode, errorMessage: errorMessage)
        }
        recipientAccount = strings.string(event.recipientAccountId, in: scanner)

        let scanned = event.identity
        identity.type = strings.string(scanned.type, in: scanner)
        identity.arn = strings.string(scanned.arn, in: scanner)
        identity.accountId = strings.string(scanned.accountId, in: scanner)
        identity.invokedBy = strings.string(scanned.invokedBy, in: scanner)
        identity.issuerArn = strings.string(scanned.issuerArn, in: scanner)
        identity.delegateAccountId = strings.string(scanned.delegateAccountId, in: scanner)
        // Role sessions and users with an ARN are named by it; the other fields only name the
        // rarer callers, and a session's principalId is unique per session (no use interning).
        let namedByARN =
            (identity.type == "AssumedRole" && identity.issuerArn != nil)
            || (identity.type == "IAMUser" && identity.arn != nil)
        if !namedByARN {
            identity.principalId = strings.string(scanned.principalId, in: scanner)
            identity.userName = strings.string(scanned.userName, in: scanner)
            identity.identityProvider = strings.string(scanned.identityProvider, in: scanner)
            identity.onBehalfOfUserId = strings.string(scanned.onBehalfOfUserId, in: scanner)
            identity.samlProviderArn = strings.string(event.request.principalArn, in: scanner)
        }
        identity.region = region
        identityAccount = identity.accountId

        let request = event.request
        roleArn = strings.string(request.roleArn, in: scanner)
        roleSessionName = strings.string(request.roleSessionName, in: scanner)
        self.request = request.traits
        rootTargetAccount = strings.string(request.targetPrincipal, in: scanner)
        webIdentitySubject = strings.string(event.response.subjectFromWebIdentityToken, in: scanner)
        samlSubject = strings.string(event.response.subject, in: scanner)
        audience = strings.string(event.response.audience, in: scanner)
        if identity.type == "FederatedUser", let issuer = identity.issuerArn, !issuer.isEmpty {
            federationIssuer = issuer
        } else if identity.type == "AssumedRole", scanned.arn.isNonEmpty {
            if !scanned.arn.hasEscapes {
                let arn = UnsafeRawBufferPointer(
                    start: scanner.base + scanned.arn.start, count: scanned.arn.count)
                if let range = ARN.sessionNameRange(in: arn), !range.isEmpty {
                    sessionName = strings.intern(UnsafeRawBufferPointer(rebasing: arn[range]))
                }
            } else if let arn = identity.arn {
                // Written with escapes (`\/` by some exporters): from the decoded text.
                sessionName = Array(arn.utf8).withUnsafeBytes { bytes in
                    ARN.sessionNameRange(in: bytes).flatMap { range in
                        range.isEmpty
                            ? nil : strings.intern(UnsafeRawBufferPointer(rebasing: bytes[range]))
                    }
                }
            }
        }

        (resources, copySources) = ResourceDerivation.resources(
            of: event, scanner: scanner, strings: &strings, facts: self)
    }
}
