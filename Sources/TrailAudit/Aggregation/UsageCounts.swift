/// Outcome counts with first and last time seen; merging is order-independent.
package struct UsageCounts: Sendable, Equatable {
    package var succeeded = 0
    package var denied = 0
    package var failed = 0
    package var firstSeen: EpochSeconds? = nil
    package var lastSeen: EpochSeconds? = nil

    package init() {}

    /// All calls counted.
    package var total: Int { succeeded + denied + failed }

    /// Counts one call.
    @inline(__always)
    package mutating func record(_ outcome: EventOutcome, at time: EpochSeconds?) {
        switch outcome {
        case .succeeded: succeeded += 1
        case .denied: denied += 1
        case .failed: failed += 1
        }
        see(time)
    }

    /// Widens the first/last window to include `time`.
    @inline(__always)
    package mutating func see(_ time: EpochSeconds?) {
        guard let time else { return }
        if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
        if lastSeen.map({ time > $0 }) ?? true { lastSeen = time }
    }

    /// Adds another partial count.
    package mutating func merge(_ other: UsageCounts) {
        succeeded += other.succeeded
        denied += other.denied
        failed += other.failed
        see(other.firstSeen)
        see(other.lastSeen)
    }
}

/// A set that keeps the `limit` smallest members it was given, so merging stays deterministic
/// and memory stays bounded whatever the input (S3 object keys, session names). Members are
/// told apart by their bytes (`ExactString`): two spellings of one key are two objects to S3.
///
/// Holds up to twice `limit` between trims; a trim keeps the smallest `limit` and remembers the
/// largest of them, above which nothing can enter again. Amortised O(log limit) per insert.
package struct BoundedSet: Sendable {
    /// How many members a set keeps before it reports itself truncated.
    package static let defaultLimit = 1000

    private var storage: Set<ExactString> = []
    /// Whether more than `limit` distinct members were seen.
    package var isTruncated: Bool { dropped || storage.count > limit }
    private var dropped = false
    package let limit: Int
    /// After a trim: the largest member kept; anything not smaller is dropped on arrival.
    private var cutoff: ExactString? = nil
    /// The member inserted last: it is kept, or was dropped and would be again, so meeting it
    /// again (a principal's session, event after event) needs no hashing.
    private var recent: ExactString? = nil

    package init(limit: Int = BoundedSet.defaultLimit) {
        self.limit = limit
    }

    /// A set restored from storage: the members it kept, and whether it had seen more.
    package init(
        members: some Sequence<String>, truncated: Bool, limit: Int = BoundedSet.defaultLimit
    ) {
        self.init(limit: limit)
        for member in members { insert(member) }
        dropped = dropped || truncated
    }

    /// Adds `member` unless `limit` smaller members are already known.
    package mutating func insert(_ member: String) {
        insert(ExactString(member))
    }

    private mutating func insert(_ member: ExactString) {
        if member == recent { return }
        recent = member
        if let cutoff, member >= cutoff {
            if member != cutoff { dropped = true }
            return
        }
        storage.insert(member)
        if storage.count >= 2 * limit { trim() }
    }

    /// Adds every member of `other`.
    package mutating func merge(_ other: BoundedSet) {
        // Into a set that holds nothing yet (what a principal or action brings to a merge
        // for the first time): the other whole, no member hashed again.
        if storage.isEmpty, !dropped, cutoff == nil, limit == other.limit {
            self = other
            return
        }
        dropped = dropped || other.dropped
        for member in other.storage { insert(member) }
    }

    /// The kept members in ascending order (`ExactString`'s).
    package var sorted: [String] { storage.sorted().prefix(limit).map(\.value) }

    /// Number of members kept.
    package var count: Int { min(storage.count, limit) }

    /// Whether nothing was inserted.
    package var isEmpty: Bool { storage.isEmpty }

    private mutating func trim() {
        let kept = storage.sorted().prefix(limit)
        storage = Set(kept)
        cutoff = kept.last
        dropped = true
    }
}

