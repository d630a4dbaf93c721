/// The time window events must fall in: `since` inclusive, `until` exclusive.
package struct TimeWindow: Sendable, Equatable {
    package var since: EpochSeconds?
    package var until: EpochSeconds?

    package init(since: EpochSeconds? = nil, until: EpochSeconds? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether an event at `time` is in the window; events without a time are kept.
    package func contains(_ time: EpochSeconds?) -> Bool {
        guard let time else { return true }
        if let since, time < since { return false }
        if let until, time >= until { return false }
        return true
    }
}

/// An event a file dropped as a copy: counted from this file after all if every file that
/// held a claim of it this file could see fails: `owner`, and `others` (usually none).
package struct DroppedCopy: Sendable {
    package var key: EventKey
    package var owner: Int32
    package var others: [Int32]

    /// Whether `test` holds for every owner.
    func allOwners(_ test: (Int32) -> Bool) -> Bool {
        test(owner) && others.allSatisfy(test)
    }
}

/// What decoding one file's records produced, before the file is known to be whole.
package struct FilePartial: Sendable {
    package var findings: Findings
    /// Keys this file claimed (and counted), given back if the file fails.
    package var claimedKeys = ClaimedKeys()
    /// Events dropped because other files had claimed them, and those files.
    package var droppedCopies: [DroppedCopy] = []
    /// Events dropped as copies of an event already counted (here or in another file).
    package var duplicates = 0
    /// Records that were events (counted or not).
    package var eventRecords = 0
    /// Records the reader framed, decoded or not (for a file that fails before its batches are).
    package var framedRecords = 0
    /// Set when the file is a digest file rather than a log.
    package var isDigest = false
    /// Set when the file is an IAM export or policy document rather than a log.
    package var isIAMDocument = false
    /// Records that were JSON objects but not CloudTrail events or known envelopes.
    package var unrecognizedRecords = 0
    /// Files (or `EventClaims.earlierRun`) that own the events in `droppedCopies`.
    package var keyOwners: Set<Int32> = []
    /// Checksum of the file's bytes as stored (compressed), with `RunOptions.checksumsFiles`.
    package var checksum: UInt64? = nil

    package init(matchLimit: Int? = nil) {
        findings = Findings(matchLimit: matchLimit)
    }

    /// The dropped copies this file did not claim itself later. A copy dropped while the file
    /// that held it was still being read, and met again here after that file failed and gave
    /// its claims back, was claimed and counted the second time: recovering it would count it
    /// twice. Exact when every claimed key is listed (always in `ingest`, the only run in
    /// which a file is handed a twin's claims); otherwise recovery tells such keys apart (see
    /// `Worker.recoverEventsOfFailedFiles`).
    var copiesNotClaimedHere: [DroppedCopy] {
        guard !droppedCopies.isEmpty, claimedKeys.isComplete else { return droppedCopies }
        let dropped = Set(droppedCopies.map(\.key))
        let claimedToo = Set(claimedKeys.keys.lazy.filter(dropped.contains))
        guard !claimedToo.isEmpty else { return droppedCopies }
        return droppedCopies.filter { !claimedToo.contains($0.key) }
    }

    package mutating func merge(_ other: FilePartial) {
        // The first piece of a file arrives into an empty partial: take it whole.
        if eventRecords == 0 && framedRecords == 0 && unrecognizedRecords == 0 && !isDigest
            && !isIAMDocument
            && claimedKeys.isEmpty && droppedCopies.isEmpty && findings.isEmpty && checksum == nil
        {
            self = other
            return
        }
        findings.merge(other.findings)
        claimedKeys.merge(other.claimedKeys)
        droppedCopies.append(contentsOf: other.droppedCopies)
        duplicates += other.duplicates
        eventRecords += other.eventRecords
        framedRecords += other.framedRecords
        isDigest = isDigest || other.isDigest
        isIAMDocument = isIAMDocument || other.isIAMDocument
        unrecognizedRecords += other.unrecognizedRecords
        keyOwners.formUnion(other.keyOwners)
        checksum = checksum ?? other.checksum
    }
}

/// The keys a file claimed, listed to give them back if the file fails, up to a limit: past
/// it the list is dropped, and the file's claims are found in the claim table by their owner
/// (one pass over it). A single file of millions of events would otherwise hold 16 bytes an
/// event beside the claims themselves.
package struct ClaimedKeys: Sendable {
    /// The keys, when `isComplete`.
    package private(set) var keys: [EventKey] = []
    /// Whether `keys` holds every key the file claimed.
    package private(set) var isComplete = true

    package init() {}

    /// Whether no key was claimed.
    var isEmpty: Bool { keys.isEmpty && isComplete }

    /// Lists `key`, unless the list holds `limit` keys already (nil: no limit).
    mutating func append(_ key: EventKey, limit: Int?) {
        guard isComplete else { return }
        guard limit.map({ keys.count < $0 }) ?? true else { return drop() }
        keys.append(key)
    }

    /// Lists `keys` (recovered events, which a file counts after all), whatever the limit.
    mutating func append(contentsOf keys: some Sequence<EventKey>) {
        guard isComplete else { return }
        self.keys.append(contentsOf: keys)
    }

    /// Adds the keys another piece of the same file claimed.
    mutating func merge(_ other: ClaimedKeys) {
        guard isComplete, other.isComplete else { return drop() }
        keys.append(contentsOf: other.keys)
    }

    /// Forgets the list: the file's claims are found by owner from now on.
    private mutating func drop() {
        keys = []
        isComplete = false
    }
}

/// Only lets through events whose key is still in `allowed`, each once.
package final class DedupeFilter: @unchecked Sendable {
    // Unchecked: a filter is used by one decoder at a time (the sequential re-read).
    private var allowed: Set<EventKey>
    /// The seed `allowed` was made with (`EventClaims.contentSeed`).
    let contentSeed: UInt64

    package init(allowed: Set<EventKey>, contentSeed: UInt64) {
        self.allowed = allowed
        self.contentSeed = contentSeed
    }

    /// Whether the event with `key` is counted; consumes the key.
    package func admit(_ key: EventKey) -> Bool {
        allowed.remove(key) != nil
    }
}

/// Decodes records into a `FilePartial`; one per worker (holds that worker's string table).
package struct EventDecoder {
    package var window: TimeWindow
    /// With a filter, matching events are collected instead of counted.
    package var filter: EventFilter?
    /// When set, key issues and key usage are collected (`trailaudit trace`) instead.
    package var collectsTrace = false
    /// When set, one principal's activity is collected (`trailaudit timeline`) instead.
    package var timeline: TimelineQuery?
    /// When set, events are counted per UTC day (`trailaudit ingest`).
    package var countsPerDay = false
    package var strings = StringTable()
    var actionCache: [ActionCacheKey: MappedActions] = [:]
    var principalCache: [String: Principal] = [:]
    /// Entries either cache holds before it starts again empty. Both are keyed by what the log
    /// says (eventSource and eventName, issuer ARNs), so a forged log of distinct names would
    /// otherwise grow them without end, beside the aggregate; IAM has some 17,000 actions, and
    /// a run's roles repeat within a few events.
    static let cacheLimit = 1 << 14
    var unescaped: [UInt8] = []

    package init(
        window: TimeWindow, filter: EventFilter? = nil, collectsTrace: Bool = false,
        timeline: TimelineQuery? = nil
    ) {
        self.window = window
        self.filter = filter
        self.collectsTrace = collectsTrace
        self.timeline = timeline
    }

    /// Decodes one framed record (an event, or an envelope holding events).
    package mutating func decode(
        _ bytes: UnsafeRawBufferPointer, context: RecordContext,
        into partial: inout FilePartial, dedupe: Dedupe
    ) throws {
        let scanned = try EventScanner.scan(bytes)
        let scanner = JSONScanner(bytes)

        // Envelopes are unwrapped only around top-level objects, one level deep: an event
        // inside an event inside an event is not a shape anyone writes, and each level would
        // scan the record again.
        if case .topLevelObject = context, !scanned.looksLikeEvent {
            if let detail = scanned.envelopeDetail {
                // EventBridge: the CloudTrail event is the `detail` object.
                let inner = UnsafeRawBufferPointer(rebasing: bytes[detail])
                return try decode(inner, context: .recordsElement, into: &partial, dedupe: dedupe)
            }
            if let logEvents = scanned.envelopeLogEvents {
                return try decodeLogEvents(
                    in: bytes, range: logEvents, into: &partial, dedupe: dedupe)
            }
        }
        if scanned.isDigest && !scanned.looksLikeEvent {
            partial.isDigest = true
            return
        }
        if scanned.isIAMDocument && !scanned.looksLikeEvent {
            partial.isIAMDocument = true
            return
        }
        if scanned.isInsight {
            partial.findings.aggregate.nonCallRecords += 1
            return
        }
        guard scanned.looksLikeEvent else {
            partial.unrecognizedRecords += 1
            return
        }
        partial.eventRecords += 1
        record(scanned, scanner: scanner, into: &partial, dedupe: dedupe)
    }

    /// CloudWatch Logs subscription envelope: each `logEvents[].message` holds an event as text.
    private mutating func decodeLogEvents(
        in bytes: UnsafeRawBufferPointer, range: Range<Int>,
        into partial: inout FilePartial, dedupe: Dedupe
    ) throws {
        // Each message unescaped, with where its text begins in the record.
        var messages: [(text: [UInt8], start: Int)] = []
        var scanner = JSONScanner(bytes)
        scanner.position = range.lowerBound
        try scanner.forEachElement { scanner in
            guard scanner.peekByte() == UInt8(ascii: "{") else { return try scanner.skipValue() }
            try scanner.forEachKey { scanner, key in
                guard scanner.bytes(key, equal: "message") else { return try scanner.skipValue() }
                let message = try scanner.readStringValue()
                var decoded: [UInt8] = []
                scanner.decode(message, into: &decoded)
                messages.append((decoded, message.start))
            }
        }
        for (message, start) in messages {
            // Control messages (`CWL CONTROL MESSAGE: Checking health...`) are plain text.
            guard message.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") else {
                partial.findings.aggregate.nonCallRecords += 1
                continue
            }
            do {
                try message.withUnsafeBytes { inner in
                    try decode(inner, context: .recordsElement, into: &partial, dedupe: dedupe)
                }
            } catch InputError.invalidJSON(let offset, let reason) {
                // The offset is in the unescaped text, which the file does not hold as such:
                // the error points at the message, and says where in its text.
                throw InputError.invalidJSON(
                    offset: start,
                    reason: "in the CloudWatch Logs message that begins there, at byte \(offset) "
                        + "of its unescaped text: \(reason)")
            }
        }
    }
}
