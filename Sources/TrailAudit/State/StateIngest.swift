import Foundation

/// How `trailaudit ingest` runs.
package struct IngestOptions: Sendable {
    /// How files are read (jobs, limits, progress); the window is not used.
    package var run = RunOptions()
    /// Only the files of shard `index` of `count` (`--shard I/N`).
    package var shard: Shard? = nil
    /// Days kept before the newest day (`--retain`); nil keeps every day.
    package var retainDays: Int? = nil
    /// Days of event keys kept for dropping duplicates across runs (see the README: horizon).
    package var dedupeDays = 7
    /// Wait for another process that holds the state instead of refusing.
    package var wait = false
    /// Commit after every file (tests: many commit points to be killed at).
    package var flushEveryFile = false
    /// Test hook: the process kills itself during this flush, before it commits.
    package var crashDuringFlush: Int? = nil
    /// Test hook: microseconds each finished file waits before it is handed over, so a test
    /// that kills the process at a random moment finds it still running on any machine.
    package var delayPerFile: UInt32 = 0

    package init() {}
}

/// A deterministic part of the files: shard `index` of `count`.
package struct Shard: Sendable, Equatable {
    package var index: Int
    package var count: Int

    package init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Whether `file` belongs to this shard, by its key (see `shardKey`).
    package func contains(_ file: InputFile) -> Bool {
        Int(Shard.stableHash(Shard.shardKey(of: file)) % UInt64(count)) == index
    }

    /// What a file is sharded by: its trail's account and region (`ACCOUNT/REGION`), so every
    /// re-delivered copy of an event, which CloudTrail writes to the same account and region
    /// (facts §4.4), falls in the same shard and is counted once; else its file name.
    package static func shardKey(of file: InputFile) -> String {
        guard let account = file.key.account, let region = file.key.region else {
            return file.name.split(separator: "/").last.map(String.init) ?? file.name
        }
        return "\(account)/\(region)"
    }

    /// FNV-1a, then MurmurHash3's 64-bit finalizer (FNV's low bits depend on the low bits of
    /// the bytes only, and the shard is taken modulo N): the same on every machine and run.
    package static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }
}

/// What an ingest did.
package struct IngestSummary: Sendable {
    /// Log files found under the paths (in this shard).
    package var filesFound = 0
    /// Files in other shards.
    package var filesInOtherShards = 0
    /// Files skipped by path, size and modification time alone.
    package var filesUnchanged = 0
    /// Files committed to the state in this run, and the events they counted.
    package var filesCommitted = 0
    package var eventsCommitted = 0
    /// The run's own summary: files read, skipped (with reasons), failed, duplicates.
    package var input = InputSummary()
    /// Days deleted by `--retain`.
    package var daysPruned = 0
    /// The error that stopped writing, if any (files after it are read again next time).
    package var writeError: StateError? = nil
}

/// `trailaudit ingest`: reads only the files the state has not seen and commits them.
package enum StateIngest {
    /// Ingests the log files under `paths` into the state at `statePath`.
    package static func run(paths: [String], statePath: String, options: IngestOptions) throws
        -> IngestSummary
    {
        let lock = try StateLock(statePath: statePath, wait: options.wait)
        defer { withExtendedLifetime(lock) {} }
        // Damage is checked before the first write, not at open: a night with nothing new
        // writes nothing, and reading every page would be most of its cost.
        let store = try StateStore(path: statePath, create: true)
        var summary = IngestSummary()

        var tree = ExportTree(paths: paths)
        defer { tree.removeSpools() }
        if let shard = options.shard {
            let all = tree.files.count
            tree.files = tree.files.filter(shard.contains)
            summary.filesInOtherShards = all - tree.files.count
        }
        summary.filesFound = tree.files.count
        let known = try store.ingestedFiles()
        tree.files = tree.files.filter { file in
            guard let earlier = known[file.stateKey] else { return true }
            return earlier.size != file.size || earlier.modified != file.modified
        }
        summary.filesUnchanged = summary.filesFound - tree.files.count

        var verified = false
        if !tree.files.isEmpty || !tree.failed.isEmpty {
            try store.verify()
            verified = true
            try read(tree, into: store, known: known, options: options, summary: &summary)
        }
        if summary.writeError == nil {
            let newest = try store.newestDay()
            let daysBefore = options.retainDays.flatMap { days in
                newest.map { $0 - DayNumber(days) + 1 }
            }
            let keysBefore = newest.map { $0 - DayNumber(options.dedupeDays) }
            if try store.wouldPrune(daysBefore: daysBefore, keysBefore: keysBefore) {
                if !verified { try store.verify() }
                try store.database.writeTransaction {
                    summary.daysPruned = try store.prune(
                        daysBefore: daysBefore, keysBefore: keysBefore)
                }
            }
        }
        return summary
    }

    private static func read(
        _ tree: ExportTree, into store: StateStore, known: [String: IngestedFile],
        options: IngestOptions, summary: inout IngestSummary
    ) throws {
        let claims = EventClaims()
        if let newest = try store.newestDay() {
            claims.preload(try store.eventKeys(since: newest - DayNumber(options.dedupeDays)))
        }
        let writer = StateWriter(store: store, options: options, known: known)
        var run = options.run
        run.window = TimeWindow()
        run.countsPerDay = true
        run.checksumsFiles = true
        run.claims = claims
        run.sink = writer

        writer.start()
        let result = AuditRun.run(tree, options: run)
        writer.finish()

        summary.input = result.input
        summary.filesCommitted = writer.filesCommitted
        summary.eventsCommitted = writer.eventsCommitted
        summary.writeError = writer.writeError
    }
}
