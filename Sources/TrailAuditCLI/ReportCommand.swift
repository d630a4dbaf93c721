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
        ] + CommonOptions.specs

    static let help = """
        usage: trailaudit report [options] PATH...

        Reads CloudTrail logs (files, directories walked recursively, or - for stdin; gzip or
        plain; Records files, JSON arrays, JSONL, CloudWatch Logs and EventBridge envelopes)
        and reports usage per principal, AssumeRole, and AccessDenied.

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
                _ = try top(parsed)
            },
            render: { run in
                let report = Report(run.result, window: run.options.window)
                let top = (try? top(run.parsed)) ?? 20  // checked in configure
                switch run.parsed.value("format") ?? "text" {
                case "json": report.json(into: run.emit)
                case "markdown": run.emit(report.markdown(top: top))
                default: run.emit(report.text(top: top))
                }
            })
    }

    static func run(_ arguments: [String]) -> ExitStatus { command.run(arguments) }

    private static func top(_ parsed: ParsedArguments) throws -> Int {
        try parsed.value("top").map { try ValueParsing.positiveInt($0, option: "top") } ?? 20
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