/// Occurrence counts per value (source IPs, user agents) for the `limit` smallest values, and
/// how many occurrences the values not kept had. Bounded whatever the input (whoever sends
/// requests to a public bucket chooses the user agent of every data event), and, like
/// `BoundedSet`, the same whatever order it is filled and merged in: a value is dropped only
/// when `limit` smaller values are known, and those are in any union it is merged into, so the
/// values kept at the end are the `limit` smallest of all, with exact counts.
package struct BoundedTally: Sendable {
    /// How many values a tally keeps.
    package static let defaultLimit = 1000

    private var storage: [ExactString: Int] = [:]
    /// Occurrences of values dropped so far (not counting those above `limit` in `storage`).
    private var dropped = 0
    package let limit: Int
    /// After a trim: the largest value kept; anything larger is dropped on arrival.
    private var cutoff: ExactString? = nil
    /// The value added last and its occurrences not yet counted in `storage`: a principal's
    /// events mostly repeat its address and agent, and those need no hashing. Every reading
    /// counts them first (`settled`).
    private var recent: ExactString? = nil
    private var recentCount = 0

    package init(limit: Int = BoundedTally.defaultLimit) {
        self.limit = limit
    }

    /// Counts `count` more occurrences of `value`.
    package mutating func add(_ value: String, count: Int = 1) {
        let value = ExactString(value)
        if value == recent {
            recentCount += count
            return
        }
        settle()
        recent = value
        recentCount = count
    }

    /// Counts the occurrences of `recent` held back.
    private mutating func settle() {
        guard let value = recent.take() else { return }
        add(value, count: recentCount)
        recentCount = 0
    }

    private mutating func add(_ value: ExactString, count: Int) {
        if let cutoff, value > cutoff {
            dropped += count
            return
        }
        storage[value, default: 0] += count
        if storage.count >= 2 * limit { trim() }
    }

    /// Adds every count of `other`.
    package mutating func merge(_ other: BoundedTally) {
        // Into an empty tally: the other whole (see `BoundedSet.merge`).
        if storage.isEmpty, dropped == 0, cutoff == nil, recent == nil, limit == other.limit {
            self = other
            return
        }
        settle()
        dropped += other.dropped
        for (value, count) in other.storage { add(value, count: count) }
        if let value = other.recent { add(value, count: other.recentCount) }
    }

    /// Records occurrences of values not kept (a tally restored from storage).
    package mutating func addUnlisted(_ count: Int) {
        dropped += count
    }

    /// The kept values and their counts, smallest value first, and the occurrences of the
    /// values not kept, with `recent`'s counted in; `storage` is read, not copied.
    package var listing: (kept: [(key: String, count: Int)], unlisted: Int) {
        var entries = storage.sorted { $0.key < $1.key }
        var unlisted = dropped
        if let recent {
            if let cutoff, recent > cutoff {
                unlisted += recentCount
            } else {
                var low = 0
                var high = entries.count
                while low < high {
                    let middle = (low + high) / 2
                    if entries[middle].key < recent { low = middle + 1 } else { high = middle }
                }
                if low < entries.count, entries[low].key == recent {
                    entries[low].value += recentCount
                } else {
                    entries.insert((key: recent, value: recentCount), at: low)
                }
            }
        }
        for entry in entries.dropFirst(limit) { unlisted += entry.value }
        let kept = entries.prefix(limit).map { (key: $0.key.value, count: $0.value) }
        return (kept, unlisted)
    }

    /// The kept values and their counts, smallest value first.
    package var kept: [(key: String, count: Int)] { listing.kept }

    /// Occurrences of the values not kept.
    package var unlisted: Int { listing.unlisted }

    /// `kept` (of a `listing`) by descending count, ties by value.
    package static func ranked(_ kept: [(key: String, count: Int)]) -> [(key: String, count: Int)] {
        kept.sorted {
            $0.count != $1.count ? $0.count > $1.count : ExactString.precedes($0.key, $1.key)
        }
    }

    package var isEmpty: Bool { storage.isEmpty && dropped == 0 && recent == nil }

    private mutating func trim() {
        let sorted = storage.sorted { $0.key < $1.key }
        for (_, count) in sorted.dropFirst(limit) { dropped += count }
        storage = Dictionary(uniqueKeysWithValues: sorted.prefix(limit).map { ($0.key, $0.value) })
        cutoff = sorted[limit - 1].key
    }
}
