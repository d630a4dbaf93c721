import Foundation
import Synchronization

/// Which file counts each event, shared by every worker: the first file to claim an event's
/// key counts it, later copies are dropped as duplicates.
///
/// Sharded by key so workers rarely wait on each other. A file that fails gives its claims
/// back, and files that dropped copies of those events are re-read for exactly them at the
/// end of the run (see `Worker+Commit.swift`), so a broken file never hides an event.
///
/// Bounded by a horizon: CloudTrail delivers a copy of an event in a later file of the same
/// trail, mostly minutes after the first (facts §4.4). With `horizonDays`, a file sees the
/// claims of files delivered at most the horizon plus a day before or after it (`reach`);
/// a copy further from every claim of its event is counted. Which copies count thus depends
/// on the files' delivery days only, never on how the workers raced or when a part of the
/// table filled: a full shard forgets the claims no file still to be read can see (those of
/// files delivered more than `reach` days before the oldest file being read; the run reads
/// S3-layout files in delivery order, after the files without a delivery time), so memory
/// follows the events of the horizon, not of the whole run. Files without a delivery time in
/// their name see every claim, and are seen by every file: their claims are kept, and nothing
/// is forgotten while one is being read.
package final class EventClaims: @unchecked Sendable {
    /// The duplicate horizon in days (see `reach`); nil: every claim is seen and kept.
    let horizonDays: DayNumber?

    /// How many days apart two files' deliveries may be for a claim of one to be seen by the
    /// other: the horizon plus a day (nil: every claim is seen).
    var reach: DayNumber? { horizonDays.map { $0 &+ 1 } }

    /// The seed of the record hash in every key claimed here (see `EventKey`): random, unless
    /// the keys are kept beyond the run.
    package let contentSeed: UInt64

    /// How many keys a file lists to give back if it fails (`ClaimedKeys`); nil: every key
    /// (`ingest` stores them).
    package let keyListLimit: Int?

    /// Keys a file lists by default: 1 MB of them.
    package static let defaultKeyListLimit = 1 << 16

    package init(
        horizonDays: Int? = nil, contentSeed: UInt64 = .random(in: .min ... .max),
        keyListLimit: Int? = EventClaims.defaultKeyListLimit
    ) {
        self.horizonDays = horizonDays.map { DayNumber(clamping: $0) }
        self.contentSeed = contentSeed
        self.keyListLimit = keyListLimit
    }

    /// The day of a file without a delivery time: its claims are never forgotten.
    package static let timeless = DayNumber.max

    /// Delivery days of the files being read, and the oldest of them (`timeless` when none,
    /// or when a file without a delivery time is among them: it sees every claim).
    private let reading = NSLock()
    private var daysBeingRead: [DayNumber: Int] = [:]
    private let oldestBeingRead = Atomic<DayNumber>(EventClaims.timeless)

    /// A worker starts reading a file delivered on `day`.
    package func started(day: DayNumber) {
        reading.withLock {
            daysBeingRead[day, default: 0] += 1
            publishOldest()
        }
    }

    /// Every record of a file delivered on `day` has been claimed or dropped.
    package func finished(day: DayNumber) {
        reading.withLock {
            daysBeingRead[day, default: 1] -= 1
            if daysBeingRead[day] == 0 { daysBeingRead[day] = nil }
            publishOldest()
        }
    }

    /// Under `reading`.
    private func publishOldest() {
        let oldest =
            daysBeingRead[EventClaims.timeless] != nil
            ? EventClaims.timeless : daysBeingRead.keys.min() ?? EventClaims.timeless
        oldestBeingRead.store(oldest, ordering: .relaxed)
    }

    // Unchecked: each shard's table is only touched under that shard's lock.
    private final class Shard {
        let lock = NSLock()
        var table = ClaimTable()
        /// Files committed, a bit each (each shard its own copy, read under its lock).
        var committed: [UInt64] = []

        func hasCommitted(_ file: Int32) -> Bool {
            if file == EventClaims.earlierRun { return true }
            let word = Int(file) >> 6
            return word < committed.count && committed[word] & (1 << (UInt64(file) & 63)) != 0
        }
    }

    /// `file` has committed: its claims stand (it never gives them back).
    package func committed(file: Int32) {
        let word = Int(file) >> 6
        for shard in shards {
            shard.lock.withLock {
                if shard.committed.count <= word {
                    shard.committed += repeatElement(0, count: word + 1 - shard.committed.count)
                }
                shard.committed[word] |= 1 << (UInt64(file) & 63)
            }
        }
    }

    /// What a claim found.
    package enum Claim: Equatable {
        case claimed
        /// A copy: `owner` holds a claim of the key this file sees, and so do `others`
        /// (all larger; usually none), so that the copy is counted after all only if every
        /// one of them fails. `settled`: `owner` has committed (or is an earlier run), so the
        /// copy is never counted (`others` is then not looked for).
        case duplicate(owner: Int32, others: [Int32] = [], settled: Bool = false)
    }

    /// The owner of events counted by an earlier run (keys the nightly state kept).
    package static let earlierRun = Int32.max

    private static let shardCount = 64
    private let shards = (0..<EventClaims.shardCount).map { _ in Shard() }

    private func shard(spread: UInt64) -> Shard {
        shards[Int(truncatingIfNeeded: spread) & (EventClaims.shardCount - 1)]
    }

    /// Claims `key` for file `file`, delivered on `day`, unless a file (maybe the same one)
    /// whose claim this one can see has it.
    package func claim(_ key: EventKey, file: Int32, day: DayNumber = EventClaims.timeless)
        -> Claim
    {
        // One keyed hash places the key: its shard here, its slot in the shard's table.
        let spread = ClaimTable.spread(key)
        let shard = shard(spread: spread)
        return shard.lock.withLock {
            guard
                let found = shard.table.insert(
                    key, spread: spread, owner: file, day: day, reach: reach,
                    forgetBefore: forgetBefore)
            else { return .claimed }
            if shard.hasCommitted(found) { return .duplicate(owner: found, settled: true) }
            // Every owner this file sees (usually one), smallest first: the first found
            // depends on the table's layout, which is seeded at random.
            var others = shard.table.owners(
                of: key, spread: spread, seenFrom: day, reach: reach, besides: found)
            guard let smallest = others.min(), smallest < found else {
                return .duplicate(owner: found, others: others.count > 1 ? others.sorted() : others)
            }
            others[others.firstIndex(of: smallest)!] = found
            return .duplicate(owner: smallest, others: others.sorted())
        }
    }

    /// What a full shard may forget: claims of files delivered before the returned day, which
    /// no file being read or still to be read can see; nil: nothing.
    private func forgetBefore() -> DayNumber? {
        guard let reach else { return nil }
        let oldest = oldestBeingRead.load(ordering: .relaxed)
        return oldest == EventClaims.timeless ? nil : oldest &- reach
    }

    /// Marks `keys` as counted by an earlier run, from a file delivered on `day`: copies of
    /// them that files of this run can see are duplicates now.
    package func preload(_ keys: some Sequence<EventKey>, day: DayNumber = EventClaims.timeless) {
        for key in keys { _ = claim(key, file: EventClaims.earlierRun, day: day) }
    }

    /// Passes the claims `file` holds of `keys` to `twin`, delivered on `day` (all of its
    /// claims, found by owner, when the list is not complete).
    package func transfer(
        _ keys: ClaimedKeys, from file: Int32, to twin: Int32, day: DayNumber
    ) {
        guard keys.isComplete else {
            for shard in shards {
                shard.lock.withLock { shard.table.transferEveryClaim(of: file, to: twin, day: day) }
            }
            return
        }
        transfer(keys.keys, from: file, to: twin, day: day)
    }

    /// Passes the claims `file` holds of `keys` to `twin`, delivered on `day`.
    package func transfer(_ keys: [EventKey], from file: Int32, to twin: Int32, day: DayNumber) {
        for key in keys {
            let spread = ClaimTable.spread(key)
            let shard = shard(spread: spread)
            shard.lock.withLock {
                shard.table.transfer(key, spread: spread, from: file, to: twin, day: day)
            }
        }
    }

    /// Gives back the keys `file` claimed (all of its claims, found by owner, when the list is
    /// not complete); as `release(_:file:)`.
    package func release(_ keys: ClaimedKeys, of file: Int32) {
        guard keys.isComplete else {
            for shard in shards {
                shard.lock.withLock { shard.table.removeEveryClaim(of: file) }
            }
            return
        }
        release(keys.keys, file: file)
    }

    /// Gives back the keys `file` claimed. Every claim of those keys is kept from now on
    /// (none is forgotten): the files that dropped copies of them are checked against those
    /// claims at the end of the run. Call before `finished(day:)` for the file.
    package func release(_ keys: [EventKey], file: Int32) {
        for key in keys {
            let spread = ClaimTable.spread(key)
            let shard = shard(spread: spread)
            shard.lock.withLock {
                shard.table.remove(key, spread: spread, ifOwnedBy: file)
                shard.table.keepEveryClaim(of: key)
            }
        }
    }
}

