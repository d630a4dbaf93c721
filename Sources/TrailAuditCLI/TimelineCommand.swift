import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit timeline --principal ARN PATH...`
enum TimelineCommand {
    static let specs: [OptionSpec] =
        [
            OptionSpec(
                "principal", value: "ARN", help: "the role, user, service or provider (required)"),
            OptionSpec("by", value: "hour|day", help: "bucket width (default: day)"),
            OptionSpec("format", value: "text|json", help: "output format (default: text)"),
        ] + CommonOptions.specs

    static let help = """
        usage: trailaudit timeline --principal ARN [options] PATH...

        One principal's calls per hour or day (succeeded, denied, failed), with what was first
        seen when: each action used, each source IP, each user agent, and for a role each
        principal (or web identity subject) that assumed it. To see when behaviour changed.

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static var command: ReadingCommand {
        ReadingCommand(
            name: "timeline", specs: specs, help: help,
            configure: { parsed, options in
                options.timeline = try query(parsed)
                _ = try ReadingCommand.format(parsed, ["text", "json"])
            },
            render: { run in
                guard let query = run.options.timeline else { return }
                let timeline = run.result.timeline
                run.emit(
                    run.parsed.value("format") == "json"
                        ? timeline.json(principal: query.principal, bucket: query.bucket)
                        : timeline.text(principal: query.principal, bucket: query.bucket))
            })
    }

    static func run(_ arguments: [String]) -> ExitStatus { command.run(arguments) }

    private static func query(_ parsed: ParsedArguments) throws -> TimelineQuery {
        guard let principal = parsed.value("principal") else {
            throw UsageError("--principal ARN is required")
        }
        let by = parsed.value("by") ?? "day"
        guard by == "hour" || by == "day" else {
            throw UsageError("--by '\(by)' is not hour or day")
        }
        return TimelineQuery(principal: principal, bucket: by == "hour" ? 3600 : 86_400)
    }
}
