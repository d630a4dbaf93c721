/// A UTC calendar day, counted from 1970-01-01.
package typealias DayNumber = Int32

extension DayNumber {
    /// The UTC day `time` falls on.
    package init(day time: EpochSeconds) {
        self = DayNumber(truncatingIfNeeded: time >= 0 ? time / 86_400 : (time - 86_399) / 86_400)
    }

    /// Midnight UTC at the start of the day.
    package var start: EpochSeconds { EpochSeconds(self) * 86_400 }
}

/// Which days each account and region has events on: the evidence that a window holds logs,
/// so "unused" is never claimed over days nobody delivered.
package struct Coverage: Sendable {
    /// One account in one region; an empty string stands for a field the events left out.
    package struct Key: Sendable, Hashable, Comparable {
        package var account: String
        package var region: String

        /// The account and region as a reader sees them: an event without a
        /// `recipientAccountId` or `awsRegion` is "(no account)" or "(no region)" there.
        package var label: String { Coverage.label(account: account, region: region) }

        package init(account: String, region: String) {
            self.account = account
            self.region = region
        }

        package static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.account, lhs.region) < (rhs.account, rhs.region)
        }
    }

    /// Days with at least one event, per account and region.
    package private(set) var days: [Key: Set<DayNumber>] = [:]
    /// The last day recorded: events come in runs of one account, region and day.
    private var last: (key: Key, day: DayNumber)? = nil

    package init() {}

    /// Whether no day was recorded.
    package var isEmpty: Bool { days.isEmpty }

    /// Records an event of `account` in `region` at `time`.
    @inline(__always)
    package mutating func see(account: String?, region: String?, at time: EpochSeconds) {
        let day = DayNumber(day: time)
        let key = Key(account: account ?? "", region: region ?? "")
        if let last, last.day == day, last.key == key { return }
        days[key, default: []].insert(day)
        last = (key, day)
    }

    /// Adds the days another partial coverage saw.
    package mutating func merge(_ other: Coverage) {
        for (key, seen) in other.days { days[key, default: []].formUnion(seen) }
    }

    /// The days of `account` (any region) with events.
    package func days(ofAccount account: String) -> Set<DayNumber> {
        var union: Set<DayNumber> = []
        for (key, seen) in days where key.account == account { union.formUnion(seen) }
        return union
    }

    /// The regions `account` has events from, sorted.
    package func regions(ofAccount account: String) -> [String] {
        Set(days.keys.filter { $0.account == account && !$0.region.isEmpty }.map(\.region))
            .sorted()
    }

    /// The runs of days in `range` on which `account` has no event in any region.
    package func gaps(ofAccount account: String, in range: ClosedRange<DayNumber>)
        -> [ClosedRange<DayNumber>]
    {
        let seen = days(ofAccount: account)
        var gaps: [ClosedRange<DayNumber>] = []
        var start: DayNumber? = nil
        for day in range {
            if seen.contains(day) {
                if let open = start { gaps.append(open...(day - 1)) }
                start = nil
            } else if start == nil {
                start = day
            }
        }
        if let open = start { gaps.append(open...range.upperBound) }
        return gaps
    }
}

extension Coverage {
    /// `account region`, with "(no account)" or "(no region)" for an empty one.
    package static func label(account: String, region: String) -> String {
        (account.isEmpty ? "(no account)" : account) + " "
            + (region.isEmpty ? "(no region)" : region)
    }
}
