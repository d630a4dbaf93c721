/// One event that passed the filter: the record as it was, and what the table shows of it.
package struct MatchedEvent: Sendable {
    package var time: EpochSeconds?
    /// The original record; for JSON Lines, only whitespace between tokens is changed.
    package var record: [UInt8]
    package var eventID: String
    package var principal: Principal
    package var session: String?
    /// The permissions the call used: its own actions, then those its request implied.
    package var actions: [String]
    /// How many of `actions`, at the end, the request implied (`EventFacts.impliedActionCount`).
    package var impliedActionCount = 0
    package var eventSource: String?
    package var eventName: String?
    package var resources: [String]
    package var outcome: EventOutcome
    package var errorCode: String?
    package var sourceIP: String?
    package var userAgent: String?
    package var account: String?
    package var region: String?

    /// Time order; ties by eventID, then by bytes, so the order never depends on the run.
    package static func precedes(_ lhs: MatchedEvent, _ rhs: MatchedEvent) -> Bool {
        let left = lhs.time ?? .min
        let right = rhs.time ?? .min
        if left != right { return left < right }
        if lhs.eventID != rhs.eventID { return lhs.eventID < rhs.eventID }
        return lhs.record.lexicographicallyPrecedes(rhs.record)
    }
}

/// Matched events kept in time order, at most `limit` of them (the earliest).
package struct MatchList: Sendable {
    package private(set) var events: [MatchedEvent] = []
    package let limit: Int?
    private var sorted = true

    package init(limit: Int?) {
        self.limit = limit
    }

    package mutating func append(_ event: MatchedEvent) {
        events.append(event)
        sorted = false
        if let limit, events.count >= 2 * max(limit, 512) { trim() }
    }

    package mutating func merge(_ other: MatchList) {
        for event in other.events { append(event) }
    }

    /// The kept events in time order.
    package func finished() -> [MatchedEvent] {
        var copy = self
        copy.trim()
        return copy.events
    }

    private mutating func trim() {
        if !sorted { events.sort(by: MatchedEvent.precedes) }
        sorted = true
        if let limit, events.count > limit { events.removeLast(events.count - limit) }
    }
}

extension MatchedEvent {
    init(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?,
        record: UnsafeRawBufferPointer, eventID: String
    ) {
        self.init(
            time: time, record: Array(record), eventID: eventID, principal: principal,
            session: facts.sessionName, actions: actions, eventSource: facts.eventSource,
            eventName: facts.eventName, resources: facts.namedResources,
            outcome: facts.outcome, errorCode: facts.errorCode,
            sourceIP: facts.sourceIP, userAgent: facts.userAgent,
            account: facts.recipientAccount ?? facts.identityAccount, region: facts.region)
        impliedActionCount = facts.impliedActionCount
    }
}

extension EventFacts {
    /// Every resource the event names: what it acts on, then the objects an S3 copy reads
    /// (who read object X must find its copies too).
    var namedResources: [String] {
        guard let copySources, !copySources.isEmpty else { return resources }
        return resources + copySources.filter { !resources.contains($0) }
    }
}
