import Foundation
import Synchronization

/// Which file counts each event, shared by every worker: the first file to claim an event's
/// key counts it, later copies are dropped as duplicates.
///
/// Sharded by key so workers rarely wait on each other. A file that fails gives its claims
/// back, and files that dropped copies of those events are re-read for exactly them at the
/// end of the run (see `Worker+Commit.swift`), so a broken file never hides an event.
///
/// Bounded by a horizon in large runs: CloudTrail delivers a copy of an event in a later file
/// of the same trail, mostly minutes after the first (facts §4.4). With `horizonDays`, once a
/// run has made `forgetAfter` claims, a full shard forgets the claims of files delivered more
/// than the horizon plus a day before the oldest file still being read (the run reads
/// S3-layout files in delivery order, after the files without a delivery time), so memory
/// follows the events of the horizon, not of the whole run. A copy within the horizon of its
/// original is always found, however the workers race; files without a delivery time in
/// their name keep their claims.
package final class EventClaims: @unchecked Sendable {
    /// Days a claim is kept after its file's delivery day; nil keeps every claim.
    let horizonDays: DayNumber?

    /// Claims a run makes before it may forget any: runs of up to this many events drop every
    /// copy, whatever its distance.
    let forgetAfter: Int

    package init(horizonDays: Int? = nil, forgetAfter: Int = EventClaims.defaultForgetAfter) {
        self.horizonDays = horizonDays.map { DayNumber(clamping: $0) }
        self.forgetAfter = forgetAfter
    }

    /// The day of a file without a delivery time: its claims are never forgotten.
    package static let timeless = DayNumber.max

    /// The default `forgetAfter`: about a gigabyte of logs.
    package static let defaultForgetAfter = 786_432

    /// Set once the shards' claims pass `forgetAfter`.
    private let forgetting = Atomic<Bool>(false)
    /// Delivery days of the files being read, and the oldest of them.
    private let reading = NSLock()
    private var daysBeingRead: [DayNumber: Int] = [:]
    private let oldestBeingRead = Atomic<DayNumber>(EventClaims.timeless)

    /// A worker starts reading a file delivered on `day`.
    package func started(day: DayNumber) {
        reading.withLock {
            daysBeingRead[day, default: 0] += 1
            oldestBeingRead.store(daysBeingRead.keys.min()!, ordering: .relaxed)
        }
    }

    /// Every record of a file delivered on `day` has been claimed or dropped.
    package func finished(day: DayNumber) {
        reading.withLock {
            daysBeingRead[day, default: 1] -= 1
            if daysBeingRead[day] == 0 { daysBeingRead[day] = nil }
            oldestBeingRead.store(
                daysBeingRead.keys.min() ?? EventClaims.timeless, ordering: .relaxed)
        }
    }

    // Unchecked: each shard's table is only touched under that shard's lock.
    private final class Shard {
        let lock = NSLock()
        var table = ClaimTable()
        /// Claims this shard made for files of the run (bumped under `lock`, summed by any).
        let made = Atomic<Int>(0)
    }

    /// What a claim found.
    package enum Claim: Equatable {
        case claimed
        case duplicate(owner: Int32)
    }

    /// The owner of events counted by an earlier run (keys the nightly state kept).
    package static let earlierRun = Int32.max

    private static let shardCount = 64
    private let shards = (0..<EventClaims.shardCount).map { _ in Shard() }

    private func shard(_ key: EventKey) -> Shard {
        shards[Int(truncatingIfNeeded: key.high) & (EventClaims.shardCount - 1)]
    }

    /// Claims `key` for file `file`, delivered on `day`, unless some file (maybe the same one)
    /// has it.
    package func claim(_ key: EventKey, file: Int32, day: DayNumber = EventClaims.timeless)
        -> Claim
    {
        let shard = shard(key)
        return shard.lock.withLock {
            let owner = shard.table.insert(key, owner: file, day: day) { forgetBefore() }
            if let owner { return .duplicate(owner: owner) }
            if file != EventClaims.earlierRun { shard.made.add(1, ordering: .relaxed) }
            return .claimed
        }
    }

    /// What a full shard may forget: claims of files delivered before the returned day, or
    /// nothing (nil) while the run has made fewer than `forgetAfter` claims in all.
    private func forgetBefore() -> DayNumber? {
        guard let horizonDays else { return nil }
        if !forgetting.load(ordering: .relaxed) {
            let made = shards.reduce(0) { $0 + $1.made.load(ordering: .relaxed) }
            guard made > forgetAfter else { return nil }
            forgetting.store(true, ordering: .relaxed)
        }
        let oldest = oldestBeingRead.load(ordering: .relaxed)
        return oldest == EventClaims.timeless ? nil : oldest &- horizonDays &- 1
    }

    /// Marks `keys` as counted by an earlier run: copies of them are duplicates now.
    package func preload(_ keys: some Sequence<EventKey>) {
        for key in keys { _ = claim(key, file: EventClaims.earlierRun) }
    }

    /// Gives back the keys `file` claimed.
    package func release(_ keys: [EventKey], file: Int32) {
        for key in keys {
            let shard = shard(key)
            shard.lock.withLock { shard.table.remove(key, ifOwnedBy: file) }
        }
    }
}

