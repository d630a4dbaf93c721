import Testing

@testable import TrailAudit

@Suite struct AggregateTests {
    static let values = (0..<5000).map { "arn:aws:s3:::bucket/key-\(($0 * 7919) % 5000)" }

    @Test(arguments: [0, 1, 999, 1000, 1001, 5000])
    func boundedSetKeepsTheSmallestMembers(count: Int) {
        var set = BoundedSet(limit: 1000)
        for value in Self.values.prefix(count) { set.insert(value) }
        let expected = Array(Set(Self.values.prefix(count)).sorted().prefix(1000))
        #expect(set.sorted == expected)
        #expect(set.isTruncated == (count > 1000))
        #expect(set.count == expected.count)
    }

    /// Two spellings of one name (a composed é, an e with a combining accent) are one string to
    /// Swift and two objects to S3: both are kept, in one order whatever order they came in.
    /// (A Swift set kept whichever came first, and the report listed one or the other.)
    @Test func spellingsSwiftCallsEqualAreKeptApart() {
        let composed = "arn:aws:s3:::bucket/caf\u{E9}.csv"
        let decomposed = "arn:aws:s3:::bucket/cafe\u{301}.csv"
        #expect(composed == decomposed)
        // Equal to Swift: in byte order, "e" (0x65) before "\u{E9}" (0xC3 0xA9).
        let expected = [Array(decomposed.utf8), Array(composed.utf8)]
        for order in [[composed, decomposed], [decomposed, composed]] {
            var set = BoundedSet()
            var tally = BoundedTally()
            for value in order + order + [order[0]] {
                set.insert(value)
                tally.add(value)
            }
            #expect(set.count == 2)
            #expect(set.sorted.map { Array($0.utf8) } == expected)
            #expect(tally.kept.map { Array($0.key.utf8) } == expected)
            let decomposedFirst = order[0].utf8.elementsEqual(decomposed.utf8)
            #expect(tally.kept.map(\.count) == (decomposedFirst ? [3, 2] : [2, 3]))
            #expect(ExactString.uniqueSorted(order + order).map { Array($0.utf8) } == expected)
        }
    }

    @Test func boundedSetMergeIsOrderIndependent() {
        var forward = BoundedSet(limit: 100)
        var parts = [BoundedSet(limit: 100), BoundedSet(limit: 100), BoundedSet(limit: 100)]
        for (index, value) in Self.values.enumerated() {
            forward.insert(value)
            parts[index % 3].insert(value)
        }
        var merged = BoundedSet(limit: 100)
        for part in parts.reversed() { merged.merge(part) }
        #expect(merged.sorted == forward.sorted)
        #expect(merged.isTruncated && forward.isTruncated)
    }

    /// Kept values, their counts and the unlisted occurrences are exact and do not depend on
    /// the order of adds and merges (so 4 shards merged equal one run).
    @Test(arguments: [0, 99, 100, 101, 250, 5000])
    func boundedTallyKeepsExactCountsOfTheSmallestValues(distinct: Int) {
        // Value i occurs (i % 3) + 1 times, in an order that interleaves the values.
        var occurrences: [String] = []
        for round in 0..<3 {
            for index in 0..<distinct where index % 3 >= round {
                occurrences.append(Self.values[index])
            }
        }
        var forward = BoundedTally(limit: 100)
        var parts = [BoundedTally(limit: 100), BoundedTally(limit: 100), BoundedTally(limit: 100)]
        for (index, value) in occurrences.enumerated() {
            forward.add(value)
            parts[(index * 7) % 3].add(value)
        }
        var merged = BoundedTally(limit: 100)
        for part in parts.reversed() { merged.merge(part) }

        var exact: [String: Int] = [:]
        for value in occurrences { exact[value, default: 0] += 1 }
        let kept = exact.sorted { $0.key < $1.key }.prefix(100)
        let unlisted = occurrences.count - kept.reduce(0) { $0 + $1.value }
        for tally in [forward, merged] {
            #expect(tally.kept.map(\.key) == kept.map(\.key))
            #expect(tally.kept.map(\.count) == kept.map(\.value))
            #expect(tally.unlisted == unlisted)
        }
    }

