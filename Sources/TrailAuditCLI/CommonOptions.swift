import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// Options every reading command shares: jobs, time window, limits, progress.
enum CommonOptions {
    /// The run options from `--jobs`, `--since`, `--until`, `--max-record`, `--max-inflated`,
    /// `--strict` and `--quiet` (whichever the command offers).
    static func runOptions(_ parsed: ParsedArguments) throws -> RunOptions {
        var options = RunOptions()
        let now = EpochSeconds(Date().timeIntervalSince1970)
        if let jobs = parsed.value("jobs") {
            options.jobs = try ValueParsing.positiveInt(jobs, option: "jobs")
            guard options.jobs <= 256 else { throw UsageError("--jobs \(jobs) is more than 256") }
        }
        if let since = parsed.value("since") {
            options.window.since = try ValueParsing.time(since, option: "since", now: now)
        }
        if let until = parsed.value("until") {
            options.window.until = try ValueParsing.time(until, option: "until", now: now)
        }
        if let since = options.window.since, let until = options.window.until, since >= until {
            throw UsageError("--since must be before --until")
        }
        if let size = parsed.value("max-record") {
            options.maxRecordSize = try ValueParsing.byteSize(size, option: "max-record")
        }
        if let size = parsed.value("max-inflated") {
            options.maxInflatedBytes = try ValueParsing.byteSize(size, option: "max-inflated")
        }
        if let ratio = parsed.value("max-ratio") {
            options.maxRatio = try ValueParsing.positiveInt(ratio, option: "max-ratio")
        }
        options.strict = parsed.flag("strict")
        if !parsed.flag("quiet"), isatty(STDERR_FILENO) == 1 {
            options.progress = { progress in
                OutputStream.standardError.write("\r\u{1B}[K" + ProgressLine.text(progress))
            }
        }
        return options
    }
}
