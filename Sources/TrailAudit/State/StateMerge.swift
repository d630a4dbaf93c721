import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `trailaudit merge` did.
package struct MergeSummary: Sendable {
    package var parts = 0
    package var days = 0
    package var files = 0
    /// Events (by key, within each part's horizon) that more than one part counted: copies
    /// of one event delivered in files that fell in different shards.
    package var eventsInSeveralParts = 0
    /// Days older than the merged state's newest `retainDays` deleted (`merge --retain`).
    package var daysPruned = 0
}

/// `trailaudit merge OUT PARTS...`: combines states built over disjoint files (shards) into one,
/// day by day, in one transaction; the result is what one ingest over all the files gives.
package enum StateMerge {
    /// Merges `parts` into the state at `output` (created if missing, else merged into), then
    /// deletes the days older than the newest `retainDays` of the result, as `ingest --retain`
    /// does: a part pruned only from its own newest day, and a shard whose trails stopped
    /// earlier keeps days that one ingest over all the files would have deleted.
    package static func run(
        output: String, parts: [String], wait: Bool, retainDays: Int? = nil
    ) throws -> MergeSummary {
        var named: [[UInt64]: String] = [:]
        var order: [(key: [UInt64], path: String)] = []
        for path in parts {
            var status = stat()
            guard stat(path, &status) == 0 else {
                throw StateError(path: path, "no such file; nothing merged")
            }
            let identity = [UInt64(status.st_dev), UInt64(status.st_ino)]
            if let other = named.updateValue(path, forKey: identity) {
                throw StateError(path: path, "named twice (also as \(other)); nothing merged")
            }
            order.append((identity, path))
        }
        // A missing output is made now, empty, so that every merge orders it by its device and
        // inode like the parts; one this merge made is removed again if the merge is refused.
        let (identity, made) = try claimOutput(output)
        if let other = named[identity] {
            throw StateError(path: output, "is also a part (as \(other)); nothing merged")
        }
        order.append((identity, output))
        var locks: [(path: String, lock: StateLock)] = []
        do {
            // In the order of device and inode (a link is the same file): two merges that wait
            // never wait on each other, whatever the names.
            for entry in order.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                locks.append((entry.path, try StateLock(statePath: entry.path, wait: wait)))
            }
            return try merge(parts, into: output, retainDays: retainDays)
        } catch {
            // Only under the output's lock and while still empty: a refused merge never writes
            // the output (every check comes before it is made a state), and a file another
            // merge holds, or has written, is that merge's.
            if let made {
                let held = locks.first { $0.path == output }?.lock
                if let lock = try? held ?? StateLock(statePath: output, wait: false) {
                    lock.removeEmptyState(at: output, made: made)
                }
            }
            throw error
        }
    }

    /// The output's device and inode, making it (empty) if it is missing; the second value is
    /// set when this call made it. A dangling symbolic link orders first (`StateLock` makes its
    /// target).
    private static func claimOutput(_ output: String) throws -> (
        [UInt64], (device: UInt64, inode: UInt64)?
    ) {
        var status = stat()
        if lstat(output, &status) != 0, errno == ENOENT {
            let descriptor = open(output, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                defer { close(descriptor) }
                if fstat(descriptor, &status) == 0 {
                    let made = (UInt64(status.st_dev), UInt64(status.st_ino))
                    return ([made.0, made.1], made)
                }
            }
        }
        guard stat(output, &status) == 0 else { return ([0, 0], nil) }
        return ([UInt64(status.st_dev), UInt64(status.st_ino)], nil)
    }

    /// The merge itself, under the locks. Everything that can refuse it runs before the output
    /// is made a state (an empty new state would pass for the merge's result).
    private static func merge(_ parts: [String], into output: String, retainDays: Int?) throws
        -> MergeSummary
    {
        // The parts are checked too: a damaged part would carry wrong counts into the output.
        let sources = try parts.map { try StateStore(path: $0, create: false, verify: true) }
        var status = stat()
        let isNew = stat(output, &status) == 0 && status.st_size == 0
        let existing = isNew ? nil : try StateStore(path: output, create: false, verify: true)
        var summary = MergeSummary()
        summary.parts = sources.count

        var owner = try (existing?.ingestedFiles() ?? [:]).mapValues { _ in output }
        for source in sources {
            for path in try source.ingestedFiles().keys {
                if let other = owner[path] {
                    throw StateError(
                        path: source.path,
                        "\(path) was ingested into both \(other) and \(source.path): the parts"
                            + " overlap (was the same --shard given twice?); nothing merged")
                }
                owner[path] = source.path
            }
        }
        try refuseSharedContent(among: (existing.map { [$0] } ?? []) + sources)
        let target = try existing ?? StateStore(path: output, create: true, verify: true)
        var seen = Set(try target.eventKeys(since: .untimed))
        for source in sources {
            for key in try source.eventKeys(since: .untimed) where !seen.insert(key).inserted {
                summary.eventsInSeveralParts += 1
            }
        }

        try target.database.writeTransaction {
            var days = Set(try target.storedDays())
            for source in sources { days.formUnion(try source.storedDays()) }
            for day in days.sorted() {
                var merged = try target.loadAggregate(where: "day = ?", [.integer(Int64(day))])
                var rules = try target.countingRules(of: day) ?? StateSchema.countingRules
                for source in sources {
                    merged.merge(try source.loadAggregate(where: "day = ?", [.integer(Int64(day))]))
                    rules = min(rules, try source.countingRules(of: day) ?? rules)
                }
                try target.replaceDay(day, with: merged, rules: rules)
            }
            summary.days = days.count
            for source in sources {
                summary.files += try target.copyFiles(from: source)
                if let retained = try source.retainedFrom() {
                    try target.noteRetained(from: retained)
                }
            }
            // A part pruned by --retain deleted its days before its cut: the other parts' days
            // before it go too, or the merged state would count those days for some files
            // only. One ingest over all the files cuts at least as late (its newest day is the
            // newest of all), so nothing it keeps is deleted.
            if let cut = try target.retainedFrom() {
                summary.daysPruned += try target.prune(daysBefore: cut, keysBefore: nil)
            }
            if let retainDays, let newest = try target.newestDay() {
                summary.daysPruned += try target.prune(
                    daysBefore: StateStore.firstRetainedDay(newest: newest, keeping: retainDays),
                    keysBefore: nil)
            }
        }
        return summary
    }

    /// Refuses parts that counted the same file under different paths (a re-synced tree,
    /// another mount point): ingest recognises such a copy by its content, but once both are
    /// counted in separate parts, their events cannot be told apart.
    private static func refuseSharedContent(among stores: [StateStore]) throws {
        var counted: [StateWriter.ContentIdentity: (path: String, state: String)] = [:]
        for store in stores {
            for (path, content) in try store.countedContents() {
                if let other = counted[content], other.state != store.path {
                    throw StateError(
                        path: store.path,
                        "\(path) in \(store.path) has the same content as \(other.path) in"
                            + " \(other.state) (\(content.size) bytes): the parts read the same"
                            + " files under different paths, and their events cannot be"
                            + " separated; nothing merged")
                }
                counted[content] = (path, store.path)
            }
        }
    }
}

