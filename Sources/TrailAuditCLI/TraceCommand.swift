import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `trailaudit trace ACCESS_KEY_OR_SESSION PATH...`
enum TraceCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(
            "timeline", help: "also list every event of the keys in the trace, in time order"),
        OptionSpec("format", value: "text|json", help: "output format (default: text)"),
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec("since", value: "TIME", help: "only events at or after TIME"),
        OptionSpec("until", value: "TIME", help: "only events before TIME"),
        OptionSpec("jobs", value: "N", help: "worker threads (default: the number of cores)"),
        OptionSpec("quiet", help: "no progress line"),
        OptionSpec("help", help: "show this help"),
    ]

    static let help = """
        usage: trailaudit trace ACCESS_KEY_OR_SESSION [options] PATH...

        Follows a temporary key (or the keys of a session name or session ARN) back through
        the STS calls that issued it to a long-term key, a federated identity or an AWS
        service, and down through every session issued from it; then says what each key did.
        Where the chain breaks (an issuing event not in the input), it says so.

        options:
        \(ArgumentParser.helpLines(specs))
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
            guard parsed.positionals.count >= 2 else {
                throw UsageError("give an access key id or session, then log files or directories")
            }
            options = try CommonOptions.runOptions(parsed)
            options.collectsTrace = true
            format = parsed.value("format") ?? "text"
            guard ["text", "json"].contains(format) else {
                throw UsageError("--format '\(format)' is not one of text, json")
            }
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch {
            TrailAuditCommand.printError(
                "trailaudit trace: \(error)\nRun 'trailaudit trace --help' for usage.")
            return .usage
        }
        let identifier = parsed.positionals[0]
        let paths = Array(parsed.positionals.dropFirst())

        let tree = ExportTree(paths: paths, window: options.window)
        defer { tree.removeSpools() }
        let result = AuditRun.run(tree, options: options)
        for note in result.input.failed {
            TrailAuditCommand.printError(
                "trailaudit: failed: \(SafeText.terminal(note.path)): \(note.reason)")
        }
        let traces = result.trace.startKeys(for: identifier).map(result.trace.trace)

        var timeline: [MatchedEvent] = []
        if parsed.flag("timeline"), !traces.isEmpty {
            var second = options
            second.collectsTrace = false
            var filter = EventFilter()
            filter.accessKeys = Set(traces.flatMap { $0.keys.map(\.key) })
            second.filter = filter
            timeline = AuditRun.run(tree, options: second).matches
        }

        var text = ""
        if format == "json" {
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("schemaVersion", 1)
            writer.field("query", identifier)
            writer.beginArray("traces")
            for trace in traces { trace.json(into: &writer) }
            writer.endArray()
            if parsed.flag("timeline") {
                EventListing.write(timeline, as: "timeline", into: &writer)
            }
            writer.endObject()
            text = writer.output + "\n"
        } else if traces.isEmpty {
            text = "No key or session named \(SafeText.terminal(identifier)) in the input.\n"
        } else {
            text = traces.map { $0.text() }.joined(separator: "\n")
            if !timeline.isEmpty { text += "\nTIMELINE\n" + EventListing.table(timeline) }
        }
        var failure = output.write(text)
        if failure == nil, output.descriptor != STDOUT_FILENO { failure = output.close() }
        if let failure {
            TrailAuditCommand.printError("trailaudit trace: cannot write: \(failure)")
            return .inputFailed
        }
        return result.input.failed.isEmpty ? .success : .inputFailed
    }
}
