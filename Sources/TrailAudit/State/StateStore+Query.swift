import Foundation

extension StateStore {
    /// The aggregate that a direct run over the same logs with `window` gives: the stored days
    /// inside the window merged, plus the events without a time (a direct run keeps those in
    /// any window). The window must start and end at midnight UTC: the state holds whole days.
    package func aggregate(window: TimeWindow) throws -> Aggregate {
        try database.readTransaction { try aggregateInTransaction(window: window) }
    }

    /// The aggregate and the input figures for `report --state`: what a direct run over every
    /// ingested file would say, with file counters over the whole state (see the README).
    package func auditResult(window: TimeWindow) throws -> AuditResult {
        try database.readTransaction {
            let aggregate = try aggregateInTransaction(window: window)
            var input = InputSummary()
            let files = try database.prepare(
                """
                SELECT count(*), total(duplicates), total(unrecognized_records)
                FROM files WHERE copy_of IS NULL
                """)
            if try files.step() {
                input.filesRead = files.int(0)
                input.duplicateEvents = files.int(1)
                input.unrecognizedRecords = files.int(2)
            }
            return AuditResult(aggregate: aggregate, input: input)
        }
    }

    /// The days of `window` (and the events without a time, which every window holds) whose
    /// denied or failed calls were counted by older counting rules than this trailaudit's
    /// (`StateSchema.countingRules`): a direct run over their logs may class some of those
    /// calls differently. Days of succeeded calls only count alike under every rule so far.
    package func daysCountedByOlderRules(in window: TimeWindow) throws -> [DayNumber] {
        let (inside, values) = Self.days(of: window)
        var days: [DayNumber] = []
        try database.readTransaction {
            try database.prepare(
                """
                SELECT DISTINCT day FROM days
                WHERE \(inside) AND coalesce(rules, 1) < ? AND denied + failed > 0
                ORDER BY day
                """
            ).bind(values + [.int(StateSchema.countingRules)])
                .forEachRow { days.append(DayNumber($0.int(0))) }
        }
        return days
    }

    /// The condition on the column `day` that holds the whole days of `window` and the day of
    /// the events without a time (a direct run keeps those in any window), with its values.
    private static func days(of window: TimeWindow) -> (condition: String, values: [SQLiteValue]) {
        let since = window.since.map { Int64(DayNumber(day: $0)) } ?? Int64(Int32.min) + 1
        let until = window.until.map { Int64(DayNumber(day: $0)) } ?? Int64(Int32.max)
        return (
            "((day >= ? AND day < ?) OR day = ?)",
            [.integer(since), .integer(until), .integer(Int64(DayNumber.untimed))]
        )
    }

    /// The `days` whole UTC days that end with the newest day in the state (nil if empty).
    package func window(lastDays days: Int) throws -> TimeWindow? {
        try newestDay().map { StateStore.window(lastDays: days, endingWith: $0) }
    }

    /// The `days` whole UTC days that end with the newest day in the state, or with today when
    /// no day up to today has events (an empty state, or one whose events all lie in the
    /// future, which never anchor a window): a window of days without events, never all days.
    package func windowEndingByToday(lastDays days: Int) throws -> TimeWindow {
        let today = DayNumber(day: EpochSeconds(Date().timeIntervalSince1970))
        return StateStore.window(lastDays: days, endingWith: try newestDay() ?? today)
    }

    private static func window(lastDays days: Int, endingWith newest: DayNumber) -> TimeWindow {
        TimeWindow(since: (newest - DayNumber(days) + 1).start, until: (newest + 1).start)
    }

    /// Why `window` cannot be answered from whole days, or nil when it can.
    package static func misalignment(of window: TimeWindow) -> String? {
        for (name, time) in [("--since", window.since), ("--until", window.until)] {
            if let time, time % 86_400 != 0 {
                return "\(name) must be midnight UTC with --state (the state holds whole days):"
                    + " give a date such as 2024-03-05, or use --window 7d"
            }
        }
        return nil
    }

    private func aggregateInTransaction(window: TimeWindow) throws -> Aggregate {
        if let problem = StateStore.misalignment(of: window) {
            throw StateError(path: path, problem)
        }
        let (inside, values) = Self.days(of: window)
        var aggregate = try loadAggregate(where: inside, values)

        let outside = try database.prepare(
            "SELECT total(succeeded + denied + failed) FROM days WHERE NOT \(inside)"
        ).bind(values)
        if try outside.step() { aggregate.eventsOutsideWindow = outside.int(0) }
        let nonCalls = try database.prepare(
            "SELECT total(non_call_records) FROM files WHERE copy_of IS NULL")
        if try nonCalls.step() { aggregate.nonCallRecords = nonCalls.int(0) }
        return aggregate
    }
}
