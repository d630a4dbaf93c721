import Foundation
import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// Options every reading command shares: jobs, time window, limits, progress.
enum CommonOptions {
    /// The options every command that reads logs takes, after its own.
    static let specs: [OptionSpec] = [
        OptionSpec("output", value: "FILE", help: "write to FILE instead of stdout"),
        OptionSpec(
            "since", value: "TIME",
            help: "only events at or after TIME (2024-03-05, ISO time, 24h, 7d)"),
        OptionSpec("until", value: "TIME", help: "only events before TIME"),
        OptionSpec(
            "late", value: "DAYS",
            help: "with --until: read files delivered up to DAYS after it (default: 1d)"),
        OptionSpec("jobs", value: "N", help: "worker threads (default: the number of cores)"),
        OptionSpec("max-record", value: "SIZE", help: "largest single record (default: 16M)"),
        OptionSpec(
            "max-inflated", value: "SIZE", help: "largest inflated file (default: no limit)"),
        OptionSpec(
            "max-ratio", value: "N", help: "largest gzip inflate ratio past 64 MiB (default: 1000)"),
        OptionSpec(
            "inflate", value: "LIB",
            help: "gzip library: "
                + InflateEngine.available.map(\.rawValue).joined(separator: " or ")
                + " (default: \(InflateEngine.fastest.rawValue))"),
        OptionSpec("strict", help: "stop at the first file that fails; write nothing then"),
        OptionSpec("quiet", help: "no progress line"),
        OptionSpec("help", help: "show this help"),
    ]

    /// `--top N`: rows per list in text and Markdown (20 when not given).
    static func top(_ parsed: ParsedArguments) throws -> Int {
        try parsed.value("top").map { try ValueParsing.positiveInt($0, option: "top") } ?? 20
    }

    /// `--state` and `--window`: for the commands that can read a state instead of logs.
    static let stateSpecs: [OptionSpec] = [
        OptionSpec("state", value: "FILE", help: "read a state built by ingest, not logs"),
        OptionSpec(
            "window", value: "DAYS",
            help: "with --state: the DAYS days ending with the newest (90d)"),
    ]

    /// The run options from `--jobs`, `--since`, `--until`, `--max-record`, `--max-inflated`,
    /// `--max-ratio`, `--inflate`, `--strict` and `--quiet` (whichever the command offers).
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
        if let days = parsed.value("late") {
            guard options.window.until != nil else {
                throw UsageError("--late needs --until: it reads files delivered after the window")
            }
            guard days != "0", days != "0d" else {
                // Files arrive minutes after their events: the window's last minutes are in
                // files delivered after it.
                throw UsageError(
                    "--late 0: events of the window's end are delivered after it; 1d at least")
            }
            let count = try StateOptions.days(days, option: "late")
            options.lateDelivery = EpochSeconds(count) * 86_400
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
        if let name = parsed.value("inflate") {
            guard let engine = InflateEngine(rawValue: name),
                InflateEngine.available.contains(engine)
            else {
                throw UsageError(
                    "--inflate \(name): this build has "
                        + InflateEngine.available.map(\.rawValue).joined(separator: " and "))
            }
            options.inflateEngine = engine
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
