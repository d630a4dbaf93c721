import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit events [filters] PATH...`: the matching events themselves, in time order.
enum EventsCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(
            "principal", value: "ARN",
            help: "a role (all its sessions), user, service or session ARN"),
        OptionSpec("session", value: "NAME", help: "role session name"),
        OptionSpec("access-key", value: "ID", help: "userIdentity.accessKeyId"),
        OptionSpec("action", value: "PATTERN", help: "IAM action, * and ? allowed (s3:Get*)"),
        OptionSpec("event-name", value: "NAME", help: "CloudTrail eventName"),
        OptionSpec("resource", value: "ARN", help: "resource ARN prefix"),
        OptionSpec("ip", value: "ADDR|CIDR", help: "source address or block"),
        OptionSpec("user-agent", value: "TEXT", help: "text the user agent contains"),
        OptionSpec("denied", help: "only denied calls"),
        OptionSpec(
            "error", value: "CODE", optional: true,
            help: "only failed calls, or those with this errorCode"),
        OptionSpec("account", value: "ID", help: "recipient or caller account"),
        OptionSpec("region", value: "NAME", help: "awsRegion"),
        OptionSpec(
            "since", value: "TIME",
            help: "only events at or after TIME (2024-03-05, ISO time, 24h, 7d)"),
        OptionSpec("until", value: "TIME", help: "only events before TIME"),
        OptionSpec("limit", value: "N", help: "at most N events (the earliest)"),
        OptionSpec(
            "format", value: "table|jsonl|json", help: "table (default), original records, or JSON"),
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec("jobs", value: "N", help: "worker threads (default: the number of cores)"),
        OptionSpec("quiet", help: "no progress line"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit events [filters] PATH...

        Prints the events that match every filter given, sorted by eventTime, each counted once.

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some input failed, 2 usage error.
        """

    static func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        var options: RunOptions
        let format: String
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
            options.filter = try filter(parsed)
            options.matchLimit = try parsed.value("limit").map {
                try ValueParsing.positiveInt($0, option: "limit")
            }
            format = parsed.value("format") ?? "table"
            guard ["table", "jsonl", "json"].contains(format) else {
                throw UsageError("--format '\(format)' is not one of table, jsonl, json")
            }
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch {
            TrailAuditCommand.printError(
                "trailaudit events: \(error)\nRun 'trailaudit events --help' for usage.")
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

        let text: String
        switch format {
        case "jsonl": text = EventListing.jsonLines(result.matches)
        case "json": text = EventListing.json(result.matches)
        default: text = EventListing.table(result.matches)
        }
        var failure = output.write(text)
        if failure == nil, output.descriptor != STDOUT_FILENO { failure = output.close() }
        if let failure {
            TrailAuditCommand.printError("trailaudit events: cannot write: \(failure)")
            return .inputFailed
        }
        return result.input.failed.isEmpty ? .success : .inputFailed
    }

    static func filter(_ parsed: ParsedArguments) throws -> EventFilter {
        var filter = EventFilter()
        filter.principal = parsed.value("principal")
        filter.session = parsed.value("session")
        filter.accessKeys = parsed.value("access-key").map { [$0] }
        filter.action = parsed.value("action")
        filter.eventName = parsed.value("event-name")
        filter.resourcePrefix = parsed.value("resource")
        if let ip = parsed.value("ip") {
            guard let range = AddressRange(ip) else {
                throw UsageError(
                    "--ip '\(ip)' is not an address or CIDR block (203.0.113.7, 203.0.113.0/24)")
            }
            filter.address = range
        }
        filter.userAgent = parsed.value("user-agent")
        filter.deniedOnly = parsed.flag("denied")
        filter.errorsOnly = parsed.flag("error") || parsed.value("error") != nil
        filter.errorCode = parsed.value("error")
        filter.account = parsed.value("account")
        filter.region = parsed.value("region")
        return filter
    }
}
