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
/// and memory stays bounded whatever the input (S3 object keys, session names).
///
/// Holds up to twice `limit` between trims; a trim keeps the smallest `limit` and remembers the
/// largest of them, above which nothing can enter again. Amortised O(log limit) per insert.
package struct BoundedSet: Sendable {
    /// How many members a set keeps before it reports itself truncated.
    package static let defaultLimit = 1000

    private var storage: Set<String> = []
    /// Whether more than `limit` distinct members were seen.
    package var isTruncated: Bool { dropped || storage.count > limit }
    private var dropped = false
    package let limit: Int
    /// After a trim: the largest member kept; anything not smaller is dropped on arrival.
    private var cutoff: String? = nil

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
        if let cutoff, member >= cutoff {
            if member != cutoff { dropped = true }
            return
        }
        storage.insert(member)
        if storage.count >= 2 * limit { trim() }
    }

    /// Adds every member of `other`.
    package mutating func merge(_ other: BoundedSet) {
        dropped = dropped || other.dropped
        for member in other.storage { insert(member) }
    }

    /// The kept members in ascending order.
    package var sorted: [String] { Array(storage.sorted().prefix(limit)) }

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

/// Occurrence counts per value (source IPs, user agents).
package typealias Tally = [String: Int]

extension Dictionary where Value == Int {
    /// Adds another tally's counts.
    package mutating func merge(tally other: [Key: Int]) {
        merge(other, uniquingKeysWith: +)
    }

    /// Keys by descending count, ties by key.
    package func ranked() -> [(key: Key, count: Int)] where Key: Comparable {
        map { (key: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
    }
}
