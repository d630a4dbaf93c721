import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// What one command that reads logs does before and after the shared run.
struct ReadingCommand {
    let name: String
    let specs: [OptionSpec]
    let help: String
    /// How many leading positionals are not paths (`trace` takes a key first).
    var leadingArguments = 0
    /// Reads the command's own options into `options`; throws `UsageError` for bad values.
    let configure: (ParsedArguments, inout RunOptions) throws -> Void
    /// Writes the result through `emit`.
    let render: (Rendering) -> Void

    /// What `render` gets.
    struct Rendering {
        let parsed: ParsedArguments
        let options: RunOptions
        let tree: ExportTree
        let result: AuditResult
        let emit: (String) -> Void
    }

    /// Parses, runs, writes: the same steps, messages and exit statuses for every command.
    func run(_ arguments: [String]) -> ExitStatus {
        let parsed: ParsedArguments
        var options: RunOptions
        let output: OutputStream
        do {
            parsed = try ArgumentParser.parse(arguments, specs: specs)
            if parsed.flag("help") {
                print(help)
                return .success
            }
            guard parsed.positionals.count > leadingArguments else {
                throw UsageError(
                    leadingArguments == 0
                        ? "no PATH given: name log files or directories, or - for stdin"
                        : "give the \(name) target, then log files or directories")
            }
            options = try CommonOptions.runOptions(parsed)
            try configure(parsed, &options)
            // Opened before the run, so a bad path fails in a second, not after an hour.
            output = try parsed.value("output").map(OutputStream.create) ?? .standardOutput
        } catch {
            TrailAuditCommand.printError(
                "trailaudit \(name): \(error)\nRun 'trailaudit \(name) --help' for usage.")
            return .usage
        }

        let tree = ExportTree(
            paths: Array(parsed.positionals.dropFirst(leadingArguments)), window: options.window,
            lateDelivery: options.lateDelivery)
        defer { tree.removeSpools() }
        let result = AuditRun.run(tree, options: options)
        if options.progress != nil { OutputStream.standardError.write("\r\u{1B}[K") }
        for note in result.input.failed {
            TrailAuditCommand.printError(
                "trailaudit: failed: \(SafeText.terminal(note.path)): \(note.reason)")
        }
        let noLogFile = tree.holdsNoLogFile
        if noLogFile {
            TrailAuditCommand.printError(
                Self.noLogFileMessage(name, Array(parsed.positionals.dropFirst(leadingArguments))))
        }
        if options.strict && !result.input.failed.isEmpty {
            // A partial result would look complete; --strict means all or nothing.
            TrailAuditCommand.printError(
                "trailaudit \(name): stopped at the first failed file (--strict); nothing written")
            return .inputFailed
        }

        var writeError: String?
        render(
            Rendering(parsed: parsed, options: options, tree: tree, result: result) { text in
                if writeError == nil { writeError = output.write(text) }
            })
        if writeError == nil, output.descriptor != STDOUT_FILENO { writeError = output.close() }
        if let reason = writeError {
            TrailAuditCommand.printError("trailaudit \(name): cannot write: \(reason)")
            return .inputFailed
        }
        return result.input.failed.isEmpty && !noLogFile ? .success : .inputFailed
    }

    /// Said (with exit status 1) when the paths hold no log file: an empty report would pass
    /// for a quiet night.
    static func noLogFileMessage(_ command: String, _ paths: [String]) -> String {
        "trailaudit \(command): no log file in "
            + paths.map { SafeText.terminal($0) }.joined(separator: ", ")
            + " (CloudTrail writes AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz);"
            + " is the path right?"
    }

    /// The value of `--format`, checked against `allowed` (the first is the default).
    static func format(_ parsed: ParsedArguments, _ allowed: [String]) throws -> String {
        let format = parsed.value("format") ?? allowed[0]
        guard allowed.contains(format) else {
            throw UsageError(
                "--format '\(format)' is not one of \(allowed.joined(separator: ", "))")
        }
        return format
    }
}
