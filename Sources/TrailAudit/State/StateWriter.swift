import Foundation
import Synchronization

/// The writer of an ingest: takes whole files from the workers and commits them to the state
/// in batches, each batch one transaction holding every file's per-day counts, its row in
/// `files` and its event keys. A process killed at any moment leaves whole batches only; the
/// files of the lost batch are not marked and are read again next time.
///
/// Workers add their finished files to one of a few batch slots themselves (so the merging is
/// spread over the workers, as in a plain run); a writer thread takes the slots and commits
/// them every second or so (more often never: a commit rewrites the days it touches).
///
/// A file that dropped copies of events another file of this run claimed waits until that
/// file is known to count (so the copy is never lost), or, if that file failed, until the end
/// of the run, when the events are recovered into it (`recovered`).
final class StateWriter: FileSink, @unchecked Sendable {
    // Unchecked: `bookkeeping` guards the file fates, `refusedUpdates` and `readThisRun`; each
    // slot guards itself; `database` (the store) is used under `writing` only.
    let store: StateStore
    let options: IngestOptions
    /// Files ingested before this run, by path, and by checksum and size.
    let known: [String: IngestedFile]
    let knownContent: [ContentIdentity: String]
    /// CloudTrail log files ingested before, by file name (`StateWriter.logFileName`): the
    /// state key and content of one of each name.
    let knownNames: [Substring: (path: String, content: ContentIdentity)]

    let bookkeeping = NSLock()
    /// Files the run committed (their claims stand), written or still waiting.
    var finished: Set<Int32> = []
    var failed: Set<Int32> = []
    var waiting: [Int32: Waiting] = [:]
    var waitingForRecovery: [Int32: Waiting] = [:]
    /// Files refused as already ingested: their rows to record at the next commit.
    var refusedUpdates: [RefusedFile] = []
    /// The state keys and indexes of the files of this run that count, by content.
    var readThisRun: [ContentIdentity: (path: String, index: Int32)] = [:]
    /// The CloudTrail log files of this run that count, by file name.
    var namesThisRun: [Substring: (path: String, content: ContentIdentity)] = [:]

    let slots: [BatchSlot]
    private let nextSlot = Atomic<Int>(0)

    /// Serialises commits (the writer thread's, and a worker's with `flushEveryFile`).
    let writing = NSLock()
    /// Seconds between commits, under `writing` like the counters below.
    var flushInterval: TimeInterval = 1
    var flushes = 0
    /// The first failure to write; nothing more is written after it.
    var writeError: StateError?
    /// Files committed and events counted, for the summary.
    var filesCommitted = 0
    var eventsCommitted = 0
    /// State keys of the files whose rows were committed (counted, copies, new times).
    var committedPaths: Set<String> = []

    /// The bytes of the files the run reads, and of the files added so far: once nine tenths
    /// are in, a writer that has committed before commits without waiting for its interval,
    /// so that the last commit, which the end of the run waits for, holds about the last tenth
    /// only. (A run too short for a commit of its own has one commit, at the end: an early one
    /// would take most of the data, and the run's end would wait for it all the same.)
    private let bytesExpected: Int
    private let bytesAdded = Atomic<Int>(0)

    private let wakeUp = NSCondition()
    // Both under `wakeUp`.
    private var finishing = false
    private var commitNow = false
    private let done = DispatchSemaphore(value: 0)

    /// Finished files not yet committed; a worker adds to any slot, the writer takes them all.
    final class BatchSlot: @unchecked Sendable {
        // Unchecked: both fields only under `lock`.
        let lock = NSLock()
        var days = DailyAggregates()
        var files: [FileRecord] = []
    }

    /// A committed file whose dropped copies belong to files not yet committed.
    struct Waiting {
        var file: InputFile
        var partial: FilePartial
        var owners: Set<Int32>
    }

    /// A file not counted because its content was ingested already.
    struct RefusedFile {
        var file: InputFile
        var checksum: UInt64
        /// The ingested path it repeats; nil when it is that path with a new modification time.
        var copyOf: String?
    }

    /// The same bytes: checksum and size.
    struct ContentIdentity: Hashable {
        var checksum: UInt64
        var size: Int
    }

