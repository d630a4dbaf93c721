import Foundation
import TrailAudit

/// `trailaudit unused` and `trailaudit suggest`: the logs against the principals' IAM policies.
enum PermissionCommands {
    /// The IAM inputs, loaded while the options are checked and read when rendering.
    final class Loaded: @unchecked Sendable {
        // Written once in `configure`, read once in `render`, on the same thread.
        var inputs = IAMInputs()
    }

    static let specs: [OptionSpec] =
        [
            OptionSpec(
                "iam", value: "FILE",
                help: "get-account-authorization-details output, or a folder of them"
            ),
            OptionSpec(
                "policy", value: "ARN=FILE",
                help: "one policy document granted to the role or user ARN (repeatable)"),
            OptionSpec(
                "role", value: "ARN", help: "only this role or user (repeatable)"),
            OptionSpec(
                "format", value: "text|json|markdown", help: "output format (default: text)"),
            OptionSpec("top", value: "N", help: "rows per list in text and markdown (default: 20)"),
        ] + CommonOptions.stateSpecs + CommonOptions.specs

    static let unusedHelp = """
        usage: trailaudit unused --iam FILE [options] PATH...
               trailaudit unused --iam FILE --state FILE [--window DAYS | --since/--until]

        For every role and user in the IAM export, puts each granted action in one class:
        used (succeeded in the window), unused (granted, never used), not-observable (CloudTrail
        cannot show it: data events the input lacks, permission-only actions), denied
        (attempted and denied), used-not-granted (succeeded through another path).

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some log input failed, 2 usage or IAM input error
        (a policy of a principal that cannot be read included: the rest is still written).
        """

    static let suggestHelp = """
        usage: trailaudit suggest --iam FILE [--role ARN] [options] PATH...
               trailaudit suggest --iam FILE --state FILE [--window DAYS | --since/--until]

        Writes a least-privilege permission policy (only actions that succeeded, scoped to the
        resources they touched) and trust policy (only the callers that assumed the role) per
        role, with what they remove and a warning for every "*".

        options:
        \(ArgumentParser.helpLines(specs))

        exit status: 0 all input read, 1 some log input failed, 2 usage or IAM input error
        (a policy of a principal that cannot be read included: the rest is still written).
        """

    /// Runs `unused` or `suggest` over logs, or over a state with `--state`.
    static func run(_ name: String, _ arguments: [String]) -> ExitStatus {
        if let parsed = try? ArgumentParser.parse(arguments, specs: specs),
            parsed.value("state") != nil, !parsed.flag("help")
        {
            return runOnState(name, parsed)
        }
        let loaded = Loaded()
        let status = command(name: name, loaded).run(arguments)
        return status == .success ? checked(loaded.inputs, name) : status
    }

    /// Exit status 2 when a policy of a principal analysed could not be read (each is listed
    /// with the results): it was judged on part of its policies, which a cron job must not
    /// take for a clean run. Other problems (a file in an `--iam` folder that is no export)
    /// leave every principal whole.
    private static func checked(_ inputs: IAMInputs, _ name: String) -> ExitStatus {
        let partial = inputs.principals.filter {
            !$0.permissions.unresolvedPolicies.isEmpty || $0.trustUnreadable
        }
        guard !partial.isEmpty else { return .success }
        TrailAuditCommand.printError(
            "trailaudit \(name): \(partial.count) principal(s) have policies that could not be "
                + "read, listed with the results: they were judged on part of their policies")
        return .usage
    }

    /// The analysis over a state's window instead of the logs.
    private static func runOnState(_ name: String, _ parsed: ParsedArguments) -> ExitStatus {
        var inputs = IAMInputs()
        func render(_ result: AuditResult, _ window: TimeWindow, top: Int) -> String {
            var text = ""
            var analysis = analysis(name, inputs, result.aggregate, window)
            analysis.problems = inputs.problems
            analysis.write(format: parsed.value("format") ?? "text", top: top) { text += $0 }
            return text
        }
        let status = StateOptions.run(
            name, parsed, prepare: { inputs = try load(parsed) }, render: render)
        return status == .success ? checked(inputs, name) : status
    }

    private static func analysis(
        _ name: String, _ inputs: IAMInputs, _ aggregate: Aggregate, _ window: TimeWindow
    ) -> any AnalysisOutput {
        name == "suggest"
            ? SuggestAnalysis(granted: inputs.principals, aggregate: aggregate, window: window)
            : UnusedAnalysis(granted: inputs.principals, aggregate: aggregate, window: window)
    }

    private static func command(name: String, _ loaded: Loaded) -> ReadingCommand {
        let isSuggest = name == "suggest"
        return ReadingCommand(
            name: name, specs: specs,
            help: isSuggest ? suggestHelp : unusedHelp,
            configure: { parsed, _ in
                _ = try ReadingCommand.format(parsed, ["text", "json", "markdown"])
                _ = try CommonOptions.top(parsed)
                loaded.inputs = try load(parsed)
            },
            render: { run in
                let top = (try? CommonOptions.top(run.parsed)) ?? 20  // checked in configure
                let format = run.parsed.value("format") ?? "text"
                let inputs = loaded.inputs
                var analysis = analysis(name, inputs, run.result.aggregate, run.options.window)
                analysis.problems = inputs.problems
                analysis.write(format: format, top: top, to: run.emit)
            })
    }

    /// Loads `--iam` and `--policy`, keeps the `--role` ones; IAM input errors are usage errors.
    private static func load(_ parsed: ParsedArguments) throws -> IAMInputs {
        let files = parsed.allValues("iam")
        let policies = try parsed.allValues("policy").map { value -> (String, String) in
            guard let equals = value.firstIndex(of: "="), value.hasPrefix("arn:") else {
                throw UsageError("--policy '\(value)' is not ARN=FILE")
            }
            let arn = String(value[..<equals])
            guard GrantedPrincipal.isRoleOrUser(arn) else {
                throw UsageError(
                    "--policy: \(arn) is not an IAM role or user ARN "
                        + "(arn:aws:iam::ACCOUNT:role/NAME or user/NAME)")
            }
            return (arn, String(value[value.index(after: equals)...]))
        }
        guard !files.isEmpty || !policies.isEmpty else {
            throw UsageError("give the granted permissions: --iam FILE or --policy ARN=FILE")
        }
        var inputs: IAMInputs
        do {
            inputs = try IAMInputs(authorizationDetails: files, policies: policies)
        } catch {
            throw UsageError("cannot read the IAM input: \(error)")
        }
        let roles = parsed.allValues("role")
        if !roles.isEmpty {
            inputs.principals = inputs.principals.filter { principal in
                roles.contains { $0.lowercased() == principal.arn.lowercased() }
            }
            let missing = roles.filter { role in
                !inputs.principals.contains { $0.arn.lowercased() == role.lowercased() }
            }
            if !missing.isEmpty {
                throw UsageError(
                    "--role \(missing.joined(separator: ", ")): not in the IAM input")
            }
        }
        return inputs
    }
}
