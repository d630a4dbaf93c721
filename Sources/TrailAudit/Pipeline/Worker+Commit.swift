extension Worker {
    /// Merges a whole file into the result, counting each `eventID` once across all files.
    ///
    /// Keys are claimed only here, when the file is known to be whole, so a file that fails
    /// half-way never hides another file's copy of an event. When some of the file's events
    /// were already counted (or repeat inside it), the file is re-read keeping just the events
    /// whose keys it claimed: exact, and rare (duplicates are a small share of real exports).
    mutating func commit(_ file: InputFile, _ partial: FilePartial) {
        var claimed: Set<EventKey> = []
        let needsReread: Bool = state.resultLock.withLock {
            var collisions = 0
            for key in partial.eventKeys {
                if state.seenEvents.insert(key).inserted {
                    claimed.insert(key)
                } else {
                    collisions += 1
                }
            }
            state.input.filesRead += 1
            state.input.duplicateEvents += collisions
            if collisions == 0 {
                state.aggregate.merge(partial.aggregate)
                return false
            }
            return true
        }
        state.eventsRead.add(partial.eventRecords, ordering: .relaxed)
        guard needsReread else { return }

        // Only events whose keys this file claimed, each once.
        var filtered = FilePartial()
        let filter = DedupeFilter(allowed: claimed)
        do {
            try FileReading.forEachRecord(in: file, options: state.options, state: nil) {
                record, context in
                try decoder.decode(record, context: context, into: &filtered, filter: filter)
            }
            state.resultLock.withLock { state.aggregate.merge(filtered.aggregate) }
        } catch {
            // The file changed or vanished between the two reads: give its claims back.
            state.resultLock.withLock {
                state.seenEvents.subtract(claimed)
                state.input.filesRead -= 1
                state.input.duplicateEvents -= partial.eventKeys.count - claimed.count
                let reason = (error as? InputError)?.description ?? "\(error)"
                state.input.failed.append(
                    FileNote(path: file.name, reason: "changed while it was read: \(reason)"))
                state.input.eventsInFailedFiles += partial.eventRecords
            }
        }
    }
}

/// Opens a file (or standard input) and frames its records.
enum FileReading {
    static func forEachRecord(
        in file: InputFile, options: RunOptions, state: RunState?,
        _ body: (UnsafeRawBufferPointer, RecordContext) throws -> Void
    ) throws {
        let source = try FileDescriptorSource(path: file.path)
        let reader = GzipReader(input: source, maxInflatedBytes: options.maxInflatedBytes)
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
    }
}
