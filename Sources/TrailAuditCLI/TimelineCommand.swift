import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit timeline --principal ARN PATH...`
enum TimelineCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(
            "principal", value: "ARN", help: "the role, user, service or provider (required)"),
        OptionSpec("by", value: "hour|day", help: "bucket width (default: day)"),
        OptionSpec("format", value: "text|json", help: "output format (default: text)"),
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec("since", value: "TIME", help: "only events at or after TIME"),
        OptionSpec("until", value: "TIME", help: "only events before TIME"),
        OptionSpec("jobs", value: "N", help: "worker threads (default: the number of cores)"),
        OptionSpec("quiet", help: "no progress line"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit timeline --principal ARN [options] PATH...

        One principal's calls per hour or day (succeeded, denied, failed), with what was first
        seen when: each action used, each source IP, each user agent, and for a role each
        principal (or web identity subject) that assumed it. To see when behaviour changed.

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        var options: RunOptions
        let format: String
        let output: OutputStream
        let query: TimelineQuery
        do {
            parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            guard let principal = parsed.value("principal") else {
                throw UsageError("--principal ARN is required")
            }
            guard !parsed.positionals.isEmpty else {
                throw UsageError("no PATH given: name log files or directories, or - for stdin")
            }
            let by = parsed.value("by") ?? "day"
            guard by == "hour" || by == "day" else {
                throw UsageError("--by '\(by)' is not hour or day")
            }
            query = TimelineQuery(principal: principal, bucket: by == "hour" ? 3600 : 86_400)
            options = try CommonOptions.runOptions(parsed)
            options.timeline = query
            format = parsed.value("format") ?? "text"
            guard ["text", "json"].contains(format) else {
                throw UsageError("--format '\(format)' is not one of text, json")
            }
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch {
            TrailAuditCommand.printError(
                "trailaudit timeline: \(error)\nRun 'trailaudit timeline --help' for usage.")
            return .usage
        }

        let tree = ExportTree(paths: parsed.positionals, window: options.window)
        defer { tree.removeSpools() }
        let result = AuditRun.run(tree, options: options)
        for note in result.input.failed {
            TrailAuditCommand.printError(
                "trailaudit: failed: \(SafeText.terminal(note.path)): \(note.reason)")
        }
        let text =
            format == "json"
            ? result.timeline.json(principal: query.principal, bucket: query.bucket)
            : result.timeline.text(principal: query.principal, bucket: query.bucket)
        var failure = output.write(text)
        if failure == nil, output.descriptor != STDOUT_FILENO { failure = output.close() }
        if let failure {
            TrailAuditCommand.printError("trailaudit timeline: cannot write: \(failure)")
            return .inputFailed
        }
        return result.input.failed.isEmpty ? .success : .inputFailed
    }
}
