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

/// A set that keeps at most `limit` members (the smallest), so merging stays deterministic.
package struct BoundedSet: Sendable {
    /// How many members a set keeps before it reports itself truncated.
    package static let defaultLimit = 1000

    package private(set) var members: Set<String> = []
    /// Set once a member had to be dropped.
    package private(set) var isTruncated = false
    package let limit: Int
    /// Cached largest member once the set is full; recomputed only when it is replaced.
    private var largest: String? = nil

    package init(limit: Int = BoundedSet.defaultLimit) {
        self.limit = limit
    }

    /// Adds `member`; past the limit, the largest member is dropped.
    package mutating func insert(_ member: String) {
        guard members.count >= limit else {
            members.insert(member)
            return
        }
        guard !members.contains(member) else { return }
        isTruncated = true
        if largest == nil { largest = members.max() }
        guard let current = largest, member < current else { return }
        members.remove(current)
        members.insert(member)
        largest = members.max()
    }

    /// Adds every member of `other`.
    package mutating func merge(_ other: BoundedSet) {
        isTruncated = isTruncated || other.isTruncated
        for member in other.members { insert(member) }
    }

    /// Members in ascending order.
    package var sorted: [String] { members.sorted() }
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
