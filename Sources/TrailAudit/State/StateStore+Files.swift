import Foundation

/// What the state knows of a file it ingested.
package struct IngestedFile: Sendable {
    package var size: Int
    /// Nanoseconds since 1970; -1 when unknown (a state migrated from version 1).
    package var modified: Int64
    package var checksum: UInt64
    /// Recorded as a copy of another file (`copy_of`): it counted no events.
    package var isCopy = false
}

/// One file's row, as the writer commits it.
struct FileRecord {
    var path: String
    var size: Int
    var modified: Int64
    var checksum: UInt64
    var events: Int
    var duplicates: Int
    var nonCallRecords: Int
    var unrecognizedRecords: Int
    /// The ingested file this one repeats byte for byte (a re-sync); its events count there.
    var copyOf: String?
    /// Keys of the events this file counted, and the newest day among them.
    var keys: [EventKey]
    var newestDay: DayNumber
    /// The days of its dated events, ascending (none for a file of untimed events only).
    var eventDays: [DayNumber] = []
}

extension StateStore {
    /// Every file ingested so far, by path.
    package func ingestedFiles() throws -> [String: IngestedFile] {
        var files: [String: IngestedFile] = [:]
        try database.prepare(
            "SELECT path, size, mtime, checksum, copy_of IS NOT NULL FROM files"
        ).forEachRow {
            files[$0.text(0)] = IngestedFile(
                size: $0.int(1), modified: Int64($0.int(2)),
                checksum: UInt64(bitPattern: Int64($0.int(3))), isCopy: $0.int(4) != 0)
        }
        return files
    }

