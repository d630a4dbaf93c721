import Foundation
import Synchronization

/// A partial result only one worker writes to.
final class PartialSlot: @unchecked Sendable {
    // Unchecked: written by its own worker only; read by the worker that finishes the file,
    // after the file's lock orders the two.
    var partial = FilePartial()
}

/// One file in flight: its partial result and the batches still being decoded.
final class FileJob: @unchecked Sendable {
    // Unchecked: every mutable field is guarded by `lock`; `slots` as `PartialSlot` says.
    let file: InputFile
    /// One partial per worker for the batches it decodes, merged once when the file is done
    /// rather than once per batch.
    let slots: [PartialSlot]
    /// Position in the run's file list; owns the file's event claims.
    let index: Int32
    /// How this file's events are de-duplicated.
    let dedupe: Dedupe
    private let lock = NSLock()
    private var partial = FilePartial()
    private var pendingBatches = 0
    private var readerDone = false
    private var error: InputError?

    init(file: InputFile, index: Int32, dedupe: Dedupe, workers: Int) {
        slots = (0..<workers).map { _ in PartialSlot() }
        self.file = file
        self.index = index
        self.dedupe = dedupe
    }

    func batchQueued() {
        lock.withLock { pendingBatches += 1 }
    }

    /// Notes a batch decoded into a slot (whole, or up to the error); returns the finished
    /// job's outcome if this was the last piece.
    func batchDecoded(error failure: InputError?) -> (FilePartial, InputError?)? {
        lock.withLock {
            pendingBatches -= 1
            if error == nil { error = failure }
            return takeIfFinished()
        }
    }

    /// Marks the reader finished; returns the job's outcome if no batch is still pending.
    func readerFinished(_ piece: FilePartial, error: InputError?) -> (FilePartial, InputError?)? {
        lock.withLock {
            readerDone = true
            absorb(piece, error)
            return takeIfFinished()
        }
    }

    var hasFailed: Bool { lock.withLock { error != nil } }

    /// Keeps every piece, even of a failing file: its claims must be given back.
    private func absorb(_ piece: FilePartial, _ failure: InputError?) {
        partial.merge(piece)
        if error == nil { error = failure }
    }

    private func takeIfFinished() -> (FilePartial, InputError?)? {
        guard readerDone, pendingBatches == 0 else { return nil }
        for slot in slots {
            partial.merge(slot.partial)
            slot.partial = FilePartial()
        }
        let finished = (partial, error)
        partial = FilePartial()
        return finished
    }
}

/// Work shared by the workers: files to read, batches to decode, and the merged result.
final class RunState: @unchecked Sendable {
    // Unchecked: `queue` guards the work lists, `resultLock` the merged result; the atomics
    // are only read for progress.
    let files: [InputFile]
    let options: RunOptions
    let queue = NSCondition()
    var nextFile = 0
    var activeReaders = 0
    /// Files without a delivery time being read or decoded: S3-layout files wait for them.
    var timelessFilesBeingRead = 0
    var batches: [(RecordBatch, FileJob)] = []
    /// Emptied batches whose buffers a reader fills next: a batch a worker decodes for
    /// another comes back here instead of being freed (see `ChunkBuffers` for why).
    var spareBatches: [RecordBatch] = []
    var cancelled = false

    let resultLock = NSLock()
    var findings: Findings
    var input = InputSummary()
    let claims: EventClaims
    /// Files that failed (or were withdrawn) after claiming events, which they gave back.
    var releasedFiles = Set<Int32>()
    /// Files committed so far: their claims stand.
    var committedFiles = Set<Int32>()
    /// Files handed the claims of a twin (a file with the same bytes) set aside.
    var filesGivenClaims = Set<Int32>()
    /// Committed files that dropped copies of events claimed by files not committed then, by
    /// file index.
    var droppedCopies: [Int32: [DroppedCopy]] = [:]

    let filesDone = Atomic<Int>(0)
    let bytesRead = Atomic<Int>(0)
    let eventsRead = Atomic<Int>(0)
    let started = Date()
    let bytesTotal: Int

    init(files: [InputFile], options: RunOptions) {
        self.files = files
        self.options = options
        findings = Findings(matchLimit: options.matchLimit)
        claims = options.claims ?? EventClaims(horizonDays: options.dedupeHorizonDays)
        bytesTotal = files.reduce(0) { $0 + $1.size }
    }

    /// Number of worker threads.
    var workerCount: Int { max(1, options.jobs) }

    /// Most batches waiting at once; past it a reader decodes its own, which bounds memory.
    var maxQueuedBatches: Int { max(2, options.jobs * 2) }

    /// Most spare batches kept: as many as can be queued and being filled at once.
    var maxSpareBatches: Int { maxQueuedBatches + workerCount }

    func result() -> AuditResult {
        resultLock.withLock {
            input.failed.sort()
            input.skipped.sort()
            return AuditResult(
                aggregate: findings.aggregate, input: input, matches: findings.matches.finished(),
                trace: findings.trace, timeline: findings.timeline)
        }
    }

    func progress() -> RunProgress {
        RunProgress(
            filesDone: filesDone.load(ordering: .relaxed), filesTotal: files.count,
            bytesRead: bytesRead.load(ordering: .relaxed), bytesTotal: bytesTotal,
            events: eventsRead.load(ordering: .relaxed), elapsed: Date().timeIntervalSince(started))
    }
}
