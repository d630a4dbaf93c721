import Foundation

/// The one writer of an ingest: takes whole files from the workers and commits them to the
/// state in batches, each batch one transaction holding every file's per-day counts, its row
/// in `files` and its event keys. A process killed at any moment leaves whole batches only;
/// the files of the lost batch are not marked and are read again next time.
///
/// A file that dropped copies of events another file of this run claimed waits until that
/// file is known to count (so the copy is never lost), or, if that file failed, until the end
/// of the run, when the events are recovered into it (`recovered`).
final class StateWriter: FileSink, @unchecked Sendable {
    // Unchecked: `condition` guards `inbox`, `finishing` and `refusedUpdates`; everything
    // else is touched by the writer thread only (and by `finish` after the thread ended).
    let store: StateStore
    let options: IngestOptions
    /// Files ingested before this run, by path, and by checksum and size.
    let known: [String: IngestedFile]
    let knownContent: [ContentIdentity: String]

    let condition = NSCondition()
    private var inbox: [Message] = []
    private var finishing = false
    /// Files refused as already ingested: their rows to record at the next flush.
    var refusedUpdates: [RefusedFile] = []
    private let done = DispatchSemaphore(value: 0)

    // Writer thread only.
    /// Files the run committed (their claims stand), written or still waiting.
    var finished: Set<Int32> = []
    var failed: Set<Int32> = []
    var waiting: [Int32: Waiting] = [:]
    var waitingForRecovery: [Int32: Waiting] = [:]
    var pending = DailyAggregates()
    var pendingFiles: [FileRecord] = []
    var lastFlush = Date()
    var flushInterval: TimeInterval
    var flushes = 0
    /// The first failure to write; nothing more is written after it.
    var writeError: StateError?
    /// Files committed and events counted, for the summary.
    var filesCommitted = 0
    var eventsCommitted = 0

    enum Message {
        case committed(InputFile, Int32, FilePartial)
        case failed(Int32)
        case recovered(Int32, FilePartial, Set<EventKey>)
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

    init(store: StateStore, options: IngestOptions, known: [String: IngestedFile]) {
        self.store = store
        self.options = options
        self.known = known
        var content: [ContentIdentity: String] = [:]
        for (path, file) in known {
            let identity = ContentIdentity(checksum: file.checksum, size: file.size)
            if let other = content[identity], other < path { continue }
            content[identity] = path
        }
        knownContent = content
        flushInterval = options.flushEveryFile ? 0 : 1
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in
            loop()
            done.signal()
        }
        thread.start()
    }

    // MARK: FileSink (worker threads)

    func refusal(of file: InputFile, checksum: UInt64?) -> FileRefusal? {
        guard let checksum else { return nil }
        if let earlier = known[file.name] {
            guard earlier.checksum == checksum, earlier.size == file.size else {
                return .fail(
                    "changed since it was ingested (size \(earlier.size) -> \(file.size) or other"
                        + " bytes); CloudTrail never rewrites a log file, so the new content is"
                        + " not counted")
            }
            condition.withLock {
                refusedUpdates.append(RefusedFile(file: file, checksum: checksum, copyOf: nil))
            }
            return .skip("already ingested (same content, new modification time)")
        }
        let identity = ContentIdentity(checksum: checksum, size: file.size)
        if let original = knownContent[identity] {
            condition.withLock {
                refusedUpdates.append(RefusedFile(file: file, checksum: checksum, copyOf: original))
            }
            return .skip("same content as \(original), ingested before; not counted again")
        }
        return nil
    }

    func committed(_ file: InputFile, index: Int32, _ partial: FilePartial) {
        post(.committed(file, index, partial))
    }

    func failed(index: Int32) { post(.failed(index)) }

    func recovered(index: Int32, _ partial: FilePartial, keys: Set<EventKey>) {
        post(.recovered(index, partial, keys))
    }

    private func post(_ message: Message) {
        condition.withLock {
            inbox.append(message)
            condition.signal()
        }
    }

    // MARK: Writer thread

    private func loop() {
        while true {
            let (messages, ending): ([Message], Bool) = condition.withLock {
                while inbox.isEmpty && !finishing {
                    if !condition.wait(until: Date().addingTimeInterval(0.25)) { break }
                }
                let taken = inbox
                inbox.removeAll()
                return (taken, finishing)
            }
            for message in messages { handle(message) }
            if Date().timeIntervalSince(lastFlush) >= flushInterval { flush() }
            if ending && messages.isEmpty { return }
        }
    }

    /// Waits for the writer thread, commits what waited for recovered events, and writes the
    /// last batch. Call after the run returned (every file is committed or failed by then).
    func finish() {
        condition.withLock {
            finishing = true
            condition.signal()
        }
        done.wait()
        for index in waitingForRecovery.keys.sorted() {
            guard let entry = waitingForRecovery.removeValue(forKey: index) else { continue }
            accept(entry.file, index, entry.partial)
        }
        // Files still waiting on a file that never finished (a --strict stop) are not marked:
        // they are read again next time.
        flush()
    }
}
