/// A file's first events, held to be counted where the file's counts go once it commits (the
/// worker's aggregate, or an ingest batch's days) instead of into an aggregate of its own.
///
/// A file counts all or nothing (it may fail at its last byte), so its events were counted
/// into an aggregate of the file's own, merged into the worker's when the file committed. For
/// the small files CloudTrail writes every five minutes (a few dozen events each) building that
/// aggregate (dictionaries and sets for each principal and action, freed at the commit) and
/// merging it cost about as much again as counting: on a tree of 10,000 such files, a fifth of
/// a report's instructions. Counting is order-independent, so counting the held events at the
/// commit gives the same result. Memory stays bounded: past `limit` events a file counts into
/// its own aggregate as before, and what is held is each event's facts, by reference.
package struct PendingEvents: Sendable {
    /// Events held before a file counts into an aggregate of its own.
    static let limit = 1024

    struct Event: Sendable {
        var facts: EventFacts
        var principal: Principal
        var actions: [String]
        var time: EpochSeconds?
    }

    private(set) var events: [Event] = []
    /// Whether the events are counted per day (ingest) rather than into one aggregate.
    private(set) var perDay = false
    /// Whether the file went past `limit`: its events were counted into its own aggregate.
    private(set) var overflowed = false

    package init() {}

    var isEmpty: Bool { events.isEmpty }

    /// Holds one event; false when `limit` events are held already (count it now instead).
    mutating func hold(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?,
        perDay: Bool
    ) -> Bool {
        guard !overflowed else { return false }
        guard events.count < PendingEvents.limit else {
            overflowed = true
            return false
        }
        self.perDay = perDay
        events.append(Event(facts: facts, principal: principal, actions: actions, time: time))
        return true
    }

    /// Counts the held events into `aggregate` or `days` (by how they were held), and lets go
    /// of them.
    mutating func count(into aggregate: inout Aggregate, _ days: inout DailyAggregates) {
        guard !perDay else { return count(into: &days) }
        for event in events {
            aggregate.count(
                event.facts, principal: event.principal, actions: event.actions, time: event.time)
        }
        events.removeAll()
    }

    /// Counts the held events into the aggregates of their days, and lets go of them.
    mutating func count(into days: inout DailyAggregates) {
        for event in events {
            days.count(
                event.facts, principal: event.principal, actions: event.actions, time: event.time)
        }
        events.removeAll()
    }

    /// The days the held events fall on (`DayNumber.untimed` for those without a time).
    var days: Set<DayNumber> {
        Set(events.map { $0.time.map { DayNumber(day: $0) } ?? .untimed })
    }
}

// Unchecked: an event's facts are set by its initializer and only read after it.
extension EventFacts: @unchecked Sendable {}