/// Open-addressing table from event key to owning file, 20 bytes a slot.
///
/// A slot keeps the key's low word and the top 32 bits of its high word: 96 bits, so two
/// different events in a run of 10^10 against a table of 10^7 claims share them with a chance
/// of about 10^-12. Where a key goes (its shard and first slot) is a keyed hash of those bits
/// (Swift's `Hasher`, seeded at random per process): records crafted to pile up on one slot
/// cannot be made without the seed, so probing stays short whatever the input. Removal leaves
/// a tombstone (owner -1) that later inserts may reuse. The table is any size, not a power of
/// two: a rebuild sizes it to twice the claims it keeps, so it grows by half at a time and is
/// half to three quarters full.
///
/// A slot's fields lie together (one array of slots, not an array a field): the table is far
/// larger than the caches and a claim lands on a random slot, so a claim costs the one or two
/// cache lines of its slot instead of one per field.
struct ClaimTable {
    /// One claim; its words are 32-bit so that a slot takes 20 bytes, not 24.
    private struct Slot {
        var lowBottom: UInt32 = 0
        var lowTop: UInt32 = 0
        var fingerprint: UInt32 = 0
        /// -2 empty, -1 removed, otherwise the owning file.
        var owner: Int32 = ClaimTable.empty
        /// Delivery day of the claiming file (`EventClaims.timeless` when unknown).
        var day: DayNumber = 0

