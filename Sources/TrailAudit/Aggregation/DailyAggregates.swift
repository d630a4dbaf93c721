/// One aggregate per UTC day of `eventTime`, for the nightly state: days merge and prune on
/// their own, and any run of whole days merges into exactly the aggregate of a direct run.
package struct DailyAggregates: Sendable {
    /// The aggregate of each day; events without a readable time under `DayNumber.untimed`.
    package var days: [DayNumber: Aggregate] = [:]

    package init() {}

    /// Whether no day holds anything.
    package var isEmpty: Bool { days.isEmpty }

    /// Counts one event into the aggregate of its day.
    @inline(__always)
    mutating func count(
        _ facts: EventFacts, principal: Principal, actions: [String], time: EpochSeconds?
    ) {
        let day = time.map { DayNumber(day: $0) } ?? .untimed
        days[day, default: Aggregate()].count(
            facts, principal: principal, actions: actions, time: time)
    }

    /// Adds another partial day by day.
    package mutating func merge(_ other: DailyAggregates) {
        if days.isEmpty {
            self = other
            return
        }
        for (day, aggregate) in other.days { days[day, default: Aggregate()].merge(aggregate) }
    }

    /// Every day merged into one aggregate.
    package func merged() -> Aggregate {
        var total = Aggregate()
        for day in days.keys.sorted() { total.merge(days[day]!) }
        return total
    }
}

extension DayNumber {
    /// Where events without a readable `eventTime` are kept: they belong to every window
    /// (as in a direct run, which keeps them whatever `--since`/`--until` say).
    package static let untimed = DayNumber.min
}