    /// Runs of one value (a principal's address or agent, event after event) are counted
    /// without a look-up; kept values, counts, unlisted occurrences and set members stay
    /// exact, through trims, through merges of tallies that end inside a run, and for the
    /// spellings Swift calls equal.
    @Test(arguments: [1, 3, 40])
    func runsOfOneValueCountExactly(limit: Int) {
        let composed = "arn:aws:s3:::bucket/caf\u{E9}"
        let decomposed = "arn:aws:s3:::bucket/cafe\u{301}"
        var occurrences = [composed, composed, composed, decomposed, decomposed, composed]
        for run in 0..<400 {
            let value = Self.values[(run * 37 + run * run) % 60]
            occurrences += repeatElement(value, count: run * 7 % 5 + 1)
        }

        var forward = BoundedTally(limit: limit)
        var set = BoundedSet(limit: limit)
        var parts = [BoundedTally(limit: limit), BoundedTally(limit: limit)]
        for (index, value) in occurrences.enumerated() {
            forward.add(value)
            set.insert(value)
            // Switches part every 7 occurrences: parts end and begin inside runs.
            parts[(index / 7) % 2].add(value)
        }
        var merged = BoundedTally(limit: limit)
        merged.add(composed)  // a run of its own, not yet counted, before the merges
        merged.merge(parts[0])
        merged.merge(parts[1])

        func expect(_ tally: BoundedTally, _ occurrences: [String]) {
            var exact: [ExactString: Int] = [:]
            for value in occurrences { exact[ExactString(value), default: 0] += 1 }
            let kept = exact.sorted { $0.key < $1.key }.prefix(limit)
            #expect(tally.kept.map { Array($0.key.utf8) } == kept.map { Array($0.key.value.utf8) })
            #expect(tally.kept.map(\.count) == kept.map(\.value))
            #expect(tally.unlisted == occurrences.count - kept.reduce(0) { $0 + $1.value })
        }
        expect(forward, occurrences)
        expect(merged, occurrences + [composed])
        let members = ExactString.uniqueSorted(occurrences)
        #expect(set.sorted.map { Array($0.utf8) } == members.prefix(limit).map { Array($0.utf8) })
        #expect(set.isTruncated == (members.count > limit))
    }

    @Test func usageCountsMergeKeepsTheWidestWindow() {
        var first = UsageCounts()
        first.record(.succeeded, at: 100)
        first.record(.denied, at: 50)
        var second = UsageCounts()
        second.record(.failed, at: 200)
        second.record(.succeeded, at: nil)
        first.merge(second)
        #expect([first.succeeded, first.denied, first.failed] == [2, 1, 1])
        #expect(first.firstSeen == 50)
        #expect(first.lastSeen == 200)
    }

    @Test func denialSampleIsTheEarliestMessageWhateverTheMergeOrder() {
        var early = DenialGroup()
        early.record(message: "b", at: 10)
        var late = DenialGroup()
        late.record(message: "a", at: 20)
        var left = early
        left.merge(late)
        var right = late
        right.merge(early)
        #expect(left.sampleMessage == "b")
        #expect(right.sampleMessage == "b")
        #expect(right.counts.denied == 2)
    }
}

@Suite struct ClaimTableTests {
    static func key(_ index: Int) -> EventKey {
        // Keys that share their low word: only the fingerprint tells them apart.
        EventKey(high: UInt64(index) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(index % 7) << 32)
    }

    @Test func claimsOnceAndReportsTheOwner() {
        var table = ClaimTable()
        for index in 0..<10_000 {
            #expect(table.insert(Self.key(index), owner: Int32(index % 3)) == nil)
        }
        for index in 0..<10_000 {
            #expect(table.insert(Self.key(index), owner: 99) == Int32(index % 3))
        }
    }

