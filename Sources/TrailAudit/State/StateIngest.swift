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
    /// List every directory and stat every file, ignoring the directory cache (`--rescan`).
    package var rescan = false
    /// Nanoseconds a directory's change time must lie before the walk for the directory to be
    /// cached: more than any clock tick, and than the clock of a file server is behind ours.
    package var settleTime: Int64 = 60_000_000_000
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
    /// Why a file met again under its path with a new modification time is not counted.
    package static let sameContentNewTime =
        "already ingested (same content, new modification time)"

    /// Log files found under the paths (in this shard).
    package var filesFound = 0
    /// Files in other shards.
    package var filesInOtherShards = 0
    /// Files skipped by path, size and modification time alone, or because their directory
    /// was not changed since they were ingested.
    package var filesUnchanged = 0
    /// Directories not listed, as the directory cache showed them unchanged.
    package var directoriesUnchanged = 0
    /// Files committed to the state in this run, and the events they counted.
    package var filesCommitted = 0
    package var eventsCommitted = 0
    /// The run's own summary: files read, skipped (with reasons), failed, duplicates.
    package var input = InputSummary()
    /// Days deleted by `--retain`.
    package var daysPruned = 0
    /// The error that stopped writing, if any (files after it are read again next time).
    package var writeError: StateError? = nil

    /// Whether the paths held no log file at all, new, known or in another shard: a wrong
    /// path, or a sync that brought nothing.
    package var foundNoLogFile: Bool {
        filesFound == 0 && filesInOtherShards == 0 && input.failed.isEmpty
            && !input.skipped.contains { $0.reason == ExportTree.metAgain }
    }
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
        // Closed before the lock is given up, though the run's threads may still hold the store
        // for a moment after they are done (defers run last to first).
        defer { store.close() }
        var summary = IngestSummary()

        let shardLabel = options.shard.map { "\($0.index)/\($0.count)" } ?? ""
        try store.prepareDirectoryCache()
        let cached = try store.knownDirectories(shard: shardLabel)
        let cache = DirectoryCache(
            directories: options.rescan ? [:] : cached,
            settledBefore: Int64(Date().timeIntervalSince1970 * 1e9) - options.settleTime)
        var tree = ExportTree(paths: paths, cache: cache)
        defer { tree.removeSpools() }
        let found = tree.files
        if let shard = options.shard {
            tree.files = tree.files.filter(shard.contains)
        }
        summary.directoriesUnchanged = tree.unchanged.count
        summary.filesInOtherShards =
            found.count - tree.files.count + tree.unchanged.reduce(0) { $0 + $1.otherShardFiles }
        summary.filesFound = tree.files.count + tree.unchanged.reduce(0) { $0 + $1.logFiles }
        // Loaded only when some directory was listed: an unchanged tree needs none of it.
        let known = tree.files.isEmpty ? [:] : try store.ingestedFiles()
        var handled: Set<String> = []
        tree.files = tree.files.filter { file in
            guard let earlier = known[file.stateKey],
                earlier.size == file.size, earlier.modified == file.modified
            else { return true }
            handled.insert(file.stateKey)
            return false
        }
        summary.filesUnchanged = summary.filesFound - tree.files.count

        var verified = false
        var input = InputSummary()
        input.failed = tree.failed
        if !tree.files.isEmpty || !tree.failed.isEmpty {
            try store.verify()
            verified = true
            handled.formUnion(
                try read(tree, into: store, known: known, options: options, summary: &summary))
            input = summary.input
        }
        if summary.writeError == nil {
            let newest = try store.newestDay()
            let daysBefore = options.retainDays.flatMap { days in
                newest.map { StateStore.firstRetainedDay(newest: $0, keeping: days) }
            }
            let keysBefore = newest.map { $0 - DayNumber(options.dedupeDays) }
            if try store.wouldPrune(daysBefore: daysBefore, keysBefore: keysBefore) {
                if !verified { try store.verify() }
                try store.database.writeTransaction {
                    summary.daysPruned = try store.prune(
                        daysBefore: daysBefore, keysBefore: keysBefore)
                }
                verified = true
            }
            // Only a run that writes anyway (and so checked the state for damage) caches: a
            // night with nothing new writes nothing, and its folders are cached by the next.
            if verified, !tree.listed.isEmpty {
                try cacheDirectories(
                    tree, found: found, shard: options.shard, label: shardLabel,
                    previous: cached, handled: handled, input: input, in: store)
            }
        }
        return summary
    }

    /// Caches the directories the walk listed in which every log file of the shard is now
    /// handled: unchanged, committed, or skipped by the reader for what it holds. A directory
    /// with a file that failed, or was not reached, is listed again next time.
    private static func cacheDirectories(
        _ tree: ExportTree, found: [InputFile], shard: Shard?, label: String,
        previous: [[UInt8]: KnownDirectory], handled: Set<String>, input: InputSummary,
        in store: StateStore
    ) throws {
        func parent(_ path: [UInt8]) -> [UInt8] {
            Array(path[...(path.lastIndex(of: UInt8(ascii: "/")) ?? path.startIndex)])
        }
        // Notes name paths decoded as UTF-8; decoding a path gives its directory's decoding
        // up to the last "/", so the directories compare decoded too.
        let failedDirectories = Set(input.failed.map { parent(Array($0.path.utf8)) })
        let skipped = Set(input.skipped.map(\.path))
        var counts: [[UInt8]: (files: Int, otherShards: Int, open: Bool)] = [:]
        for file in found {
            let base = parent(file.rawPath)
            var entry = counts[base] ?? (0, 0, false)
            if shard.map({ $0.contains(file) }) ?? true {
                entry.files += 1
                if !handled.contains(file.stateKey), !skipped.contains(file.name) {
                    entry.open = true
                }
            } else {
                entry.otherShards += 1
            }
            counts[base] = entry
        }
        try store.recordDirectories(tree.listed, shard: label, previous: previous) { base in
            guard !failedDirectories.contains(Array(String(decoding: base, as: UTF8.self).utf8))
            else { return nil }
            let entry = counts[base] ?? (0, 0, false)
            return entry.open ? nil : (entry.files, entry.otherShards)
        }
    }

    /// Reads and commits the files; returns the state keys of the files committed.
    private static func read(
        _ tree: ExportTree, into store: StateStore, known: [String: IngestedFile],
        options: IngestOptions, summary: inout IngestSummary
    ) throws -> Set<String> {
        // The state keeps keys across runs and merges them across shards: one fixed seed.
        // Every key listed: the state stores each file's keys.
        let claims = EventClaims(
            horizonDays: options.dedupeDays, contentSeed: 0, keyListLimit: nil)
        if let newest = try store.newestDay() {
            // Each under its file's delivery day, so that a copy in a new file is dropped or
            // counted as it would be if both files were read in one run.
            for (path, keys) in try store.eventKeysByFile(
                since: newest - DayNumber(options.dedupeDays))
            {
                claims.preload(keys, day: InputFile.deliveryDay(of: ExportKey(path: path)))
            }
        }
        let writer = StateWriter(
            store: store, options: options, known: known,
            bytesExpected: tree.files.reduce(0) { $0 + $1.size })
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
        return writer.committedPaths
    }
}