extension StateStore {
    /// Every day with rows, the events without a time included.
    func storedDays() throws -> [DayNumber] {
        var days: [DayNumber] = []
        try database.prepare("SELECT DISTINCT day FROM days ORDER BY day").forEachRow {
            days.append(DayNumber($0.int(0)))
        }
        return days
    }

    /// The content of every file that counted events (copies and files whose events were all
    /// duplicates counted none), by path.
    func countedContents() throws -> [(String, StateWriter.ContentIdentity)] {
        var contents: [(String, StateWriter.ContentIdentity)] = []
        try database.prepare(
            "SELECT path, checksum, size FROM files WHERE events > 0 AND copy_of IS NULL"
        ).forEachRow { row in
            let checksum = UInt64(bitPattern: Int64(row.int(1)))
            contents.append(
                (row.text(0), StateWriter.ContentIdentity(checksum: checksum, size: row.int(2))))
        }
        return contents
    }

    /// Copies the file rows and event keys of `source` in; returns how many files.
    func copyFiles(from source: StateStore) throws -> Int {
        let insertFile = try database.prepare(
            """
            INSERT INTO files(path, size, checksum, ingested_at, events, duplicates,
                non_call_records, unrecognized_records, mtime, copy_of, event_days)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var count = 0
        try source.database.prepare(
            """
            SELECT path, size, checksum, ingested_at, events, duplicates, non_call_records,
                unrecognized_records, mtime, copy_of, event_days FROM files
            """
        ).forEachRow { row in
            try insertFile.bind(
                .text(row.text(0)), .int(row.int(1)), .int(row.int(2)), .int(row.int(3)),
                .int(row.int(4)), .int(row.int(5)), .int(row.int(6)), .int(row.int(7)),
                .int(row.int(8)), .string(row.optionalText(9)), .string(row.optionalText(10))
            ).run()
            count += 1
        }
        let insertKeys = try database.prepare("INSERT OR REPLACE INTO event_keys VALUES (?, ?, ?)")
        try source.database.prepare("SELECT path, newest_day, keys FROM event_keys").forEachRow {
            try insertKeys.bind(.text($0.text(0)), .int($0.int(1)), .blob($0.blob(2))).run()
        }
        return count
    }
}
