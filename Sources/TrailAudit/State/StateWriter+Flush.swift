import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension StateWriter {
    /// The file name of `path` when it is a CloudTrail log file's
    /// (`ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz`): CloudTrail names each log
    /// file once (facts §4.1), so two contents under one such name are a broken copy or
    /// tampering, wherever each was found.
    static func logFileName(_ path: String) -> Substring? {
        let name = path[(path.lastIndex(of: "/").map(path.index(after:)) ?? path.startIndex)...]
        guard name.contains("_CloudTrail_"), ExportKey(path: String(name)).delivered != nil
        else { return nil }
        return name
    }

    static func sameNameOtherContent(_ other: String) -> String {
        "other bytes than \(other), a log file of the same name; CloudTrail names each log file "
            + "once, so one of them is a broken copy or was tampered with: not counted"
    }

    // MARK: FileSink (worker threads)

    func refusal(of file: InputFile, index: Int32, checksum: UInt64?) -> FileRefusal? {
        guard let checksum else { return nil }
        if let earlier = known[file.stateKey] {
            guard earlier.checksum == checksum, earlier.size == file.size else {
                return .fail(
                    "changed since it was ingested (size \(earlier.size) -> \(file.size) or other"
                        + " bytes); CloudTrail never rewrites a log file, so the new content is"
                        + " not counted")
            }
            bookkeeping.withLock {
                refusedUpdates.append(RefusedFile(file: file, checksum: checksum, copyOf: nil))
            }
            return .skip(IngestSummary.sameContentNewTime)
        }
        let identity = ContentIdentity(checksum: checksum, size: file.size)
        let name = StateWriter.logFileName(file.stateKey)
        if let name, let earlier = knownNames[name], earlier.content != identity {
            return .fail(StateWriter.sameNameOtherContent(earlier.path))
        }
        if let original = knownContent[identity] {
            bookkeeping.withLock {
                refusedUpdates.append(RefusedFile(file: file, checksum: checksum, copyOf: original))
            }
            return .skip("same content as \(original), ingested before; not counted again")
        }
        // The same bytes under two paths in one run: the first read whole counts, the other
        // is a copy (its events go to the first). Were both to count, each holding the events
        // the other dropped, a kill between their commits would lose the first's share: the
        // next run refuses it as a copy of the second.
        let (first, other): ((path: String, index: Int32)?, String?) = bookkeeping.withLock {
            if let name {
                if let other = namesThisRun[name], other.content != identity {
                    return (nil, other.path)
                }
                namesThisRun[name] = (file.stateKey, identity)
            }
            guard let first = readThisRun[identity] else {
                readThisRun[identity] = (file.stateKey, index)
                return (nil, nil)
            }
            refusedUpdates.append(RefusedFile(file: file, checksum: checksum, copyOf: first.path))
            return (first, nil)
        }
        if let other { return .fail(StateWriter.sameNameOtherContent(other)) }
        return first.map {
            .copy("same content as \($0.path), read in this run; not counted twice", of: $0.index)
        }
    }

    func committed(_ file: InputFile, index: Int32, _ partial: FilePartial) {
        // Once committed by the run, a file's claims stand: whoever dropped copies of its
        // events may be written before it (if the process dies in between, the copies are
        // counted when this file is read again).
        let owners = partial.keyOwners.subtracting([EventClaims.earlierRun])
        // A file that dropped copies of other files' events may wait for them (or for the
        // end of the run): its held events would keep every event's facts alive meanwhile
        // (16 jobs, 1,500 such files beside a 400,000-event file: 539 MB against 352 MB), so
        // it counts them into its own days first, as compact as before.
        var partial = partial
        if !owners.isEmpty { partial.findings.countPending() }
        let ready: [Waiting] = bookkeeping.withLock {
            finished.insert(index)
            let entry = Waiting(file: file, partial: partial, owners: owners)
            var ready: [Waiting] = []
            if !owners.isDisjoint(with: failed) {
                waitingForRecovery[index] = entry
            } else if owners.isSubset(of: finished) {
                ready.append(entry)
            } else {
                waiting[index] = entry
            }
            for waiter in waiting.keys.sorted() where waiting[waiter]!.owners.isSubset(of: finished)
            {
                ready.append(waiting.removeValue(forKey: waiter)!)
            }
            return ready
        }
        for entry in ready { add(entry.file, entry.partial) }
    }

    func failed(index: Int32) {
        bookkeeping.withLock {
            failed.insert(index)
            for (waiter, entry) in waiting where entry.owners.contains(index) {
                waiting[waiter] = nil
                waitingForRecovery[waiter] = entry
            }
        }
    }

    func recovered(index: Int32, _ partial: FilePartial, keys: Set<EventKey>) {
        bookkeeping.withLock {
            guard var entry = waitingForRecovery[index] else { return }
            entry.partial.findings.merge(partial.findings)
            entry.partial.claimedKeys.append(contentsOf: keys)
            entry.partial.duplicates -= keys.count
            waitingForRecovery[index] = entry
        }
    }

    // MARK: Commits

    /// Commits every slot: the batch's part of each day added as a segment (see `StateSchema`),
    /// and every file of the batch marked, in one transaction.
    func flush() {
        writing.withLock { flushLocked() }
    }

    private func flushLocked() {
        guard writeError == nil else { return }
        var parts: [DailyAggregates] = []
        var files: [FileRecord] = []
        for slot in slots {
            let (days, taken) = slot.lock.withLock {
                defer {
                    slot.days = DailyAggregates()
                    slot.files = []
                }
                return (slot.days, slot.files)
            }
            if !days.isEmpty { parts.append(days) }
            files += taken
        }
        let refused = bookkeeping.withLock {
            defer { refusedUpdates.removeAll() }
            return refusedUpdates
        }
        guard !parts.isEmpty || !files.isEmpty || !refused.isEmpty else { return }

        let started = Date()
        flushes += 1
        let now = EpochSeconds(started.timeIntervalSince1970)
        // The newest day of the batch (days after today do not count; a file of untimed
        // events only has no newest day to count back from).
        let today = DayNumber(day: EpochSeconds(now))
        let batchNewest = (parts.flatMap(\.days.keys) + files.map(\.newestDay))
            .filter { $0 != .untimed && $0 <= today }.max()
        let batch = Handoff(consume parts)
        do {
            try store.database.writeTransaction {
                let newest = [try store.newestDay(), batchNewest].compactMap { $0 }.max()
                try store.add(batch.take()) {
                    try store.record(
                        files, at: now,
                        keysFrom: newest.map { $0 - DayNumber(options.dedupeDays) } ?? .untimed)
                    for copy in refused { try recordRefused(copy, at: now) }
                }
                if options.crashDuringFlush == flushes {
                    // Test hook: die the hard way with the transaction written but not committed.
                    kill(getpid(), SIGKILL)
                }
            }
            filesCommitted += files.count
            eventsCommitted += files.reduce(0) { $0 + $1.events }
            committedPaths.formUnion(files.map(\.path))
            committedPaths.formUnion(refused.map(\.file.stateKey))
        } catch let error as StateError {
            writeError = error
        } catch {
            writeError = StateError(path: store.path, "\(error)")
        }
        // Commits take at most about a sixth of the time; a kill costs at most one batch.
        flushInterval = max(1, 5 * Date().timeIntervalSince(started))
    }

    private func recordRefused(_ refused: RefusedFile, at now: EpochSeconds) throws {
        guard let original = refused.copyOf else {
            try store.touch(path: refused.file.stateKey, modified: refused.file.modified)
            return
        }
        try store.record(
            [
                FileRecord(
                    path: refused.file.stateKey, size: refused.file.size,
                    modified: refused.file.modified, checksum: refused.checksum, events: 0,
                    duplicates: 0, nonCallRecords: 0, unrecognizedRecords: 0, copyOf: original,
                    keys: [], newestDay: .untimed)
            ], at: now)
    }
}
