import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit report PATH...`
enum ReportCommand {
    static let specs: [OptionSpec] = [
        OptionSpec("format", value: "text|json|markdown", help: "output format (default: text)"),
        OptionSpec("output", value: "FILE", help: "write the report to FILE instead of stdout"),
        OptionSpec("top", value: "N", help: "rows per list in text and markdown (default: 20)"),
        OptionSpec("jobs", value: "N", help: "worker threads (default: the number of cores)"),
        OptionSpec(
            "since", value: "TIME",
            help: "only events at or after TIME (2024-03-05, ISO time, 24h, 7d)"),
        OptionSpec("until", value: "TIME", help: "only events before TIME"),
        OptionSpec("max-record", value: "SIZE", help: "largest single record (default: 16M)"),
        OptionSpec(
            "max-inflated", value: "SIZE", help: "largest inflated file (default: no limit)"),
        OptionSpec("strict", help: "stop at the first file that fails"),
        OptionSpec("quiet", help: "no progress line"),
        OptionSpec("help", help: "show this help"),
    ]

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

    static func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        let options: RunOptions
        let format: String
        let top: Int
        let output: OutputStream
        do {
            parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            guard !parsed.positionals.isEmpty else {
                throw UsageError("no PATH given: name log files or directories, or - for stdin")
            }
            options = try CommonOptions.runOptions(parsed)
            format = parsed.value("format") ?? "text"
            guard ["text", "json", "markdown"].contains(format) else {
                throw UsageError("--format '\(format)' is not one of text, json, markdown")
            }
            top =
                try parsed.value("top").map { try ValueParsing.positiveInt($0, option: "top") }
                ?? 20
            // Opened before the run, so a bad path fails in a second, not after an hour.
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch {
            TrailAuditCommand.printError(
                "trailaudit report: \(error)\nRun 'trailaudit report --help' for usage.")
            return .usage
        }

        let tree = ExportTree(paths: parsed.positionals, window: options.window)
        defer { tree.removeSpools() }
        let result = AuditRun.run(tree, options: options)
        if options.progress != nil { OutputStream.standardError.write("\r\u{1B}[K") }
        for note in result.input.failed {
            TrailAuditCommand.printError(
                "trailaudit: failed: \(SafeText.terminal(note.path)): \(note.reason)")
        }

        if options.strict && !result.input.failed.isEmpty {
            // A partial report would look complete; --strict means all or nothing.
            TrailAuditCommand.printError(
                "trailaudit report: stopped at the first failed file (--strict); no report written")
            return .inputFailed
        }

        let report = Report(result, window: options.window)
        var writeError: String?
        let emit = { (text: String) in
            if writeError == nil { writeError = output.write(text) }
        }
        switch format {
        case "json": report.json(into: emit)
        case "markdown": emit(report.markdown(top: top))
        default: emit(report.text(top: top))
        }
        if writeError == nil, output.descriptor != STDOUT_FILENO { writeError = output.close() }
        if let reason = writeError {
            TrailAuditCommand.printError("trailaudit report: cannot write the report: \(reason)")
            return .inputFailed
        }
        return result.input.failed.isEmpty ? .success : .inputFailed
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
