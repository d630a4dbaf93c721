import Foundation

/// Which file counts each event, shared by every worker: the first file to claim an event's
/// key counts it, later copies are dropped as duplicates.
///
/// Sharded by key so workers rarely wait on each other. A file that fails gives its claims
/// back, and files that dropped copies of those events are re-read for exactly them at the
/// end of the run (see `Worker+Commit.swift`), so a broken file never hides an event.
package final class EventClaims: @unchecked Sendable {
    // Unchecked: each shard's dictionary is only touched under that shard's lock.
    private final class Shard {
        let lock = NSLock()
        var owners: [EventKey: Int32] = [:]
    }

    /// What a claim found.
    package enum Claim: Equatable {
        case claimed
        case duplicate(owner: Int32)
    }

    private static let shardCount = 64
    private let shards = (0..<EventClaims.shardCount).map { _ in Shard() }

    private func shard(_ key: EventKey) -> Shard {
        shards[Int(truncatingIfNeeded: key.low) & (EventClaims.shardCount - 1)]
    }

    /// Claims `key` for file `file`, unless some file (maybe the same one) has it.
    package func claim(_ key: EventKey, file: Int32) -> Claim {
        let shard = shard(key)
        return shard.lock.withLock {
            if let owner = shard.owners[key] { return .duplicate(owner: owner) }
            shard.owners[key] = file
            return .claimed
        }
    }

    /// Gives back the keys `file` claimed.
    package func release(_ keys: [EventKey], file: Int32) {
        for key in keys {
            let shard = shard(key)
            shard.lock.withLock {
                if shard.owners[key] == file { shard.owners[key] = nil }
            }
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
