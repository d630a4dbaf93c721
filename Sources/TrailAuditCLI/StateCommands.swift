import Foundation
import TrailAudit

/// `trailaudit changes --state FILE`: what is new against the window before.
enum ChangesCommand {
    static let specs: [OptionSpec] = [
        OptionSpec("state", value: "FILE", help: "the state file built by ingest (required)"),
        OptionSpec(
            "window", value: "DAYS",
            help: "days ending with the newest day in the state (default: 1d)"),
        OptionSpec(
            "until", value: "DAY",
            help: "end the window at midnight before DAY instead (a day that is complete)"),
        OptionSpec("format", value: "text|json|markdown", help: "output format (default: text)"),
        OptionSpec(
            "exit-code", help: "exit 3 when something changed or nothing could be compared (cron)"),
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit changes --state FILE [--window DAYS] [--until DAY] [options]

        Compares the newest day in the state (or the last DAYS days; or the days before DAY
        with --until, so that a run just after midnight looks at a complete day) with the same
        number of days just before: new principals, new actions per principal (a succeeded call),
        new assumers per role (caller, account, web identity subject such as a GitHub repo and
        branch), new denial groups, and actions used before but not now. Days without logs for
        an account and region in either window are listed too.

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 done (with --exit-code: nothing changed), 1 the state could not be read,
        2 usage error, 3 something changed, or nothing to compare: no event in either window
        or none dated in the state (only with --exit-code).
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let changes: StateChanges?
        let parsed: ParsedArguments
        let output: OutputStream
        do {
            guard let arguments = try StateOptions.parse(arguments, specs, help, "changes") else {
                return .success
            }
            parsed = arguments
            _ = try ReadingCommand.format(parsed, ["text", "json", "markdown"])
            let days =
                try parsed.value("window").map {
                    try StateOptions.days($0, option: "window")
                } ?? 1
            let path = try StateOptions.statePath(parsed)
            let until = try parsed.value("until").map {
                try ValueParsing.time(
                    $0, option: "until", now: EpochSeconds(Date().timeIntervalSince1970))
            }
            if let problem = StateStore.misalignment(of: TimeWindow(until: until)) {
                throw UsageError(problem)
            }
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
            let store = try StateStore(path: path, create: false)
            changes = try store.changes(lastDays: days, until: until)
            if let changes {
                StateOptions.warnOfOlderRules(
                    store, TimeWindow(since: changes.previous.since, until: changes.current.until),
                    scope: "the two windows compared")
            }
        } catch let error as UsageError {
            TrailAuditCommand.printError(
                "trailaudit changes: \(error)\nRun 'trailaudit changes --help' for usage.")
            return .usage
        } catch {
            TrailAuditCommand.printError("trailaudit changes: \(error)")
            return .inputFailed
        }
        guard let changes else {
            // No dated event to compare (an ingest that read nothing, a wrong path): no quiet
            // night either, so --exit-code says so, as for two windows without events.
            let status = StateOptions.write(
                StateOptions.emptyState(parsed), to: output, command: "changes")
            guard status == .success else { return status }
            return parsed.flag("exit-code") ? .changed : .success
        }
        let text: String
        switch parsed.value("format") ?? "text" {
        case "json": text = changes.json()
        case "markdown": text = changes.markdown()
        default: text = changes.text()
        }
        let status = StateOptions.write(text, to: output, command: "changes")
        guard status == .success else { return status }
        return parsed.flag("exit-code") && !changes.isEmpty ? .changed : .success
    }
}

/// `trailaudit coverage --state FILE`: which days have logs, per account and region.
enum CoverageCommand {
    static let specs: [OptionSpec] = [
        OptionSpec("state", value: "FILE", help: "the state file built by ingest (required)"),
        OptionSpec(
            "window", value: "DAYS", help: "days ending with the newest (default: every day)"),
        OptionSpec("since", value: "DAY", help: "first day (2024-03-05)"),
        OptionSpec("until", value: "DAY", help: "the day after the last"),
        OptionSpec("format", value: "text|json", help: "output format (default: text)"),
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit coverage --state FILE [--window DAYS | --since DAY --until DAY]

        For each account and region in the state, how many days of the range have logs, and
        the runs of days that have none: where "not seen" may only mean "not delivered".

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let view: CoverageView?
        let parsed: ParsedArguments
        let output: OutputStream
        do {
            guard let arguments = try StateOptions.parse(arguments, specs, help, "coverage") else {
                return .success
            }
            parsed = arguments
            _ = try ReadingCommand.format(parsed, ["text", "json"])
            let store = try StateStore(path: StateOptions.statePath(parsed), create: false)
            let window = try StateOptions.window(parsed, store: store, defaultDays: nil)
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
            view = try store.coverage(window: window)
        } catch let error as UsageError {
            TrailAuditCommand.printError(
                "trailaudit coverage: \(error)\nRun 'trailaudit coverage --help' for usage.")
            return .usage
        } catch {
            TrailAuditCommand.printError("trailaudit coverage: \(error)")
            return .inputFailed
        }
        guard let view else {
            return StateOptions.write(
                StateOptions.emptyState(parsed), to: output, command: "coverage")
        }
        let text = parsed.value("format") == "json" ? view.json() : view.text()
        return StateOptions.write(text, to: output, command: "coverage")
    }
}

