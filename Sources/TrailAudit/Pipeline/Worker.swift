import Foundation

/// One worker thread: decodes queued batches first, else reads the next file.
struct Worker {
    let state: RunState
    /// This worker's slot in every file's `slots`.
    let id: Int
    var decoder: EventDecoder
    /// Files this worker committed since it last added them to the run's result: when it
    /// ends, and every `RunOptions.eventsBetweenShares` events (`share`).
    var committed: Findings
    /// Events of the files in `committed`.
    var eventsCommitted = 0
    /// The read buffers of every file this worker reads, kept instead of allocated per file
    /// (see `ChunkBuffers`).
    let buffers = ChunkBuffers()
    /// A batch this worker is done with, given back to the run's spares with its next look at
    /// the queue (batches are kept, not freed, for the same reason), and the emptied one it
    /// took from them for the file it reads next. Held here, not passed along, so that each
    /// is the only reference to its buffer and is filled in place.
    private var spentBatch: RecordBatch? = nil
    private var nextBatch: RecordBatch? = nil

    init(state: RunState, id: Int) {
        self.state = state
        self.id = id
        decoder = EventDecoder(
            window: state.options.window, filter: state.options.filter,
            collectsTrace: state.options.collectsTrace, timeline: state.options.timeline)
        decoder.countsPerDay = state.options.countsPerDay
        committed = Findings(matchLimit: state.options.matchLimit)
    }

    private enum Work {
        case batch(RecordBatch, FileJob)
        case file(InputFile, index: Int32)
    }

    mutating func run() {
        defer { share() }
        while let work = nextWork() {
            switch work {
            case .batch(let batch, let job):
                let slot = job.slots[id]
                var failure: InputError?
                do {
                    if !job.hasFailed {
                        try batch.decode(with: &decoder, into: &slot.partial, dedupe: job.dedupe)
                    }
                } catch {
                    failure = error as? InputError ?? .unrecognizedShape("\(error)")
                }
                spend(batch)
                if let finished = job.batchDecoded(error: failure) { finish(job, finished) }
            case .file(let file, let index):
                read(file, index: index)
                state.queue.withLock {
                    state.activeReaders -= 1
                    state.queue.broadcast()
                }
            }
        }
    }

    private mutating func nextWork() -> Work? {
        var spent = spentBatch.take()
        spent?.removeAll()
        state.queue.lock()
        defer { state.queue.unlock() }
        if let spent, state.spareBatches.count < state.maxSpareBatches {
            state.spareBatches.append(spent)
        }
        while true {
            if !state.batches.isEmpty {
                let (batch, job) = state.batches.removeFirst()
                return .batch(batch, job)
            }
            if !state.cancelled, state.nextFile < state.files.count {
                let index = state.nextFile
                let day = state.files[index].deliveryDay
                // Files without a delivery time are read first and claim every event they
                // hold before any S3-layout file claims one: each file sees their claims,
                // and they see every claim, so no copy's fate depends on the workers' race.
                if day == EventClaims.timeless || state.timelessFilesBeingRead == 0 {
                    state.nextFile += 1
                    state.activeReaders += 1
                    if day == EventClaims.timeless { state.timelessFilesBeingRead += 1 }
                    state.claims.started(day: day)
                    nextBatch = state.spareBatches.popLast()
                    return .file(state.files[index], index: Int32(index))
                }
            } else if state.activeReaders == 0 {
                return nil
            }
            state.queue.wait()
        }
    }

    /// Reads one file, handing full batches to idle workers and decoding the rest itself.
    private mutating func read(_ file: InputFile, index: Int32) {
        let job = FileJob(
            file: file, index: index,
            dedupe: .claim(state.claims, file: index, day: file.deliveryDay),
            workers: state.workerCount)
        var partial = FilePartial()
        var batch = nextBatch.take() ?? RecordBatch()
        var failure: InputError?
        do {
            partial.checksum = try FileReading.forEachRecord(
                in: file, options: state.options, buffers: buffers, state: state
            ) { record, context, start in
                partial.framedRecords += 1
                batch.append(record, context: context, start: start)
                guard batch.isFull else { return }
                try handOff(&batch, job: job, partial: &partial)
            }
            if batch.count > 0 {
                try batch.decode(with: &decoder, into: &partial, dedupe: job.dedupe)
            }
        } catch {
            failure = error as? InputError ?? .unrecognizedShape("\(error)")
        }
        spend(batch)
        if let finished = job.readerFinished(partial, error: failure) { finish(job, finished) }
    }

