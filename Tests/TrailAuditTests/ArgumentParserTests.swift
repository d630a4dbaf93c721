import Testing
import TrailAudit

@testable import TrailAuditCLI

@Suite struct ArgumentParserTests {
    static let specs = [
        OptionSpec("format", value: "F", help: ""), OptionSpec("jobs", value: "N", help: ""),
        OptionSpec("quiet", help: ""), OptionSpec("since", value: "T", help: ""),
    ]

    @Test func valuesFlagsAndPositionals() throws {
        let parsed = try ArgumentParser.parse(
            ["--format", "json", "a", "--quiet", "--jobs=3", "-", "--", "--not-an-option"],
            specs: Self.specs)
        #expect(parsed.value("format") == "json")
        #expect(parsed.value("jobs") == "3")
        #expect(parsed.flag("quiet"))
        #expect(parsed.positionals == ["a", "-", "--not-an-option"])
    }

    @Test func repeatedOptionsKeepEveryValueInOrder() throws {
        let parsed = try ArgumentParser.parse(
            ["--since", "a.json", "x", "--since=b.json", "--jobs", "2"], specs: Self.specs)
        #expect(parsed.allValues("since") == ["a.json", "b.json"])
        #expect(parsed.value("since") == "b.json")
        #expect(parsed.allValues("jobs") == ["2"])
        #expect(parsed.allValues("format") == [])
    }

    /// An option whose value is optional takes it with `=`; a word after it that names no
    /// file or folder was meant as its value, and the mistake says how to write it.
    @Test func optionalValuesAreGivenWithEquals() throws {
        let specs = [OptionSpec("error", value: "CODE", optional: true, help: "")]
        let flag = try ArgumentParser.parse(["--error", "/"], specs: specs)
        #expect(flag.flag("error"))
        #expect(flag.positionals == ["/"])
        #expect(
            try ArgumentParser.parse(["--error=AccessDenied"], specs: specs).value("error")
                == "AccessDenied")
        #expect(
            throws: UsageError(
                "--error takes its CODE with '=': --error=AccessDenied"
                    + " ('AccessDenied' is no file or folder to read)")
        ) {
            try ArgumentParser.parse(["--error", "AccessDenied", "/"], specs: specs)
        }
    }

    @Test(arguments: [
        (["--fromat", "json"], "unknown option '--fromat'; did you mean '--format'?"),
        (["--job", "2"], "unknown option '--job'; did you mean '--jobs'?"),
        (["--zzzzzzzz"], "unknown option '--zzzzzzzz'"),
        (["--jobs"], "option --jobs needs a value (N)"),
        (["--quiet=yes"], "option --quiet takes no value"),
    ])
    func mistakesAreNamed(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) {
            try ArgumentParser.parse(arguments, specs: Self.specs)
        }
    }

    @Test(arguments: [
        ("16M", 16 << 20), ("2G", 2 << 30), ("512k", 512 << 10), ("100", 100),
        ("1MiB", 1 << 20),
    ])
    func byteSizes(text: String, bytes: Int) throws {
        #expect(try ValueParsing.byteSize(text, option: "max-record") == bytes)
    }

    @Test(arguments: ["0", "-1", "lots", "16Q"])
    func badByteSizes(text: String) {
        #expect(throws: UsageError.self) { try ValueParsing.byteSize(text, option: "max-record") }
    }

    @Test(
        arguments: [
            ("7d", 1_000_000 - 7 * 86_400), ("24h", 1_000_000 - 86_400), ("30m", 1_000_000 - 1800),
            ("2024-03-05", 1_709_596_800), ("2024-03-05T10:00:00Z", 1_709_632_800),
            ("2024-03-05T10:00:00", 1_709_632_800),
        ] as [(String, Int64)])
    func times(text: String, seconds: Int64) throws {
        #expect(try ValueParsing.time(text, option: "since", now: 1_000_000) == seconds)
    }

    @Test(
        arguments: [
            "2026-02-30", "2024-13-01", "2023-02-29", "yesterday", "0000-01-01",
            "1969-12-31T23:59:59Z", "1969-12-31",
        ])
    func badTimes(text: String) {
        #expect(throws: UsageError.self) {
            try ValueParsing.time(text, option: "since", now: 1_000_000)
        }
    }

    /// A year before 1970 is a typo (windows no log falls in, times no output can write), and
    /// the error says which part is wrong.
    @Test func aTimeBefore1970IsRefusedAsSuch() throws {
        #expect(try ValueParsing.time("1970-01-01", option: "until", now: 1_000_000) == 0)
        #expect(
            throws: UsageError("--until '0000-01-01' is before 1970 (CloudTrail began in 2013)")
        ) {
            try ValueParsing.time("0000-01-01", option: "until", now: 1_000_000)
        }
    }

    /// The limit is on the days: 100000w (700,000 days) passed when it was on the number.
    @Test func dayCountsAreLimitedInDays() throws {
        #expect(try StateOptions.days("14285w", option: "window") == 99_995)
        #expect(try StateOptions.days("90d", option: "window") == 90)
        #expect(throws: UsageError.self) { try StateOptions.days("100000w", option: "window") }
        #expect(throws: UsageError.self) { try StateOptions.days("100001d", option: "window") }
    }

    @Test func commandExitCodes() {
        #expect(TrailAuditCommand.run([]) == .usage)
        #expect(TrailAuditCommand.run(["reprot"]) == .usage)
        #expect(TrailAuditCommand.run(["report", "--bogus", "x"]) == .usage)
        #expect(TrailAuditCommand.run(["report"]) == .usage)
        #expect(
            TrailAuditCommand.run(["report", "--since", "2024-03-06", "--until", "2024-03-05", "x"])
                == .usage)
        #expect(TrailAuditCommand.run(["report", "--inflate", "brotli", "x"]) == .usage)
    }

    /// Error messages quote file names and state paths that a bucket writer may choose.
    @Test func errorMessagesAreEscapedLineByLine() {
        #expect(
            TrailAuditCommand.errorText("merge: x\u{1B}]2;pwned\u{07}.json\nRun 'help'")
                == "merge: x\\x1b]2;pwned\\x07.json\nRun 'help'\n")
    }

    @Test(arguments: InflateEngine.available)
    func inflateOptionPicksTheEngine(engine: InflateEngine) throws {
        let parsed = try ArgumentParser.parse(
            ["--inflate", engine.rawValue, "x"], specs: CommonOptions.specs)
        #expect(try CommonOptions.runOptions(parsed).inflateEngine == engine)
    }
}