    init(
        store: StateStore, options: IngestOptions, known: [String: IngestedFile],
        bytesExpected: Int
    ) {
        self.store = store
        self.bytesExpected = bytesExpected
        self.options = options
        self.known = known
        var content: [ContentIdentity: String] = [:]
        // Content is known by the files that counted it, not by their copies: a copy's row
        // may be committed before its original's (the same bytes twice in one run, killed
        // between the commits), and the original must then still be read.
        for (path, file) in known where !file.isCopy {
            let identity = ContentIdentity(checksum: file.checksum, size: file.size)
            if let other = content[identity], other < path { continue }
            content[identity] = path
        }
        knownContent = content
        var names: [Substring: (path: String, content: ContentIdentity)] = [:]
        for (path, file) in known {
            guard let name = StateWriter.logFileName(path) else { continue }
            names[name] = (path, ContentIdentity(checksum: file.checksum, size: file.size))
        }
        knownNames = names
        // One slot per worker: few collisions, and few slots to merge at each commit.
        slots = (0..<max(1, options.run.jobs)).map { _ in BatchSlot() }
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in
            while !waitForNextCommit() { flush() }
            done.signal()
        }
        thread.start()
    }

    /// Sleeps until the next commit is due; true when the run is over instead.
    private func waitForNextCommit() -> Bool {
        let (interval, committed) = writing.withLock { (flushInterval, flushes > 0) }
        return wakeUp.withLock {
            let due = Date().addingTimeInterval(interval)
            while !finishing, !(commitNow && committed), wakeUp.wait(until: due) {}
            commitNow = false
            return finishing
        }
    }

    /// Stops the writer thread, commits what waited for recovered events, and writes the
    /// last batch. Call after the run returned (every file is committed or failed by then).
    func finish() {
        wakeUp.withLock {
            finishing = true
            wakeUp.signal()
        }
        done.wait()
        let recovered = bookkeeping.withLock {
            let entries = waitingForRecovery.sorted { $0.key < $1.key }
            waitingForRecovery.removeAll()
            return entries
        }
        for (_, entry) in recovered { add(entry.file, entry.partial) }
        // Files still waiting on a file that never finished (a --strict stop) are not marked:
        // they are read again next time.
        flush()
    }

    /// Adds a file that counts to a batch slot (any thread).
    func add(_ file: InputFile, _ partial: FilePartial) {
        // The state keeps every key a file counted: ingest's claims list them all.
        precondition(partial.claimedKeys.isComplete, "\(file.name): claimed keys not listed")
        let days = partial.findings.daily
        // The file's first events are held, to be counted into the slot's days directly.
        var held = partial.findings.pending
        let timed = days.days.keys.filter { $0 != .untimed } + held.days.filter { $0 != .untimed }
        let record = FileRecord(
            path: file.stateKey, size: file.size, modified: file.modified,
            checksum: partial.checksum ?? 0,
            events: days.days.values.reduce(0) { $0 + $1.events.total } + held.events.count,
            duplicates: partial.duplicates,
            nonCallRecords: partial.findings.aggregate.nonCallRecords,
            unrecognizedRecords: partial.unrecognizedRecords, copyOf: nil,
            keys: partial.claimedKeys.keys, newestDay: timed.max() ?? .untimed,
            eventDays: Set(timed).sorted())
        if options.delayPerFile > 0 { usleep(options.delayPerFile) }
        let slot = lockedSlot()
        slot.days.merge(days)
        held.count(into: &slot.days)
        slot.files.append(record)
        slot.lock.unlock()
        let nineTenths = bytesExpected - bytesExpected / 10
        let added = bytesAdded.add(file.size, ordering: .relaxed).newValue
        if added >= nineTenths, added - file.size < nineTenths {
            wakeUp.withLock {
                commitNow = true
                wakeUp.signal()
            }
        }
        if options.flushEveryFile { flush() }
    }

    /// A batch slot, locked: the first free one from the next in turn. A file's held events
    /// are counted under its lock, so another worker finishing a file meanwhile takes another
    /// slot instead of waiting; it waits only when every slot is busy.
    private func lockedSlot() -> BatchSlot {
        let first = nextSlot.add(1, ordering: .relaxed).oldValue
        for offset in 0..<slots.count {
            let slot = slots[(first + offset) % slots.count]
            if slot.lock.try() { return slot }
        }
        let slot = slots[first % slots.count]
        slot.lock.lock()
        return slot
    }
}