    /// Keeps `batch` to give back to the run's spares, unless a huge record grew it.
    private mutating func spend(_ batch: RecordBatch) {
        if batch.isWorthKeeping { spentBatch = batch }
    }

    /// Queues a full batch for another worker, or decodes it here when the queue is full.
    private mutating func handOff(
        _ batch: inout RecordBatch, job: FileJob, partial: inout FilePartial
    ) throws {
        let (queued, spare): (Bool, RecordBatch?) = state.queue.withLock {
            guard state.batches.count < state.maxQueuedBatches, state.options.jobs > 1 else {
                return (false, nil)
            }
            job.batchQueued()
            state.batches.append((batch, job))
            state.queue.signal()
            return (true, state.spareBatches.popLast())
        }
        guard queued else {
            // Decoded here, then filled again (held nowhere else: emptied in place).
            try batch.decode(with: &decoder, into: &partial, dedupe: job.dedupe)
            batch.removeAll()
            return
        }
        batch = spare ?? RecordBatch()
    }

    /// Commits a whole file, or records why it failed; a file counts all or nothing.
    private mutating func finish(_ job: FileJob, _ outcome: (FilePartial, InputError?)) {
        let (partial, error) = outcome
        let file = job.file
        // A failed or withdrawn file gives its claims back (keeping every claim of those
        // events) before it stops holding back what the claim table may forget.
        defer {
            state.claims.finished(day: file.deliveryDay)
            if file.deliveryDay == EventClaims.timeless {
                state.queue.withLock {
                    state.timelessFilesBeingRead -= 1
                    state.queue.broadcast()
                }
            }
        }
        state.filesDone.add(1, ordering: .relaxed)
        if let error {
            fail(job, partial, reason: error.description)
            return
        }
        if partial.eventRecords == 0 {
            if partial.isDigest {
                skip(file, reason: "CloudTrail digest file (recognised by its content)")
                return
            }
            if partial.isIAMDocument && partial.unrecognizedRecords == 0 {
                skip(file, reason: "IAM export or policy document, not a log (give it to --iam)")
                return
            }
            if partial.unrecognizedRecords > 0 {
                fail(
                    job, partial,
                    reason: InputError.unrecognizedShape(
                        "no record has eventSource, eventName or userIdentity"
                    ).description)
                return
            }
        }
        if let sink = state.options.sink,
            let refusal = sink.refusal(of: file, index: job.index, checksum: partial.checksum)
        {
            switch refusal {
            case .skip(let reason):
                withdraw(job, partial, FileNote(path: file.name, reason: reason))
            case .fail(let reason): fail(job, partial, reason: reason)
            case .copy(let reason, let twin):
                withdraw(job, partial, FileNote(path: file.name, reason: reason), to: twin)
            }
            return
        }
        commit(job, partial)
    }

    private func skip(_ file: InputFile, reason: String) {
        state.resultLock.withLock {
            state.input.skipped.append(FileNote(path: file.name, reason: reason))
        }
    }

    /// Sets aside a file that was read whole but must not count, giving back its events, or
    /// passing them to `twin`, a file of this run with the same bytes, which counts them at
    /// the end (no other file sees them unclaimed in between).
    private func withdraw(
        _ job: FileJob, _ partial: FilePartial, _ note: FileNote, to twin: Int32? = nil
    ) {
        if let twin {
            state.claims.transfer(
                partial.claimedKeys, from: job.index, to: twin,
                day: state.files[Int(twin)].deliveryDay)
        } else {
            state.claims.release(partial.claimedKeys, of: job.index)
        }
        state.resultLock.withLock {
            state.input.skipped.append(note)
            state.releasedFiles.insert(job.index)
            if let twin { state.filesGivenClaims.insert(twin) }
        }
        state.options.sink?.failed(index: job.index)
    }

    /// Records why a file failed and gives back the events it claimed.
    private func fail(_ job: FileJob, _ partial: FilePartial, reason: String) {
        state.claims.release(partial.claimedKeys, of: job.index)
        state.options.sink?.failed(index: job.index)
        state.resultLock.withLock {
            state.input.failed.append(FileNote(path: job.file.name, reason: reason))
            state.input.eventsInFailedFiles += max(partial.eventRecords, partial.framedRecords)
            state.releasedFiles.insert(job.index)
        }
        if state.options.strict {
            state.queue.withLock { state.cancelled = true }
        }
    }
}
