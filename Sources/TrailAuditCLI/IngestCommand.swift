import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit ingest --state FILE PATH...`: adds the files the state has not seen.
enum IngestCommand {
    /// Whether `path` names a pipe or character device (links followed).
    static func isPipe(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & S_IFMT == S_IFIFO || status.st_mode & S_IFMT == S_IFCHR
    }

    static let specs: [OptionSpec] =
        [
            OptionSpec("state", value: "FILE", help: "the state file (created if missing)"),
            OptionSpec("shard", value: "I/N", help: "only shard I of N (0-based) of the files"),
            OptionSpec("retain", value: "DAYS", help: "keep only the newest DAYS days (400d)"),
            OptionSpec(
                "horizon", value: "DAYS",
                help: "days of event ids kept to drop duplicates across runs (default: 7d)"),
            OptionSpec("wait", help: "wait for another ingest on the same state, don't refuse"),
            OptionSpec(
                "rescan",
                help: "list every folder and stat every file, not trusting the folder cache"),
            OptionSpec(
                "require-new",
                help: "exit 1 when no new log file was ingested (cron: a sync that stopped)"),
        ]
        + CommonOptions.specs.filter {
            !["output", "since", "until", "late", "strict"].contains($0.name)
        }

    static let help = """
        usage: trailaudit ingest --state FILE [options] PATH...

        Reads the log files under PATH that the state has not ingested yet and adds their
        events to the state, per UTC day. A file whose path, size and modification time are
        known is not opened; a folder whose entries did not change since all its files were
        ingested is not even listed (--rescan lists it). A re-synced copy of an ingested file
        (same bytes) is not counted again, nor is an event the state already counted within
        the horizon. Each batch of files commits in one transaction: a run killed at any
        moment loses nothing and counts nothing twice.

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some input failed, the state could not be written, or
        (--require-new) no new log file was ingested, 2 usage error.
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        let statePath: String
        var options = IngestOptions()
        do {
            parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            statePath = try StateOptions.statePath(parsed)
            guard !parsed.positionals.isEmpty else {
                throw UsageError("no PATH given: name the log files or directories to ingest")
            }
            guard !parsed.positionals.contains("-") else {
                // A state remembers files by path; standard input has none to remember.
                throw UsageError("ingest reads files, not standard input: save it to a file")
            }
            // A pipe's name (/dev/fd/63 for <(...)) and time say nothing of what flows through
            // it: the next night's pipe would pass for this one's, already ingested.
            if let pipe = parsed.positionals.first(where: isPipe) {
                throw UsageError(
                    "ingest reads files, not pipes (\(SafeText.terminal(pipe))): a state "
                        + "remembers files by path and time; save it to a file")
            }
            options.run = try CommonOptions.runOptions(parsed)
            options.shard = try parsed.value("shard").map(shard)
            options.retainDays = try parsed.value("retain").map {
                try StateOptions.days($0, option: "retain")
            }
            options.dedupeDays =
                try parsed.value("horizon").map {
                    try StateOptions.days($0, option: "horizon")
                } ?? 7
            options.wait = parsed.flag("wait")
            options.rescan = parsed.flag("rescan")
        } catch {
            TrailAuditCommand.printError(
                "trailaudit ingest: \(error)\nRun 'trailaudit ingest --help' for usage.")
            return .usage
        }
        let environment = ProcessInfo.processInfo.environment
        options.flushEveryFile = environment["TRAILAUDIT_TEST_FLUSH_EVERY_FILE"] == "1"
        options.crashDuringFlush = environment["TRAILAUDIT_TEST_CRASH_DURING_FLUSH"].flatMap {
            Int($0)
        }
        options.delayPerFile =
            environment["TRAILAUDIT_TEST_DELAY_PER_FILE_US"].flatMap { UInt32($0) } ?? 0

        let summary: IngestSummary
        do {
            summary = try StateIngest.run(
                paths: parsed.positionals, statePath: statePath, options: options)
        } catch {
            TrailAuditCommand.printError("trailaudit ingest: \(error)")
            return .inputFailed
        }
        if options.run.progress != nil { OutputStream.standardError.write("\r\u{1B}[K") }
        for note in summary.input.failed {
            TrailAuditCommand.printError(
                "trailaudit: failed: \(SafeText.terminal(note.path)): \(note.reason)")
        }
        if let error = summary.writeError {
            TrailAuditCommand.printError(
                "trailaudit ingest: \(error); the files not committed are read again next time")
        }
        print(describe(summary, statePath: statePath))
        if summary.foundNoLogFile {
            TrailAuditCommand.printError(
                ReadingCommand.noLogFileMessage("ingest", Array(parsed.positionals)))
        }
        // A night whose sync brought nothing looks like a quiet night to `changes` (yesterday
        // still holds the hours the last night's sync brought): a cron asks to hear of it.
        let nothingNew =
            parsed.flag("require-new") && summary.filesCommitted == 0 && summary.writeError == nil
            && !summary.foundNoLogFile
        if nothingNew {
            TrailAuditCommand.printError(
                "trailaudit ingest: no new log file under "
                    + parsed.positionals.map(SafeText.terminal).joined(separator: ", ")
                    + " (--require-new): the sync brought nothing, or the trails stopped"
                    + " delivering")
        }
        let failed =
            !summary.input.failed.isEmpty || summary.writeError != nil || summary.foundNoLogFile
            || nothingNew
        return failed ? .inputFailed : .success
    }

    static func describe(_ summary: IngestSummary, statePath: String) -> String {
        // After a failed commit, what the run read is not what the state holds: only the
        // committed files and their events are told.
        let recorded = summary.writeError == nil
        let reread = summary.input.skipped.filter { $0.reason == IngestSummary.sameContentNewTime }
            .count
        var line =
            "ingested \(summary.filesCommitted) files (\(summary.eventsCommitted) events"
            + (recorded ? ", \(summary.input.duplicateEvents) duplicates dropped" : "")
            + ") into \(SafeText.terminal(statePath))\(recorded ? "" : " before the error");"
            + " \(summary.filesUnchanged + reread) files already ingested"
            + (reread > 0 ? " (\(reread) read again: same content, new modification time)" : "")
        // Copies of files ingested before, or read earlier in this run (the same bytes).
        let copies = summary.input.skipped.filter {
            $0.reason.contains("ingested before") || $0.reason.contains("read in this run")
        }.count
        if copies > 0, recorded { line += ", \(copies) copies of ingested files" }
        if summary.filesInOtherShards > 0 {
            line += ", \(summary.filesInOtherShards) in other shards"
        }
        if !summary.input.failed.isEmpty { line += ", \(summary.input.failed.count) failed" }
        if summary.daysPruned > 0 { line += "; \(summary.daysPruned) old days pruned" }
        return line
    }

    /// `I/N` with 0 <= I < N.
    static func shard(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        // Digits only: Int("+1") and Int("-0") parse, but are no shard a user means.
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
            let index = Int(parts[0]), let count = Int(parts[1]), count > 0,
            (0..<count).contains(index)
        else {
            throw UsageError(
                "--shard '\(text)' is not I/N with 0 <= I < N (examples: 0/4, 3/4)")
        }
        return Shard(index: index, count: count)
    }
}

/// Options the commands that use a state file share.
enum StateOptions {
    /// `--state FILE`, required.
    /// Parses the arguments of a command that reads a state and no logs; nil when `--help` was
    /// asked for (and printed).
    static func parse(
        _ arguments: [String], _ specs: [OptionSpec], _ help: String, _ command: String
    ) throws -> ParsedArguments? {
        let parsed = try ArgumentParser.parse(arguments, specs: specs)
        if parsed.flag("help") {
            print(help)
            return nil
        }
        guard parsed.positionals.isEmpty else {
            throw UsageError("\(command) reads a state, not log paths: ingest them first")
        }
        return parsed
    }

    /// `COMMAND --state FILE`: checks the format and `--top`, runs `prepare` (the command's
    /// own inputs, which may throw usage errors), reads the state over its window, and writes
    /// what `render` makes of the result.
    static func run(
        _ name: String, _ parsed: ParsedArguments, prepare: () throws -> Void = {},
        render: (AuditResult, TimeWindow, _ top: Int) -> String
    ) -> ExitStatus {
        let result: AuditResult
        let window: TimeWindow
        let top: Int
        let output: OutputStream
        do {
            _ = try ReadingCommand.format(parsed, ["text", "json", "markdown"])
            top = try CommonOptions.top(parsed)
            try prepare()
            (result, window) = try StateOptions.result(parsed)
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch let error as UsageError {
            TrailAuditCommand.printError(
                "trailaudit \(name): \(error)\nRun 'trailaudit \(name) --help' for usage.")
            return .usage
        } catch {
            TrailAuditCommand.printError("trailaudit \(name): \(error)")
            return .inputFailed
        }
        return write(render(result, window, top), to: output, command: name)
    }

    /// The result a direct run over the state's window would give: `--state FILE` with
    /// `--window` or `--since/--until` (whole UTC days).
    static func result(_ parsed: ParsedArguments) throws -> (AuditResult, TimeWindow) {
        guard parsed.positionals.isEmpty else {
            throw UsageError("--state replaces log paths: give one or the other")
        }
        guard parsed.value("late") == nil else {
            throw UsageError(
                "--late is for log paths: a state holds late deliveries under their events' days")
        }
        let store = try StateStore(path: statePath(parsed), create: false)
        let window = try store.retained(StateOptions.window(parsed, store: store, defaultDays: nil))
        if let cut = window.retainedFrom {
            // Not an error (the days kept are read), but the window is not the one asked.
            TrailAuditCommand.printError(
                "trailaudit: the window reaches days --retain deleted (before \(cut.dateText)):"
                    + " it starts \(cut.dateText), the first day kept")
        }
        warnOfOlderRules(store, window.window)
        return (try store.auditResult(window: window.window), window.window)
    }

    /// Names, on standard error, the days of `window` whose denied or failed calls an older
    /// trailaudit counted (see `StateSchema.countingRules`): not an error (they are read as
    /// counted), but a direct run over their logs may class some of those calls differently.
    /// `scope` is how the message names the window.
    static func warnOfOlderRules(
        _ store: StateStore, _ window: TimeWindow, scope: String = "the window"
    ) {
        guard let days = try? store.daysCountedByOlderRules(in: window), !days.isEmpty else {
            return
        }
        var parts: [String] = []
        let dated = days.filter { $0 != .untimed }
        if !dated.isEmpty {
            parts.append("\(dated.count) day\(dated.count == 1 ? "" : "s") (\(listing(dated)))")
        }
        if dated.count < days.count { parts.append("the events without a time") }
        TrailAuditCommand.printError(
            "trailaudit: the denied or failed calls of \(parts.joined(separator: " and of "))"
                + " in \(scope) were counted by an older trailaudit, whose rules class some such"
                + " calls differently (denials known by their message, authentication failures,"
                + " denials of another or an implied action, services' refusals); a direct run"
                + " over their logs may differ. To count"
                + " them by this trailaudit's rules, ingest their logs into a new state:"
                + " trailaudit ingest --state NEWFILE PATH...")
    }

    /// Ascending days as runs (`2024-03-02..2024-03-03, 2024-03-05`); more than five runs as
    /// their first and last day.
    private static func listing(_ days: [DayNumber]) -> String {
        var runs: [ClosedRange<DayNumber>] = []
        for day in days {
            if let last = runs.last, last.upperBound + 1 == day {
                runs[runs.count - 1] = last.lowerBound...day
            } else {
                runs.append(day...day)
            }
        }
        guard runs.count > 5, let first = runs.first, let last = runs.last else {
            return runs.map(\.dateText).joined(separator: ", ")
        }
        return "from \(first.lowerBound.dateText) to \(last.upperBound.dateText)"
    }

    /// What `changes` and `coverage` write for a state without dated events, in the format
    /// asked (a JSON reader gets JSON).
    static func emptyState(_ parsed: ParsedArguments) -> String {
        parsed.value("format") == "json"
            ? "{\"schemaVersion\": 1, \"stateHoldsDatedEvents\": false}\n"
            : "The state holds no events dated today (UTC) or before.\n"
    }

    static func statePath(_ parsed: ParsedArguments) throws -> String {
        guard let path = parsed.value("state"), !path.isEmpty else {
            throw UsageError("--state FILE is required")
        }
        // A state is a file read again and again: standard input cannot be one.
        guard path != "-" else { throw UsageError("--state needs a file name, not -") }
        return path
    }

    /// Writes a command's whole output; a failed write is exit status 1.
    static func write(_ text: String, to output: OutputStream, command: String) -> ExitStatus {
        var failure = output.write(text)
        if failure == nil, output.descriptor != 1 { failure = output.close() }
        if let failure {
            TrailAuditCommand.printError("trailaudit \(command): cannot write: \(failure)")
            return .inputFailed
        }
        return .success
    }

    /// `400d`, `2w` or a plain number of days.
    static func days(_ text: String, option: String) throws -> Int {
        var digits = Substring(text)
        var unit = 1
        if digits.hasSuffix("d") {
            digits = digits.dropLast()
        } else if digits.hasSuffix("w") {
            digits = digits.dropLast()
            unit = 7
        }
        // The limit applies to the days, not the number before the unit (100000w passed).
        guard let value = Int(digits), value > 0, value <= 100_000 / unit else {
            throw UsageError(
                "--\(option) '\(text)' is not a number of days up to 100000 (examples: 90d, 2w)")
        }
        return value * unit
    }

    /// The window of `--window`, or `--since`/`--until` (whole days), for a state.
    static func window(_ parsed: ParsedArguments, store: StateStore, defaultDays: Int?) throws
        -> TimeWindow
    {
        if let text = parsed.value("window") {
            guard parsed.value("since") == nil, parsed.value("until") == nil else {
                throw UsageError("give --window or --since/--until, not both")
            }
            let days = try days(text, option: "window")
            return try store.windowEndingByToday(lastDays: days)
        }
        let options = try CommonOptions.runOptions(parsed)
        if options.window.since == nil, options.window.until == nil, let defaultDays {
            return try store.windowEndingByToday(lastDays: defaultDays)
        }
        if let problem = StateStore.misalignment(of: options.window) { throw UsageError(problem) }
        return options.window
    }
}