        var low: UInt64 { UInt64(lowTop) << 32 | UInt64(lowBottom) }

        func holds(_ low: UInt64, _ fingerprint: UInt32) -> Bool {
            lowBottom == UInt32(truncatingIfNeeded: low)
                && lowTop == UInt32(truncatingIfNeeded: low >> 32)
                && self.fingerprint == fingerprint
        }

        init() {}

        init(low: UInt64, fingerprint: UInt32, owner: Int32, day: DayNumber) {
            lowBottom = UInt32(truncatingIfNeeded: low)
            lowTop = UInt32(truncatingIfNeeded: low >> 32)
            self.fingerprint = fingerprint
            self.owner = owner
            self.day = day
        }
    }

    private static let empty: Int32 = -2
    private static let removed: Int32 = -1

    private var slots = [Slot](repeating: Slot(), count: ClaimTable.minimumCapacity)
    private var used = 0

    /// A key as a slot keeps it.
    private struct StoredKey: Hashable {
        var low: UInt64
        var fingerprint: UInt32
    }

    /// Keys whose claims are never forgotten (keys a failed file gave back).
    private var keptKeys: Set<StoredKey> = []

    private static let minimumCapacity = 256

    /// The part of the high word a slot keeps.
    private static func fingerprint(_ key: EventKey) -> UInt32 {
        UInt32(truncatingIfNeeded: key.high >> 32)
    }

    /// The keyed hash that places a key: its shard (low bits) and first slot (high bits).
    static func spread(_ key: EventKey) -> UInt64 {
        spread(key.low, fingerprint(key))
    }

