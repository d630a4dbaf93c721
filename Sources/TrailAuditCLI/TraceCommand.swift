import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit trace ACCESS_KEY_OR_SESSION PATH...`
enum TraceCommand {
    static let specs: [OptionSpec] =
        [
            OptionSpec(
                "timeline", help: "also list every event of the keys in the trace, in time order"),
            OptionSpec("format", value: "text|json", help: "output format (default: text)"),
        ] + CommonOptions.specs

    static let help = """
        usage: trailaudit trace ACCESS_KEY_OR_SESSION [options] PATH...

        Follows a temporary key (or the keys of a session name or session ARN) back through
        the STS calls that issued it to a long-term key, a federated identity or an AWS
        service, and down through every session issued from it; then says what each key did.
        Where the chain breaks (an issuing event not in the input), it says so.

        options:
        \(ArgumentParser.helpLines(specs))
        """

    static var command: ReadingCommand {
        ReadingCommand(
            name: "trace", specs: specs, help: help, leadingArguments: 1,
            configure: { parsed, options in
                options.collectsTrace = true
                _ = try ReadingCommand.format(parsed, ["text", "json"])
            },
            render: render)
    }

    static func run(_ arguments: [String]) -> ExitStatus { command.run(arguments) }

    private static func render(_ run: ReadingCommand.Rendering) {
        let identifier = run.parsed.positionals[0]
        let index = run.result.trace
        let traces = index.startKeys(for: identifier).map(index.trace)

        var timeline: [MatchedEvent] = []
        if run.parsed.flag("timeline"), !traces.isEmpty {
            // A second read, for every event of the keys in the traces.
            var second = run.options
            second.collectsTrace = false
            second.progress = nil
            var filter = EventFilter()
            filter.accessKeys = Set(traces.flatMap { $0.keys.map(\.key) })
            second.filter = filter
            timeline = AuditRun.run(run.tree, options: second).matches
        }

        if run.parsed.value("format") == "json" {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("schemaVersion", 1)
            writer.field("query", identifier)
            writer.beginArray("traces")
            for trace in traces { trace.json(into: &writer) }
            writer.endArray()
            if run.parsed.flag("timeline") {
                EventListing.write(timeline, as: "timeline", into: &writer)
            }
            writer.endObject()
            run.emit(writer.output + "\n")
        } else if traces.isEmpty {
            run.emit("No key or session named \(SafeText.terminal(identifier)) in the input.\n")
        } else {
            run.emit(traces.map { $0.text() }.joined(separator: "\n"))
            if !timeline.isEmpty { run.emit("\nTIMELINE\n" + EventListing.table(timeline)) }
        }
    }
}