/// Open-addressing table from event key to owning file.
///
/// Keys are GUID bits (or a 128-bit hash), already uniform, so the low word is the hash: no
/// hashing per lookup. Removal leaves a tombstone (owner -1) that later inserts may reuse.
struct ClaimTable {
    private var highs: [UInt64] = Array(repeating: 0, count: 256)
    private var lows: [UInt64] = Array(repeating: 0, count: 256)
    /// -2 empty, -1 removed, otherwise the owning file.
    private var owners: [Int32] = Array(repeating: -2, count: 256)
    /// Delivery day of the claiming file (`EventClaims.timeless` when unknown).
    private var days: [DayNumber] = Array(repeating: 0, count: 256)
    private var used = 0

    /// Inserts `key` for `owner` of `day`; returns the existing owner instead if the key is
    /// present. When the table is full, claims of days before `forgetBefore` are dropped
    /// first, and it only grows if that frees less than half of it.
    mutating func insert(
        _ key: EventKey, owner: Int32, day: DayNumber = EventClaims.timeless,
        forgetBefore floor: () -> DayNumber? = { nil }
    ) -> Int32? {
        if (used + 1) * 4 > owners.count * 3 { rebuild(forgetBefore: floor()) }  // load <= 3/4
        let mask = owners.count - 1
        var slot = Int(truncatingIfNeeded: key.low) & mask
        var reusable: Int? = nil
        while owners[slot] != -2 {
            if owners[slot] == -1 {
                if reusable == nil { reusable = slot }
            } else if highs[slot] == key.high && lows[slot] == key.low {
                return owners[slot]
            }
            slot = (slot + 1) & mask
        }
        let target = reusable ?? slot
        if reusable == nil { used += 1 }
        highs[target] = key.high
        lows[target] = key.low
        owners[target] = owner
        days[target] = day
        return nil
    }

    /// Removes `key` if `owner` holds it.
    mutating func remove(_ key: EventKey, ifOwnedBy owner: Int32) {
        let mask = owners.count - 1
        var slot = Int(truncatingIfNeeded: key.low) & mask
        while owners[slot] != -2 {
            if owners[slot] >= 0, highs[slot] == key.high, lows[slot] == key.low {
                if owners[slot] == owner { owners[slot] = -1 }
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Claims held (tombstones aside).
    var count: Int { owners.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    /// Re-inserts the live claims (with a floor, only those of `forgetBefore` or later) into a
    /// table of the same size if they fill at most 3/8 of it, else of twice the size.
    private mutating func rebuild(forgetBefore floor: DayNumber?) {
        let kept = owners.indices.filter {
            owners[$0] >= 0 && (floor == nil || days[$0] >= floor!)
        }
        let capacity = kept.count * 8 <= owners.count * 3 ? owners.count : owners.count * 2
        let old = (highs, lows, owners, days)
        highs = Array(repeating: 0, count: capacity)
        lows = Array(repeating: 0, count: capacity)
        owners = Array(repeating: -2, count: capacity)
        days = Array(repeating: 0, count: capacity)
        used = 0
        for index in kept {
            _ = insert(
                EventKey(high: old.0[index], low: old.1[index]), owner: old.2[index],
                day: old.3[index])
        }
    }
}

/// How a decoder decides whether an event with a key is counted.
package enum Dedupe {
    /// Claim each key for this file, delivered on `day`, in the shared table (the normal read).
    case claim(EventClaims, file: Int32, day: DayNumber)
    /// Count only these keys, each once (re-reading a file for events it dropped).
    case only(DedupeFilter)
}