    private static func spread(_ low: UInt64, _ fingerprint: UInt32) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(low)
        hasher.combine(fingerprint)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    /// The first slot to probe: the spread scaled to the capacity (multiply and shift).
    private static func home(_ spread: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: spread.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Inserts `key` for `owner` of `day`; returns the owner of a claim of the key `day` can
    /// see instead, if there is one (with a `reach`, claims of days more than `reach` from
    /// `day` are not seen: a key may then hold several claims, days apart). When the table is
    /// three quarters full, claims of days before `forgetBefore` are dropped first, then it is
    /// rebuilt at twice the size of what is left; a claim of the key before that day is
    /// replaced rather than joined by the new one, so that a key delivered again and again
    /// holds no more claims than the days still seen. `spread` is `ClaimTable.spread(key)`
    /// when the caller has it already.
    mutating func insert(
        _ key: EventKey, spread: UInt64? = nil, owner: Int32,
        day: DayNumber = EventClaims.timeless, reach: DayNumber? = nil,
        forgetBefore floor: () -> DayNumber? = { nil }
    ) -> Int32? {
        if (used + 1) * 4 > slots.count * 3 { rebuild(forgetBefore: floor()) }
        let fingerprint = ClaimTable.fingerprint(key)
        let keptKeys = keptKeys
        return slots.withUnsafeMutableBufferPointer { slots in
            let capacity = slots.count
            var slot = ClaimTable.home(spread ?? ClaimTable.spread(key), capacity: capacity)
            var reusable: Int? = nil
            var forgettable: DayNumber?? = nil
            while slots[slot].owner != ClaimTable.empty {
                if slots[slot].owner == ClaimTable.removed {
                    if reusable == nil { reusable = slot }
                } else if slots[slot].holds(key.low, fingerprint) {
                    if ClaimTable.sees(day, slots[slot].day, reach: reach) {
                        return slots[slot].owner
                    }
                    if forgettable == nil { forgettable = floor() }
                    if reusable == nil, let before = forgettable!, slots[slot].day < before,
                        keptKeys.isEmpty
                            || !keptKeys.contains(StoredKey(low: key.low, fingerprint: fingerprint))
                    {
                        reusable = slot
                    }
                }
                slot += 1
                if slot == capacity { slot = 0 }
            }
            if reusable == nil { used += 1 }
            slots[reusable ?? slot] = Slot(
                low: key.low, fingerprint: fingerprint, owner: owner, day: day)
            return nil
        }
    }

    /// The owners of the claims of `key` a file delivered on `day` sees, other than `besides`,
    /// in table order (usually none: no array is made then).
    func owners(
        of key: EventKey, spread: UInt64? = nil, seenFrom day: DayNumber, reach: DayNumber?,
        besides: Int32
    ) -> [Int32] {
        let fingerprint = ClaimTable.fingerprint(key)
        var owners: [Int32] = []
        slots.withUnsafeBufferPointer { slots in
            var slot = ClaimTable.home(spread ?? ClaimTable.spread(key), capacity: slots.count)
            while slots[slot].owner != ClaimTable.empty {
                let claim = slots[slot]
                if claim.owner >= 0, claim.owner != besides, claim.holds(key.low, fingerprint),
                    ClaimTable.sees(day, claim.day, reach: reach), !owners.contains(claim.owner)
                {
                    owners.append(claim.owner)
                }
                slot += 1
                if slot == slots.count { slot = 0 }
            }
        }
        return owners
    }

    /// Keeps every claim of `key`, now and later, whatever day it is of.
    mutating func keepEveryClaim(of key: EventKey) {
        keptKeys.insert(StoredKey(low: key.low, fingerprint: ClaimTable.fingerprint(key)))
    }

    /// Whether a file delivered on `day` sees a claim made by a file delivered on `other`.
    static func sees(_ day: DayNumber, _ other: DayNumber, reach: DayNumber?) -> Bool {
        guard let reach, day != EventClaims.timeless, other != EventClaims.timeless else {
            return true
        }
        return abs(Int(day) - Int(other)) <= Int(reach)
    }

    /// Gives `owner`'s claim of `key`, if it holds one, to `twin` of `day`.
    mutating func transfer(
        _ key: EventKey, spread: UInt64? = nil, from owner: Int32, to twin: Int32, day: DayNumber
    ) {
        let fingerprint = ClaimTable.fingerprint(key)
        var slot = ClaimTable.home(spread ?? ClaimTable.spread(key), capacity: slots.count)
        while slots[slot].owner != ClaimTable.empty {
            if slots[slot].owner == owner, slots[slot].holds(key.low, fingerprint) {
                slots[slot].owner = twin
                slots[slot].day = day
                return
            }
            slot += 1
            if slot == slots.count { slot = 0 }
        }
    }

    /// Removes `owner`'s claim of `key`, if it holds one (`spread`: `ClaimTable.spread(key)`,
    /// when known); other files' claims of the key stay.
    mutating func remove(_ key: EventKey, spread: UInt64? = nil, ifOwnedBy owner: Int32) {
        let fingerprint = ClaimTable.fingerprint(key)
        let capacity = slots.count
        var slot = ClaimTable.home(spread ?? ClaimTable.spread(key), capacity: capacity)
        while slots[slot].owner != ClaimTable.empty {
            if slots[slot].owner == owner, slots[slot].holds(key.low, fingerprint) {
                slots[slot].owner = ClaimTable.removed
                return
            }
            slot += 1
            if slot == capacity { slot = 0 }
        }
    }

    /// Removes every claim `owner` holds and keeps every claim of those keys from now on: what
    /// `remove` and `keepEveryClaim` do for each of its keys, in one pass (a file holds one
    /// claim of a key: its own earlier claim is always in sight).
    mutating func removeEveryClaim(of owner: Int32) {
        for index in slots.indices where slots[index].owner == owner {
            let claim = slots[index]
            keptKeys.insert(StoredKey(low: claim.low, fingerprint: claim.fingerprint))
            slots[index].owner = ClaimTable.removed
        }
    }

    /// Gives every claim `owner` holds to `twin` of `day`: `transfer` for each of its keys.
    mutating func transferEveryClaim(of owner: Int32, to twin: Int32, day: DayNumber) {
        for index in slots.indices where slots[index].owner == owner {
            slots[index].owner = twin
            slots[index].day = day
        }
    }

    /// Claims held (tombstones aside).
    var count: Int { slots.reduce(0) { $0 + ($1.owner >= 0 ? 1 : 0) } }

    /// Slots allocated (for tests of the table's size).
    var capacity: Int { slots.count }

    /// Re-inserts the live claims (with a floor, only those of `forgetBefore` or later, and
    /// every claim of the keys kept by `keepEveryClaim(of:)`) into a
    /// table twice their number, so it is half full. The claims go straight from the old
    /// table to the new one (no list of them between): at the peak the two tables alone.
    private mutating func rebuild(forgetBefore floor: DayNumber?) {
        func keeps(_ claim: Slot) -> Bool {
            guard claim.owner >= 0 else { return false }
            guard let floor, claim.day < floor else { return true }
            return !keptKeys.isEmpty
                && keptKeys.contains(StoredKey(low: claim.low, fingerprint: claim.fingerprint))
        }
        let kept = slots.reduce(0) { $0 + (keeps($1) ? 1 : 0) }
        let capacity = max(ClaimTable.minimumCapacity, 2 * kept)
        var table = [Slot](repeating: Slot(), count: capacity)
        for claim in slots where keeps(claim) {
            var slot = ClaimTable.home(
                ClaimTable.spread(claim.low, claim.fingerprint), capacity: capacity)
            while table[slot].owner != ClaimTable.empty {
                slot += 1
                if slot == capacity { slot = 0 }
            }
            table[slot] = claim
        }
        slots = table
        used = kept
    }
}

/// How a decoder decides whether an event with a key is counted.
package enum Dedupe {
    /// Claim each key for this file, delivered on `day`, in the shared table (the normal read).
    case claim(EventClaims, file: Int32, day: DayNumber)
    /// Count only these keys, each once (re-reading a file for events it dropped).
    case only(DedupeFilter)

    /// The seed the keys are made with.
    var contentSeed: UInt64 {
        switch self {
        case .claim(let claims, _, _): claims.contentSeed
        case .only(let filter): filter.contentSeed
        }
    }
}