    /// With a floor, a full table first forgets the claims of days before it: claims of the
    /// last days stay, and the table stops growing with the number of days.
    @Test func claimsBeforeTheFloorAreForgotten() {
        // Spread keys (`spreadKey`): the colliding keys above would make this quadratic.
        var table = ClaimTable()
        let perDay = 4_096
        for day in 0..<100 {
            for index in 0..<perDay {
                let key = spreadKey(day * perDay + index)
                #expect(
                    table.insert(
                        key, owner: 1, day: DayNumber(day), forgetBefore: { DayNumber(day - 8) })
                        == nil)
            }
        }
        // The last 9 days (the floor is 8 days back) and what came since the last rebuild, not
        // the 100 days inserted.
        #expect(table.count <= 32 * perDay)
        #expect(table.count >= 9 * perDay)
        for index in 0..<perDay {
            #expect(table.insert(spreadKey(99 * perDay + index), owner: 2, day: 99) == 1)
            #expect(table.insert(spreadKey(92 * perDay + index), owner: 2, day: 99) == 1)
        }
        // Without a floor nothing is forgotten.
        var whole = ClaimTable()
        for index in 0..<(20 * perDay) {
            _ = whole.insert(spreadKey(index), owner: 1, day: DayNumber(index / perDay))
        }
        #expect(whole.count == 20 * perDay)
        #expect(whole.insert(spreadKey(0), owner: 2, day: 19) == 1)
        // Grown a half at a time: between a half and three quarters full, never a quarter.
        #expect(whole.capacity <= 2 * whole.count)
        #expect(whole.capacity * 3 >= whole.count * 4)
    }

    /// A file still being read keeps the claims it can see however far later files run
    /// ahead (workers race); once it is done, claims no later file can see go when later files
    /// fill the table; and nothing is forgotten while a file without a delivery time is read.
    @Test func claimsOfFilesBeingReadAreKept() {
        let early = EventKey(high: 1, low: 2)
        for timelessBeingRead in [false, true] {
            let claims = EventClaims(horizonDays: 7)
            if timelessBeingRead { claims.started(day: EventClaims.timeless) }
            claims.started(day: 0)
            #expect(claims.claim(early, file: 0, day: 0) == .claimed)
            claims.started(day: 60)
            for index in 0..<50_000 { _ = claims.claim(spreadKey(index), file: 1, day: 60) }
            #expect(claims.claim(early, file: 2, day: 8) == .duplicate(owner: 0))

            claims.finished(day: 0)
            for index in 50_000..<150_000 { _ = claims.claim(spreadKey(index), file: 1, day: 60) }
            // Only a file of day 0 to 8 could see the claim: forgotten, unless a file without a
            // delivery time (which sees every claim) is still being read.
            let expected: EventClaims.Claim =
                timelessBeingRead ? .duplicate(owner: 0) : .claimed
            #expect(claims.claim(early, file: 3, day: 0) == expected, "\(timelessBeingRead)")
        }
    }

    /// Whether a copy is dropped depends on the delivery days of the files alone: a file sees
    /// the claims of files delivered up to the horizon plus a day before or after it, in
    /// whatever order the workers claim, and a key may hold claims days apart.
    @Test func aCopyIsSeenWithinTheHorizonOfItsFileOnly() {
        let key = EventKey(high: 7, low: 9)
        let claims = EventClaims(horizonDays: 7)
        #expect(claims.claim(key, file: 0, day: 100) == .claimed)
        #expect(claims.claim(key, file: 1, day: 108) == .duplicate(owner: 0))
        #expect(claims.claim(key, file: 2, day: 92) == .duplicate(owner: 0))
        // Nine days apart either way: counted, and claimed for the files around it.
        #expect(claims.claim(key, file: 3, day: 109) == .claimed)
        #expect(claims.claim(key, file: 4, day: 91) == .claimed)
        #expect(claims.claim(key, file: 5, day: 117) == .duplicate(owner: 3))
        #expect(claims.claim(key, file: 6, day: 83) == .duplicate(owner: 4))
        // A file without a delivery time sees, and is seen by, every file.
        let other = EventKey(high: 8, low: 10)
        #expect(claims.claim(other, file: 7, day: EventClaims.timeless) == .claimed)
        #expect(claims.claim(other, file: 8, day: 1) == .duplicate(owner: 7))
        #expect(claims.claim(other, file: 9, day: 500) == .duplicate(owner: 7))
        // Giving back one of a key's claims leaves the others.
        claims.release([key], file: 3)
        #expect(claims.claim(key, file: 10, day: 110) == .claimed)
        // Seen from day 95, files 0 (day 100) and 4 (day 91) hold it: both are told.
        #expect(claims.claim(key, file: 11, day: 95) == .duplicate(owner: 0, others: [4]))
        // Without a horizon every claim is seen.
        let whole = EventClaims()
        #expect(whole.claim(key, file: 0, day: 0) == .claimed)
        #expect(whole.claim(key, file: 1, day: 900) == .duplicate(owner: 0))
    }

    /// Keys made to share a low word still land all over the table (their place is a keyed
    /// hash), so records crafted to share a slot cannot make every insert probe them all.
    @Test func keysSharingALowWordSpreadOverTheTable() {
        let capacity: UInt64 = 4_096
        var slots = Set<UInt64>()
        for index in 0..<1_000 {
            let key = EventKey(high: UInt64(index) << 32, low: 42)
            slots.insert(ClaimTable.spread(key).multipliedFullWidth(by: capacity).high)
        }
        // 1,000 keys thrown at random into 4,096 slots fill about 885 of them.
        #expect(slots.count > 800)
    }

    /// The record hash depends on the run's seed; seed 0 is the state's.
    @Test func theRecordHashIsKeyed() {
        let record = Array(#"{"eventID":"x","userAgent":"aaaa"}"#.utf8)
        let id = Array("x".utf8)
        let keys = [0, 1, 2].map { seed in
            id.withUnsafeBytes { idBytes in
                record.withUnsafeBytes {
                    EventKey(eventID: idBytes).mixing($0, seed: UInt64(seed))
                }
            }
        }
        #expect(Set(keys).count == 3)
        #expect(EventClaims(contentSeed: 0).contentSeed == 0)
        #expect(EventClaims().contentSeed != EventClaims().contentSeed)
    }

    /// An eventID GUID is its 128 bits, in either case (the nightly state keeps keys made
    /// from them, so the value itself must not change); anything else is hashed instead, its
    /// high word `StringTable.hash` of the bytes.
    @Test func aGUIDEventIDIsItsBits() {
        func key(_ id: String) -> EventKey {
            Array(id.utf8).withUnsafeBytes { EventKey(eventID: $0) }
        }
        let expected = EventKey(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        #expect(key("01234567-89ab-cdef-fedc-ba9876543210") == expected)
        #expect(key("01234567-89AB-CDEF-FEDC-BA9876543210") == expected)
        #expect(
            key("ffffffff-ffff-ffff-0000-000000000000")
                == EventKey(high: .max, low: 0))
        // Not GUIDs: a dash moved, a letter past f, one digit short or long, no dashes.
        for id in [
            "0123456-789ab-cdef-fedc-ba9876543210", "01234567-89ab-cdeg-fedc-ba9876543210",
            "01234567-89ab-cdef-fedc-ba987654321", "01234567-89ab-cdef-fedc-ba98765432100",
            "0123456789abcdeffedcba9876543210", "01234567-89ab-cdef-fedc-ba98765432:0",
            "01234567-89ab-cdef-fedc-ba98765432@0", "01234567-89ab-cdef-fedc-ba98765432`0",
        ] {
            let hashed = Array(id.utf8).withUnsafeBytes { StringTable.hash($0) }
            #expect(key(id).high == hashed, "\(id)")
        }
        // The fallback hashes the bytes: ids differing in one character differ.
        #expect(key("event-1") != key("event-2"))
    }

    @Test func removalOnlyByTheOwnerAndReuse() {
        var table = ClaimTable()
        _ = table.insert(Self.key(1), owner: 4)
        table.remove(Self.key(1), ifOwnedBy: 5)
        #expect(table.insert(Self.key(1), owner: 6) == 4)
        table.remove(Self.key(1), ifOwnedBy: 4)
        #expect(table.insert(Self.key(1), owner: 6) == nil)
        #expect(table.insert(Self.key(1), owner: 7) == 6)
    }
}

@Suite struct ExactSpellingScopeTests {
    /// Objects whose keys are two spellings of one name are two Resources in a suggested
    /// policy, in byte order (a Swift set kept one of them: the policy would deny the other).
    @Test func twoSpellingsAreTwoResources() {
        let composed = "arn:aws:s3:::bkt/caf\u{E9}"
        let decomposed = "arn:aws:s3:::bkt/cafe\u{301}"
        for arns in [[composed, decomposed], [decomposed, composed, decomposed]] {
            let (rolled, didRollUp) = ResourceScope.rollUp(arns, coarse: false)
            #expect(!didRollUp)
            let expected = [Array(decomposed.utf8), Array(composed.utf8)]
            #expect(rolled.map { Array($0.utf8) } == expected)
        }
    }
}
