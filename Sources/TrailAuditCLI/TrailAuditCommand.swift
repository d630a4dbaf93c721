import CSystem
import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// Exit statuses: the same for every subcommand.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Some input failed; the report covers the rest.
    case inputFailed = 1
    case usage = 2
    /// `changes --exit-code` found something new.
    case changed = 3
}

/// The `trailaudit` command: dispatches to subcommands.
public enum TrailAuditCommand {
    public static let version = "0.1.0"

    /// What `--version` prints: the tool's version and the IAM catalog it carries.
    static var versionText: String {
        "trailaudit \(version)\nIAM action catalog: \(IAMCatalog.shared.summary)"
    }

    static let usage = """
        usage: trailaudit <command> [options] PATH...

        commands:
          report    per-principal usage, AssumeRole and AccessDenied reports from CloudTrail logs
          events    the events that match filters (principal, key, action, IP, ...), in time order
          trace     follow a temporary key back to the person, pipeline or service behind it
          timeline  one principal's activity per hour or day, and what was first seen when
          unused    granted against used: each role's actions as used, unused, not-observable,
                    denied or used-not-granted (needs --iam)
          suggest   least-privilege permission and trust policies from the evidence (needs --iam)
          ingest    add new log files to a state file (nightly runs; see the README)
          changes   what is new in the last day (or window) of a state, against the one before
          coverage  which days have logs, per account and region, in a state
          merge     combine states built by shards into one
          shard     which S3 keys or folders a shard takes (to sync only its part)

        Run 'trailaudit <command> --help' for a command's options.
        """

    /// Runs with the process arguments and exits.
    public static func main() {
        // Fixed malloc thresholds: blocks of 256 KiB and more (the aggregate's larger
        // dictionaries and sets) get pages of their own, given back when freed. glibc's default
        // raises the mmap threshold to the largest block freed so far, after which such blocks
        // come from the heap and leave holes it never returns: on the 4 GiB benchmark tree that
        // was 152 against 120 MB of peak RSS with one job. Up to 8 MiB free stays at the top of
        // a heap (the default, 128 KiB once the mmap threshold is fixed, gave memory back and
        // faulted it in again thousands of times a run).
        trailaudit_set_malloc_thresholds(256 << 10, 8 << 20)
        let arguments = Array(CommandLine.arguments.dropFirst())
        exit(run(arguments).rawValue)
    }

    /// Runs one invocation; output to stdout/stderr, result as an exit status.
    public static func run(_ arguments: [String]) -> ExitStatus {
        guard let command = arguments.first else {
            printError(usage)
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "report":
            return ReportCommand.run(rest)
        case "events":
            return EventsCommand.run(rest)
        case "trace":
            return TraceCommand.run(rest)
        case "timeline":
            return TimelineCommand.run(rest)
        case "unused":
            return PermissionCommands.run("unused", rest)
        case "suggest":
            return PermissionCommands.run("suggest", rest)
        case "ingest":
            return IngestCommand.run(rest)
        case "changes":
            return ChangesCommand.run(rest)
        case "coverage":
            return CoverageCommand.run(rest)
        case "merge":
            return MergeCommand.run(rest)
        case "shard":
            return ShardCommand.run(rest)
        case "--version", "version":
            print(versionText)
            return .success
        case "--help", "-h", "help":
            print(usage)
            return .success
        default:
            let known = [
                "report", "events", "trace", "timeline", "unused", "suggest", "ingest", "changes",
                "coverage", "merge", "shard", "help", "version",
            ]
            let nearest = known.min {
                ArgumentParser.editDistance($0, command) < ArgumentParser.editDistance($1, command)
            }
            var message = "unknown command '\(command)'"
            if let nearest, ArgumentParser.editDistance(nearest, command) <= 2 {
                message += "; did you mean '\(nearest)'?"
            }
            printError("trailaudit: \(message)\n\n\(usage)")
            return .usage
        }
    }

    /// Writes a line to standard error.
    /// Writes `text` to standard error, each line escaped for the terminal: messages quote
    /// file names and state paths, which whoever can write to the bucket may choose.
    static func printError(_ text: String) {
        OutputStream.standardError.write(errorText(text))
    }

    /// `text` as `printError` writes it: each line escaped, and a final newline.
    static func errorText(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { SafeText.terminal(String($0)) }.joined(separator: "\n") + "\n"
    }
}
