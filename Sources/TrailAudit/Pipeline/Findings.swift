/// What a run collects from events, by command: counts for `report`, matches for `events`,
/// links for `trace`, activity for `timeline`. Mergeable in any order, like each part.
package struct Findings: Sendable {
    package var aggregate = Aggregate()
    /// The counts per day instead of `aggregate`, with `RunOptions.countsPerDay` (ingest).
    package var daily = DailyAggregates()
    package var matches: MatchList
    package var trace = TraceIndex()
    package var timeline = TimelineAggregate()

    /// Creates empty findings that keep at most `matchLimit` matches.
    package init(matchLimit: Int? = nil) {
        matches = MatchList(limit: matchLimit)
    }

    /// Whether nothing was collected.
    package var isEmpty: Bool {
        aggregate.isEmpty && daily.isEmpty && matches.events.isEmpty && trace.isEmpty
            && timeline.isEmpty
    }

    package mutating func merge(_ other: Findings) {
        aggregate.merge(other.aggregate)
        daily.merge(other.daily)
        matches.merge(other.matches)
        trace.merge(other.trace)
        timeline.merge(other.timeline)
    }
}
