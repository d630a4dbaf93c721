import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit events [filters] PATH...`: the matching events themselves, in time order.
enum EventsCommand {
    static let specs: [OptionSpec] =
        [
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
            OptionSpec("limit", value: "N", help: "at most N events (the earliest)"),
            OptionSpec(
                "format", value: "table|jsonl|json",
                help: "table (default), original records, or JSON"),
        ] + CommonOptions.specs

    static let help = """
        usage: trailaudit events [filters] PATH...

        Prints the events that match every filter given, sorted by eventTime, each counted once.

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some input failed, 2 usage error.
        """

    static var command: ReadingCommand {
        ReadingCommand(
            name: "events", specs: specs, help: help,
            configure: { parsed, options in
                options.filter = try filter(parsed)
                options.matchLimit = try parsed.value("limit").map {
                    try ValueParsing.positiveInt($0, option: "limit")
                }
                _ = try ReadingCommand.format(parsed, ["table", "jsonl", "json"])
            },
            render: { run in
                let matches = run.result.matches
                switch run.parsed.value("format") ?? "table" {
                case "jsonl": run.emit(EventListing.jsonLines(matches))
                case "json": run.emit(EventListing.json(matches))
                default: run.emit(EventListing.table(matches))
                }
            })
    }

    static func run(_ arguments: [String]) -> ExitStatus { command.run(arguments) }

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