    /// Inserts or replaces files' rows and their event keys (inside the caller's transaction);
    /// keys of files whose newest event is before `keysFrom` are not kept (the end of the run
    /// would prune them: they are past the horizon already).
    func record(_ files: [FileRecord], at time: EpochSeconds, keysFrom: DayNumber = .untimed)
        throws
    {
        guard !files.isEmpty else { return }
        let row = try database.prepare(
            """
            INSERT OR REPLACE INTO files(path, size, checksum, ingested_at, events, duplicates,
                non_call_records, unrecognized_records, mtime, copy_of, event_days)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let keys = try database.prepare("INSERT OR REPLACE INTO event_keys VALUES (?, ?, ?)")
        for file in files {
            try row.bind(
                .text(file.path), .int(file.size), .integer(Int64(bitPattern: file.checksum)),
                .integer(time), .int(file.events), .int(file.duplicates),
                .int(file.nonCallRecords), .int(file.unrecognizedRecords),
                .integer(file.modified), .string(file.copyOf),
                .text(file.eventDays.map(String.init).joined(separator: ","))
            ).run()
            guard !file.keys.isEmpty, file.newestDay >= keysFrom else { continue }
            var blob: [UInt8] = []
            blob.reserveCapacity(file.keys.count * 16)
            for key in file.keys {
                withUnsafeBytes(of: key.high.littleEndian) { blob.append(contentsOf: $0) }
                withUnsafeBytes(of: key.low.littleEndian) { blob.append(contentsOf: $0) }
            }
            try keys.bind(.text(file.path), .integer(Int64(file.newestDay)), .blob(blob)).run()
        }
    }

    /// Records a new modification time of a file whose content did not change.
    func touch(path: String, modified: Int64) throws {
        try database.prepare("UPDATE files SET mtime = ? WHERE path = ?")
            .bind(.integer(modified), .text(path)).run()
    }

    /// The keys of events on or after `day` (by the newest day of their file).
    package func eventKeys(since day: DayNumber) throws -> [EventKey] {
        try eventKeysByFile(since: day).flatMap(\.keys)
    }

    /// The keys of events on or after `day` (by the newest day of their file), by file.
    package func eventKeysByFile(since day: DayNumber) throws -> [(
        path: String, keys: [EventKey]
    )] {
        var files: [(path: String, keys: [EventKey])] = []
        try database.prepare("SELECT path, keys FROM event_keys WHERE newest_day >= ?")
            .bind(.integer(Int64(day))).forEachRow { row in
                var keys: [EventKey] = []
                row.blob(1).withUnsafeBytes { bytes in
                    keys.reserveCapacity(bytes.count / 16)
                    var offset = 0
                    while offset + 16 <= bytes.count {
                        keys.append(
                            EventKey(
                                high: UInt64(
                                    littleEndian: bytes.loadUnaligned(
                                        fromByteOffset: offset, as: UInt64.self)),
                                low: UInt64(
                                    littleEndian: bytes.loadUnaligned(
                                        fromByteOffset: offset + 8, as: UInt64.self))))
                        offset += 16
                    }
                }
                files.append((row.text(0), keys))
            }
        return files
    }

    /// The newest day with events up to today (UTC), or nil for an empty state.
    ///
    /// Retention, the duplicate horizon and `--window` count back from it; a day in the future
    /// (a wrong clock, or a forged eventTime in the logs) must not move them, or one event
    /// dated 2099 would prune every real day.
    package func newestDay() throws -> DayNumber? {
        let today = DayNumber(day: EpochSeconds(Date().timeIntervalSince1970))
        let statement = try database.prepare(
            "SELECT max(day) FROM days WHERE day != ? AND day <= ?"
        )
        .bind(.integer(Int64(DayNumber.untimed)), .integer(Int64(today)))
        guard try statement.step() else { return nil }
        return statement.optionalInt(0).map { DayNumber($0) }
    }

    /// The oldest day with events, or nil for an empty state.
    package func oldestDay() throws -> DayNumber? {
        let statement = try database.prepare("SELECT min(day) FROM days WHERE day != ?")
            .bind(.integer(Int64(DayNumber.untimed)))
        guard try statement.step() else { return nil }
        return statement.optionalInt(0).map { DayNumber($0) }
    }

    /// The first day `--retain` kept the last time it deleted days (days before it may have
    /// had logs that are gone); nil when none was ever deleted. A `meta` row, so older
    /// trailaudits read the state as before.
    package func retainedFrom() throws -> DayNumber? {
        let statement = try database.prepare("SELECT value FROM meta WHERE key = 'retained_from'")
        guard try statement.step() else { return nil }
        return Int64(statement.text(0)).flatMap { DayNumber(exactly: $0) }
    }

    /// `window` held to the days `--retain` kept: starting at the first day kept when it asks
    /// for earlier ones (from the start, without `since`), so that every count, gap and
    /// window length read from it is of days the state holds; `retainedFrom` is set when it
    /// was moved. A window that ends before the first day kept is refused.
    package func retained(_ window: TimeWindow) throws -> (
        window: TimeWindow, retainedFrom: DayNumber?
    ) {
        guard let cut = try retainedFrom(),
            window.since.map({ DayNumber(day: $0) < cut }) ?? true
        else { return (window, nil) }
        if let until = window.until, DayNumber(day: until) <= cut {
            throw StateError(
                path: path,
                "the window ends before \(cut.dateText), the first day --retain kept: its days"
                    + " were deleted")
        }
        return (TimeWindow(since: cut.start, until: window.until), cut)
    }

    /// Records that days before `day` were deleted (the latest such day is kept).
    func noteRetained(from day: DayNumber) throws {
        if let known = try retainedFrom(), known >= day { return }
        try database.prepare(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('retained_from', ?)"
        ).bind(.text(String(Int64(day)))).run()
    }

    /// The oldest day `--retain DAYS` keeps: the newest `days` days, ending with `newest`
    /// (ingest and merge prune from it).
    static func firstRetainedDay(newest: DayNumber, keeping days: Int) -> DayNumber {
        newest - DayNumber(days) + 1
    }

    /// Whether `prune` with these bounds would delete anything.
    func wouldPrune(daysBefore day: DayNumber?, keysBefore: DayNumber?) throws -> Bool {
        if let day {
            let statement = try database.prepare(
                "SELECT EXISTS(SELECT 1 FROM days WHERE day < ? AND day != ?)"
            ).bind(.integer(Int64(day)), .integer(Int64(DayNumber.untimed)))
            if try statement.step(), statement.int(0) != 0 { return true }
        }
        if let keysBefore {
            let statement = try database.prepare(
                "SELECT EXISTS(SELECT 1 FROM event_keys WHERE newest_day < ?)"
            ).bind(.integer(Int64(keysBefore)))
            if try statement.step(), statement.int(0) != 0 { return true }
        }
        return false
    }

    /// Deletes days before `day` (never the events without a time) and event keys of files
    /// whose newest event is before `keysBefore`; returns how many days went.
    @discardableResult
    func prune(daysBefore day: DayNumber?, keysBefore: DayNumber?) throws -> Int {
        var pruned = 0
        if let day {
            let count = try database.prepare(
                "SELECT count(DISTINCT day) FROM days WHERE day < ? AND day != ?"
            )
            .bind(.integer(Int64(day)), .integer(Int64(DayNumber.untimed)))
            if try count.step() { pruned = count.int(0) }
            try deleteDays(
                where: "day < ? AND day != ?", .integer(Int64(day)),
                .integer(Int64(DayNumber.untimed)))
            if pruned > 0 { try noteRetained(from: day) }
        }
        if let keysBefore {
            try database.prepare("DELETE FROM event_keys WHERE newest_day < ?")
                .bind(.integer(Int64(keysBefore))).run()
        }
        return pruned
    }
}
