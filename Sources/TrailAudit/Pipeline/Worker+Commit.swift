extension Worker {
    /// Adds this worker's counts to the run's result and starts again empty.
    mutating func share() {
        var mine = Findings(matchLimit: state.options.matchLimit)
        swap(&mine, &committed)
        eventsCommitted = 0
        state.resultLock.withLock { state.findings.merge(mine) }
    }

    /// Merges a whole file into this worker's counts (added to the run's result now and then,
    /// so workers rarely wait on each other to commit).
    mutating func commit(_ job: FileJob, _ partial: FilePartial) {
        state.claims.committed(file: job.index)
        if let sink = state.options.sink {
            // The sink owns the file's counts (the state); the run keeps only the summary.
            sink.committed(job.file, index: job.index, partial)
        } else {
            committed.merge(partial.findings)
            eventsCommitted += partial.eventRecords
            if eventsCommitted >= state.options.eventsBetweenShares, state.workerCount > 1 {
                share()
            }
        }
        state.resultLock.withLock {
            state.input.filesRead += 1
            state.input.duplicateEvents += partial.duplicates
            state.input.unrecognizedRecords += partial.unrecognizedRecords
            state.committedFiles.insert(job.index)
            // A copy one of whose owners has committed (or an earlier run) is never recovered:
            // kept are only those of files still being read, so memory follows the files in
            // flight, not every copy of the run.
            let open = partial.copiesNotClaimedHere.filter { copy in
                copy.allOwners {
                    $0 != EventClaims.earlierRun && !state.committedFiles.contains($0)
                }
            }
            if !open.isEmpty { state.droppedCopies[job.index] = open }
        }
        state.eventsRead.add(partial.eventRecords, ordering: .relaxed)
    }

    /// After every file is done: events that a good file dropped as copies of an event in a
    /// file that then failed are counted after all, from the first good file that has them.
    ///
    /// Rare (a failed file that shares events with a good one), so it runs on one thread, in
    /// file order, which keeps the result independent of how the workers raced.
    mutating func recoverEventsOfFailedFiles() {
        guard !state.releasedFiles.isEmpty else { return }
        for index in state.droppedCopies.keys.sorted() {
            // Only copies every owner of which failed: another owner's claim still counts the
            // event (even one forgotten since: what a file saw when it dropped a copy decides).
            let wanted = state.droppedCopies[index, default: []].filter {
                $0.allOwners(state.releasedFiles.contains)
            }.map(\.key)
            guard !wanted.isEmpty else { continue }
            let file = state.files[Int(index)]
            var reclaimed: Set<EventKey> = []
            for key in wanted {
                switch state.claims.claim(key, file: index, day: file.deliveryDay) {
                case .claimed:
                    reclaimed.insert(key)
                case .duplicate(index, [], _) where state.filesGivenClaims.contains(index):
                    // Passed to this file by its twin (the same bytes under another path).
                    // Not otherwise: this file claimed it itself after its owner failed, and
                    // counts it already (see `FilePartial.copiesNotClaimedHere`).
                    reclaimed.insert(key)
                case .duplicate:
                    break
                }
            }
            guard !reclaimed.isEmpty else { continue }

            var recovered = FilePartial()
            let dedupe = Dedupe.only(
                DedupeFilter(allowed: reclaimed, contentSeed: state.claims.contentSeed))
            do {
                try FileReading.forEachRecord(in: file, options: state.options, state: nil) {
                    record, context, start in
                    do {
                        try decoder.decode(
                            record, context: context, into: &recovered, dedupe: dedupe)
                    } catch let error as InputError {
                        throw error.shifted(by: start)
                    }
                }
                if let sink = state.options.sink {
                    sink.recovered(index: index, recovered, keys: reclaimed)
                } else {
                    state.findings.merge(recovered.findings)
                }
                state.input.duplicateEvents -= reclaimed.count
            } catch {
                // The file changed since it was read; its first reading stands.
                state.claims.release(Array(reclaimed), file: index)
                let reason = (error as? InputError)?.description ?? "\(error)"
                state.input.failed.append(
                    FileNote(
                        path: file.name,
                        reason: "changed while it was read; \(reclaimed.count)"
                            + " events that it shares with a failed file are missing: \(reason)"))
            }
        }
    }
}

/// Opens a file and frames its records.
enum FileReading {
    /// Calls `body` with each record and where in the decompressed data it begins; returns
    /// the checksum of the file's bytes when
    /// `options.checksumsFiles` asks for it.
    @discardableResult
    static func forEachRecord(
        in file: InputFile, options: RunOptions, buffers: ChunkBuffers = ChunkBuffers(),
        state: RunState?, _ body: (UnsafeRawBufferPointer, RecordContext, Int) throws -> Void
    ) throws -> UInt64? {
        let opened = try FileDescriptorSource(rawPath: file.rawPath)
        let checksumming = options.checksumsFiles ? ChecksummingSource(opened) : nil
        let source: ByteSource = checksumming ?? opened
        let reader = GzipReader(
            input: source, buffers: buffers, maxInflatedBytes: options.maxInflatedBytes,
            maxRatio: options.maxRatio, engine: options.inflateEngine)
        var framer = RecordFramer(maxRecordSize: options.maxRecordSize)
        var lastCompressed = 0
        try reader.forEachChunk { chunk in
            try framer.consume(chunk, emit: body)
            if let state {
                state.bytesRead.add(reader.compressedBytes - lastCompressed, ordering: .relaxed)
                lastCompressed = reader.compressedBytes
            }
        }
        try framer.finish()
        if reader.compressedBytes == 0 { throw InputError.emptyFile }
        return checksumming?.checksum.value
    }
}