/// `trailaudit merge OUT PARTS...`: combines shard states.
enum MergeCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(
            "retain", value: "DAYS",
            help: "keep only the newest DAYS days of the result (give the parts' --retain)"),
        OptionSpec("wait", help: "wait for another process writing OUT, don't refuse"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit merge [--retain DAYS] OUT PART...

        Adds the states PART... (built with 'ingest --shard I/N' over disjoint files) into the
        state OUT (created if missing), in one transaction. Refuses parts that ingested the same
        file. Reports events that several parts counted (copies of one event in files of
        different shards). Each part was pruned from its own newest day: give --retain as the
        parts were ingested with, so the result keeps the days one ingest would.

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        let retainDays: Int?
        do {
            parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            guard parsed.positionals.count >= 2 else {
                throw UsageError("give the output state, then one or more part states")
            }
            let output = URL(fileURLWithPath: parsed.positionals[0]).standardizedFileURL.path
            let parts = parsed.positionals.dropFirst().map {
                URL(fileURLWithPath: $0).standardizedFileURL.path
            }
            guard !parts.contains(output), Set(parts).count == parts.count else {
                throw UsageError("each state may be named once, and OUT not again as a PART")
            }
            retainDays = try parsed.value("retain").map {
                try StateOptions.days($0, option: "retain")
            }
        } catch {
            TrailAuditCommand.printError(
                "trailaudit merge: \(error)\nRun 'trailaudit merge --help' for usage.")
            return .usage
        }
        do {
            let summary = try StateMerge.run(
                output: parsed.positionals[0], parts: Array(parsed.positionals.dropFirst()),
                wait: parsed.flag("wait"), retainDays: retainDays)
            print(
                "merged \(summary.parts) parts (\(summary.files) files, \(summary.days) days) into"
                    + " \(SafeText.terminal(parsed.positionals[0]))"
                    + (summary.daysPruned > 0 ? "; \(summary.daysPruned) days pruned" : ""))
            if summary.eventsInSeveralParts > 0 {
                TrailAuditCommand.printError(
                    "trailaudit merge: \(summary.eventsInSeveralParts) events were counted by more"
                        + " than one part (copies of one event in files of different shards);"
                        + " the merged state counts each once per part")
            }
            return .success
        } catch {
            TrailAuditCommand.printError("trailaudit merge: \(error)")
            return .inputFailed
        }
    }
}

/// `trailaudit shard --shard I/N`: which S3 keys or folders belong to a shard.
enum ShardCommand {
    static let specs: [OptionSpec] = [
        OptionSpec("shard", value: "I/N", help: "the shard to keep (required)"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit shard --shard I/N < KEYS

        Reads S3 keys or folders (`AWSLogs/ACCOUNT/CloudTrail/REGION/`), one per line, and
        prints those that 'ingest --shard I/N' takes (by account and region): so each worker
        syncs only its part of the bucket (see docs/shards.md).

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let shard: Shard
        do {
            let parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            guard let text = parsed.value("shard") else { throw UsageError("--shard is required") }
            shard = try IngestCommand.shard(text)
        } catch {
            TrailAuditCommand.printError(
                "trailaudit shard: \(error)\nRun 'trailaudit shard --help' for usage.")
            return .usage
        }
        var kept = ""
        while let line = readLine() {
            // A folder has no file name: pad it to the layout's depth so the region is read.
            let path = line.hasSuffix("/") ? line + "YYYY/MM/DD/_" : line
            let file = InputFile(rawPath: [], name: path, key: ExportKey(path: path), size: 0)
            if shard.contains(file) { kept += line + "\n" }
        }
        return StateOptions.write(kept, to: .standardOutput, command: "shard")
    }
}
