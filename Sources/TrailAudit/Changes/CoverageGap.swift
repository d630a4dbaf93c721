/// Days without logs for one account and region: the evidence that "not seen" may mean
/// "not delivered" (facts §4.4: delivery is best effort, and a sync may have missed a prefix).
package struct CoverageGap: Sendable, Equatable {
    package var account: String
    package var region: String
    package var days: ClosedRange<DayNumber>

    package init(account: String, region: String, days: ClosedRange<DayNumber>) {
        self.account = account
        self.region = region
        self.days = days
    }

    /// The runs of days in `range` without events, for every account and region that has
    /// events somewhere in `coverage` or is among `streams` (known to log on other days), in
    /// account, region, day order.
    package static func gaps(
        in coverage: Coverage, days range: ClosedRange<DayNumber>,
        alsoFor streams: some Sequence<Coverage.Key> = [Coverage.Key]()
    ) -> [CoverageGap] {
        var gaps: [CoverageGap] = []
        for key in Set(coverage.days.keys).union(streams).sorted() {
            let seen = coverage.days[key] ?? []
            var start: DayNumber? = nil
            for day in range {
                if seen.contains(day) {
                    if let open = start {
                        gaps.append(
                            CoverageGap(
                                account: key.account, region: key.region, days: open...(day - 1)))
                    }
                    start = nil
                } else if start == nil {
                    start = day
                }
            }
            if let open = start {
                gaps.append(
                    CoverageGap(
                        account: key.account, region: key.region, days: open...range.upperBound))
            }
        }
        return gaps
    }
}

/// Per account and region, which days of a range have logs: `trailaudit coverage`.
package struct CoverageView: Sendable {
    package var range: ClosedRange<DayNumber>
    package var rows: [Row]
    /// Set when `--retain` deleted days the asked window reached: the range starts at the
    /// first day kept, and the days before it are unknown, not days without logs.
    package var retainedFrom: DayNumber? = nil

    /// One account in one region.
    package struct Row: Sendable {
        package var account: String
        package var region: String
        package var daysWithLogs: Int
        package var firstDay: DayNumber?
        package var lastDay: DayNumber?
        package var gaps: [ClosedRange<DayNumber>]
    }

    /// The view of `coverage` over `range`; with `fromFirstDay`, each account and region's
    /// gaps start at its own first day (an account onboarded late has no gap before it).
    package init(_ coverage: Coverage, range: ClosedRange<DayNumber>, fromFirstDay: Bool = false) {
        self.range = range
        rows = coverage.days.keys.sorted().map { key in
            let seen = (coverage.days[key] ?? []).filter { range.contains($0) }
            var own = Coverage()
            for day in seen { own.see(account: key.account, region: key.region, at: day.start) }
            let start = fromFirstDay ? (seen.min() ?? range.lowerBound) : range.lowerBound
            return Row(
                account: key.account, region: key.region, daysWithLogs: seen.count,
                firstDay: seen.min(), lastDay: seen.max(),
                gaps: CoverageGap.gaps(in: own, days: start...range.upperBound).map(\.days))
        }
    }
}

extension DayNumber {
    /// `2024-03-05`.
    package var dateText: String { String(EventTime.format(start).prefix(10)) }
}

extension ClosedRange where Bound == DayNumber {
    /// `2024-03-05` or `2024-03-05..2024-03-09`.
    package var dateText: String {
        lowerBound == upperBound
            ? lowerBound.dateText : "\(lowerBound.dateText)..\(upperBound.dateText)"
    }
}

extension StateStore {
    /// The coverage of `window`, or nil for an empty state. Without a window: every stored day,
    /// each account and region's gaps counted from its first day.
    package func coverage(window: TimeWindow) throws -> CoverageView? {
        guard let oldest = try oldestDay(), let newest = try newestDay() else { return nil }
        // Held to the days --retain kept (a window from the start reaches deleted days too).
        let (held, pruned) = try retained(window)
        let first = max(
            held.since.map { DayNumber(day: $0) } ?? oldest, window.since == nil ? oldest : .min)
        let last = window.until.map { DayNumber(day: $0) - 1 } ?? newest
        guard first <= last else {
            guard let pruned else { return nil }
            throw StateError(
                path: path,
                "the window ends \(last.dateText), before \(pruned.dateText), the first day"
                    + " --retain kept: its days were deleted")
        }
        let aggregate = try database.readTransaction {
            try loadAggregate(
                where: "day >= ? AND day <= ?", [.integer(Int64(first)), .integer(Int64(last))])
        }
        var view = CoverageView(
            aggregate.coverage, range: first...last,
            fromFirstDay: window.since == nil && window.until == nil)
        view.retainedFrom = pruned
        return view
    }
}
