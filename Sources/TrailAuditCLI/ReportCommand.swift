import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit report PATH...`
enum ReportCommand {
    static let specs: [OptionSpec] =
        [
            OptionSpec(
                "format", value: "text|json|markdown", help: "output format (default: text)"),
            OptionSpec("top", value: "N", help: "rows per list in text and markdown (default: 20)"),
        ] + CommonOptions.stateSpecs + CommonOptions.specs

    static let help = """
        usage: trailaudit report [options] PATH...
               trailaudit report --state FILE [--window DAYS | --since DAY --until DAY]

        Reads CloudTrail logs (files, directories walked recursively, or - for stdin; gzip or
        plain; Records files, JSON arrays, JSONL, CloudWatch Logs and EventBridge envelopes)
        and reports usage per principal, AssumeRole, and AccessDenied. With --state, the same
        report from a state built by 'trailaudit ingest', over whole UTC days.

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some input failed (the report covers the rest),
        2 usage error.
        """

    static var command: ReadingCommand {
        ReadingCommand(
            name: "report", specs: specs, help: help,
            configure: { parsed, _ in
                _ = try ReadingCommand.format(parsed, ["text", "json", "markdown"])
                _ = try CommonOptions.top(parsed)
            },
            render: { run in
                let report = Report(run.result, window: run.options.window)
                let top = (try? CommonOptions.top(run.parsed)) ?? 20  // checked in configure
                switch run.parsed.value("format") ?? "text" {
                case "json": report.json(into: run.emit)
                case "markdown": run.emit(report.markdown(top: top))
                default: run.emit(report.text(top: top))
                }
            })
    }

    static func run(_ arguments: [String]) -> ExitStatus {
        if let parsed = try? ArgumentParser.parse(arguments, specs: specs),
            parsed.value("state") != nil
        {
            return runOnState(parsed)
        }
        if arguments.contains("--window")
            || arguments.contains(where: { $0.hasPrefix("--window=") })
        {
            TrailAuditCommand.printError(
                "trailaudit report: --window needs --state (with log paths use --since/--until)")
            return .usage
        }
        return command.run(arguments)
    }

    /// `report --state FILE`: the report from the state instead of the logs.
    private static func runOnState(_ parsed: ParsedArguments) -> ExitStatus {
        if parsed.flag("help") {
            print(help)
            return .success
        }
        return StateOptions.run("report", parsed) { result, window, top in
            let report = Report(result, window: window)
            var text = ""
            switch parsed.value("format") ?? "text" {
            case "json": report.json { text += $0 }
            case "markdown": text = report.markdown(top: top)
            default: text = report.text(top: top)
            }
            return text
        }
    }
}

/// The one-line progress display: files, MB, events/s, ETA.
enum ProgressLine {
    static func text(_ progress: RunProgress) -> String {
        let megabytes = Double(progress.bytesRead) / 1_048_576
        let rate = progress.elapsed > 0 ? Double(progress.events) / progress.elapsed : 0
        var line =
            "files \(progress.filesDone)/\(progress.filesTotal)"
            + "  \(Int(megabytes)) MB  \(Int(rate)) events/s"
        if progress.bytesRead > 0, progress.bytesTotal > progress.bytesRead, progress.elapsed > 1 {
            let remaining =
                Double(progress.bytesTotal - progress.bytesRead)
                * progress.elapsed / Double(progress.bytesRead)
            line += "  ETA \(Int(remaining))s"
        }
        return line
    }
}
