/// What a run collects from events, by command: counts for `report`, matches for `events`,
/// links for `trace`, activity for `timeline`. Mergeable in any order, like each part.
package struct Findings: Sendable {
    package var aggregate = Aggregate()
    /// The counts per day instead of `aggregate`, with `RunOptions.countsPerDay` (ingest).
    package var daily = DailyAggregates()
    package var matches: MatchList
    package var trace = TraceIndex()
    package var timeline = TimelineAggregate()
    /// A file's events not counted yet (into `aggregate` or `daily`): counted where these
    /// findings are merged into (see `PendingEvents`).
    package var pending = PendingEvents()

    /// Creates empty findings that keep at most `matchLimit` matches.
    package init(matchLimit: Int? = nil) {
        matches = MatchList(limit: matchLimit)
    }

    /// Whether nothing was collected.
    package var isEmpty: Bool {
        aggregate.isEmpty && daily.isEmpty && matches.events.isEmpty && trace.isEmpty
            && timeline.isEmpty && pending.isEmpty
    }

    /// Counts one event of a file: held while the file is small (`PendingEvents`), else
    /// counted into `daily` (`perDay`) or `aggregate`.
    mutating func count(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?,
        perDay: Bool
    ) {
        if pending.hold(facts, principal: principal, actions: actions, time: time, perDay: perDay) {
            return
        }
        if perDay {
            daily.count(facts, principal: principal, actions: actions, time: time)
        } else {
            aggregate.count(facts, principal: principal, actions: actions, time: time)
        }
    }

    /// Counts the held events into `aggregate` or `daily`.
    package mutating func countPending() {
        pending.count(into: &aggregate, &daily)
    }

    /// These findings with every held event counted.
    package var settled: Findings {
        var copy = self
        copy.countPending()
        return copy
    }

    package mutating func merge(_ other: Findings) {
        aggregate.merge(other.aggregate)
        daily.merge(other.daily)
        matches.merge(other.matches)
        trace.merge(other.trace)
        timeline.merge(other.timeline)
        // The other's held events are counted here, never held again: a file decoded in
        // pieces holds at most one piece's worth.
        var held = other.pending
        held.count(into: &aggregate, &daily)
    }
}
