import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension StateWriter {
    /// Files that own copies this file dropped and have not finished yet.
    private func unfinishedOwners(of partial: FilePartial) -> Set<Int32> {
        partial.keyOwners.subtracting(finished).subtracting([EventClaims.earlierRun])
    }

    func handle(_ message: Message) {
        switch message {
        case .committed(let file, let index, let partial):
            // Once committed by the run, a file's claims stand: whoever dropped copies of its
            // events may be written before it (if the process dies in between, the copies are
            // counted when this file is read again).
            finished.insert(index)
            let owners = partial.keyOwners.subtracting([EventClaims.earlierRun])
            let entry = Waiting(file: file, partial: partial, owners: owners)
            if !owners.isDisjoint(with: failed) {
                waitingForRecovery[index] = entry
            } else if unfinishedOwners(of: partial).isEmpty {
                accept(file, index, partial)
            } else {
                waiting[index] = entry
            }
            let ready = waiting.filter { $0.value.owners.isSubset(of: finished) }
            for waiter in ready.keys.sorted() {
                guard let entry = waiting.removeValue(forKey: waiter) else { continue }
                accept(entry.file, waiter, entry.partial)
            }
        case .failed(let index):
            failed.insert(index)
            for (waiter, entry) in waiting where entry.owners.contains(index) {
                waiting[waiter] = nil
                waitingForRecovery[waiter] = entry
            }
        case .recovered(let index, let partial, let keys):
            guard var entry = waitingForRecovery[index] else { return }
            entry.partial.findings.merge(partial.findings)
            entry.partial.claimedKeys.append(contentsOf: keys)
            entry.partial.duplicates -= keys.count
            waitingForRecovery[index] = entry
        }
    }

    /// Adds a file to the batch.
    func accept(_ file: InputFile, _ index: Int32, _ partial: FilePartial) {
        pending.merge(partial.findings.daily)
        let timed = partial.findings.daily.days.keys.filter { $0 != .untimed }
        pendingFiles.append(
            FileRecord(
                path: file.name, size: file.size, modified: file.modified,
                checksum: partial.checksum ?? 0,
                events: partial.findings.daily.days.values.reduce(0) { $0 + $1.events.total },
                duplicates: partial.duplicates,
                nonCallRecords: partial.findings.aggregate.nonCallRecords,
                unrecognizedRecords: partial.unrecognizedRecords, copyOf: nil,
                keys: partial.claimedKeys, newestDay: timed.max() ?? .untimed))
        if options.flushEveryFile { flush() }
    }

    /// Commits the batch: each touched day read, merged with the batch and written back, and
    /// every file of the batch marked, in one transaction.
    func flush() {
        let refused = condition.withLock {
            let taken = refusedUpdates
            refusedUpdates.removeAll()
            return taken
        }
        guard writeError == nil else { return }
        guard !pending.isEmpty || !pendingFiles.isEmpty || !refused.isEmpty else { return }
        let started = Date()
        flushes += 1
        let now = EpochSeconds(started.timeIntervalSince1970)
        do {
            try store.database.writeTransaction {
                for day in pending.days.keys.sorted() {
                    var merged = try store.loadAggregate(
                        where: "day = ?", [.integer(Int64(day))])
                    merged.merge(pending.days[day]!)
                    try store.replaceDay(day, with: merged)
                }
                for file in pendingFiles { try store.record(file, at: now) }
                for copy in refused { try recordRefused(copy, at: now) }
                if options.crashDuringFlush == flushes {
                    // Test hook: die the hard way with the transaction written but not committed.
                    kill(getpid(), SIGKILL)
                }
            }
            filesCommitted += pendingFiles.count
            eventsCommitted += pendingFiles.reduce(0) { $0 + $1.events }
        } catch let error as StateError {
            writeError = error
        } catch {
            writeError = StateError(path: store.path, "\(error)")
        }
        pending = DailyAggregates()
        pendingFiles.removeAll()
        lastFlush = Date()
        if !options.flushEveryFile {
            // Flushes take at most about a sixth of the time; a kill costs at most one batch.
            flushInterval = max(1, 5 * lastFlush.timeIntervalSince(started))
        }
    }

    private func recordRefused(_ refused: RefusedFile, at now: EpochSeconds) throws {
        guard let original = refused.copyOf else {
            try store.touch(path: refused.file.name, modified: refused.file.modified)
            return
        }
        try store.record(
            FileRecord(
                path: refused.file.name, size: refused.file.size,
                modified: refused.file.modified, checksum: refused.checksum, events: 0,
                duplicates: 0, nonCallRecords: 0, unrecognizedRecords: 0, copyOf: original,
                keys: [], newestDay: .untimed),
            at: now)
    }
}
