import Foundation

/// Which file counts each event, shared by every worker: the first file to claim an event's
/// key counts it, later copies are dropped as duplicates.
///
/// Sharded by key so workers rarely wait on each other. A file that fails gives its claims
/// back, and files that dropped copies of those events are re-read for exactly them at the
/// end of the run (see `Worker+Commit.swift`), so a broken file never hides an event.
package final class EventClaims: @unchecked Sendable {
    package init() {}

    // Unchecked: each shard's table is only touched under that shard's lock.
    private final class Shard {
        let lock = NSLock()
        var table = ClaimTable()
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

    /// Claims `key` for file `file`, unless some file (maybe the same one) has it.
    package func claim(_ key: EventKey, file: Int32) -> Claim {
        let shard = shard(key)
        return shard.lock.withLock {
            if let owner = shard.table.insert(key, owner: file) { return .duplicate(owner: owner) }
            return .claimed
        }
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
    private var used = 0

    /// Inserts `key` for `owner`; returns the existing owner instead if the key is present.
    mutating func insert(_ key: EventKey, owner: Int32) -> Int32? {
        if (used + 1) * 4 > owners.count * 3 { grow() }  // load factor at most 3/4
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

    private mutating func grow() {
        let old = (highs, lows, owners)
        let capacity = owners.count * 2
        highs = Array(repeating: 0, count: capacity)
        lows = Array(repeating: 0, count: capacity)
        owners = Array(repeating: -2, count: capacity)
        used = 0
        for index in old.2.indices where old.2[index] >= 0 {
            _ = insert(EventKey(high: old.0[index], low: old.1[index]), owner: old.2[index])
        }
    }
}

/// How a decoder decides whether an event with a key is counted.
package enum Dedupe {
    /// Claim each key for this file in the shared table (the normal read).
    case claim(EventClaims, file: Int32)
    /// Count only these keys, each once (re-reading a file for events it dropped).
    case only(DedupeFilter)
}
