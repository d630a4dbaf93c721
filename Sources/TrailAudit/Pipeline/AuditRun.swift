import Foundation
import Synchronization

/// How a run reads its input.
package struct RunOptions: Sendable {
    /// Worker threads; each reads files and decodes batches.
    package var jobs = ProcessInfo.processInfo.activeProcessorCount
    package var window = TimeWindow()
    /// How long after the window's end a file may be delivered and still be read (`--late`).
    package var lateDelivery = ExportKey.deliverySlack
    package var maxRecordSize = 16 * 1024 * 1024
    /// Cap on inflated bytes per file, against decompression bombs; nil for none.
    package var maxInflatedBytes: Int? = nil
    /// Cap on the inflated-to-compressed ratio of a gzip file (see `GzipReader.maxRatio`).
    package var maxRatio: Int? = 1000
    /// The library that inflates gzip (`--inflate`).
    package var inflateEngine = InflateEngine.fastest
    /// Stop reading at the first file that fails.
    package var strict = false
    /// With a filter the run collects matching events (`trailaudit events`) instead of counting.
    package var filter: EventFilter? = nil
    /// Most matching events kept (the earliest); nil for all.
    package var matchLimit: Int? = nil
    /// Collect the trace index (keys issued and used) instead of counting.
    package var collectsTrace = false
    /// Collect one principal's timeline instead of counting.
    package var timeline: TimelineQuery? = nil
    /// Count events per UTC day (`Findings.daily`) instead of into one aggregate.
    package var countsPerDay = false
    /// Checksum each file's bytes as read (`FilePartial.checksum`).
    package var checksumsFiles = false
    /// Claims to start from: events counted by earlier runs (the nightly state's horizon).
    package var claims: EventClaims? = nil
    /// Days after a file's delivery that copies of its events are still dropped (see
    /// `EventClaims`; the README's duplicates horizon); nil for the whole run.
    package var dedupeHorizonDays: Int? = 7
    /// Events a worker counts on its own before it adds them to the run's result. Each worker
    /// meets most of the run's principals, actions and resources, so holding all of its counts
    /// to the end would keep a copy of them per worker until the last merge; shared every so
    /// often, the run holds one, plus what each worker counted since (4 GiB tree, two jobs:
    /// peak RSS 155 MB held to the end; 131, 132 and 136 MB shared every 32,768, 65,536 and
    /// 131,072 events). Sharing every 32,768 events cost 1.3% more instructions, so a single
    /// worker, which holds the only copy anyway, never shares before it ends. The merge takes
    /// the result's lock for a few thousand keys, a rare wait.
    package var eventsBetweenShares = 1 << 16
    /// Receives each finished file (the nightly state's writer); nil for a plain run.
    package var sink: (any FileSink)? = nil
    /// Called on a background thread about twice a second while the run goes.
    package var progress: (@Sendable (RunProgress) -> Void)? = nil

    package init() {}
}

/// Receives whole files as a run finishes them, on worker threads: what `trailaudit ingest`
/// writes to its state. A file arrives once, as committed or failed; recovered events of a
/// committed file (see `Worker.recoverEventsOfFailedFiles`) arrive after every file is done.
package protocol FileSink: AnyObject, Sendable {
    /// Why file `index`, read whole, must not count after all, or nil to commit it.
    func refusal(of file: InputFile, index: Int32, checksum: UInt64?) -> FileRefusal?
    /// A file that counts: its events, keys and checksum.
    func committed(_ file: InputFile, index: Int32, _ partial: FilePartial)
    /// A file that failed or was refused: nothing of it counts, and its claims were released.
    func failed(index: Int32)
    /// Events of a committed file that a failed file had claimed first, now counted here.
    func recovered(index: Int32, _ partial: FilePartial, keys: Set<EventKey>)
}

/// What a sink says of a file it refuses.
package enum FileRefusal: Sendable {
    /// Not counted, and fine (the same content was ingested under another path).
    case skip(String)
    /// Not counted, and wrong (a file changed after it was ingested).
    case fail(String)
    /// Not counted: the same bytes as file `of` of this run, which counts instead; the events
    /// this file claimed pass to that one (claimed on its behalf, counted from it at the end).
    case copy(String, of: Int32)
}

/// Counters a progress line shows.
package struct RunProgress: Sendable {
    package var filesDone: Int
    package var filesTotal: Int
    package var bytesRead: Int
    package var bytesTotal: Int
    package var events: Int
    package var elapsed: Double
}

/// What a run found besides the aggregate: the fate of every file.
package struct InputSummary: Sendable {
    package var filesRead = 0
    package var skipped: [FileNote] = []
    package var failed: [FileNote] = []
    package var duplicateEvents = 0
    /// JSON objects in files that were read that are neither events nor known envelopes.
    package var unrecognizedRecords = 0
    /// Events read from files that then failed; none of them is counted.
    package var eventsInFailedFiles = 0

    package init() {}
}

/// The result of reading every input: the aggregate and the input summary.
package struct AuditResult: Sendable {
    package var aggregate: Aggregate
    package var input: InputSummary
    /// Events that passed `RunOptions.filter`, in time order.
    package var matches: [MatchedEvent] = []
    /// Keys issued and used, with `RunOptions.collectsTrace`.
    package var trace = TraceIndex()
    /// The principal's activity, with `RunOptions.timeline`.
    package var timeline = TimelineAggregate()
}

/// Reads the input files on `jobs` workers and merges what they found.
package enum AuditRun {
    /// Reads `tree`'s files. Output does not depend on `jobs` or file order.
    package static func run(_ tree: ExportTree, options: RunOptions) -> AuditResult {
        // In delivery order, so the claims of files delivered long before can be forgotten.
        let state = RunState(
            files: tree.files.sorted(by: InputFile.deliveredBefore), options: options)
        state.input.skipped = tree.skipped
        state.input.failed = tree.failed

        let finished = DispatchGroup()
        for id in 0..<state.workerCount {
            finished.enter()
            let thread = Thread {
                var worker = Worker(state: state, id: id)
                worker.run()
                finished.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        let reporter = options.progress.map { ProgressReporter(state: state, report: $0) }
        reporter?.start()
        finished.wait()
        reporter?.stop()

        var recovery = Worker(state: state, id: 0)
        recovery.recoverEventsOfFailedFiles()

        return state.result()
    }
}
