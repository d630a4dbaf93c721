import Foundation
import Testing

@testable import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// The built `trailaudit ingest` killed with SIGKILL at many points, then run again: the state
/// must equal a clean run's, and never be corrupt. Two processes on one state never both count.
@Suite(.serialized) struct StateCrashTests {
    /// Starts `trailaudit ARGS` with extra environment variables.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws
        -> Process
    {
        let process = Process()
        process.executableURL = StateRun.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = Pipe()
        try process.run()
        return process
    }

    /// Runs to the end; returns the exit status (or the signal) and standard error.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws
        -> (Process.TerminationReason, Int32, String)
    {
        let process = try start(arguments, environment: environment)
        let pipe = process.standardError as! Pipe
        let errors = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationReason, process.terminationStatus,
            String(decoding: errors, as: UTF8.self)
        )
    }

    static func integrity(_ state: String) throws -> String {
        let statement = try SQLiteDatabase(path: state, create: false)
            .prepare("PRAGMA integrity_check")
        return try statement.step() ? statement.text(0) : "no answer"
    }

    static let everyFile = ["TRAILAUDIT_TEST_FLUSH_EVERY_FILE": "1"]

    @Test func builtExecutableIsThere() throws {
        #expect(FileManager.default.isExecutableFile(atPath: StateRun.executable.path))
    }

    /// The 3-day tree has 51 files; with a commit after each (two workers can share one),
    /// more than 25 points to die at.
    @Test(arguments: [1, 2, 5, 11, 17, 25])
    func killedDuringACommitThenRunAgainEqualsACleanRun(flush: Int) throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let clean = root.appendingPathComponent("clean.db").path
        try StateRun.ingest([fixture.root.path], into: clean)

        let arguments = ["ingest", "--quiet", "--jobs", "2", "--state", state, fixture.root.path]
        var environment = Self.everyFile
        environment["TRAILAUDIT_TEST_CRASH_DURING_FLUSH"] = "\(flush)"
        let (reason, status, _) = try Self.run(arguments, environment: environment)
        #expect(reason == .uncaughtSignal && status == SIGKILL)
        #expect(try Self.integrity(state) == "ok")

        let (_, rerun, errors) = try Self.run(arguments)
        #expect(rerun == 0, "\(errors)")
        #expect(try StateRun.stateJSON(state) == StateRun.stateJSON(clean))
    }

    @Test func killedAfterRandomDelaysThenRunAgainEqualsACleanRun() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let clean = root.appendingPathComponent("clean.db").path
        try StateRun.ingest([fixture.root.path], into: clean)

        let arguments = ["ingest", "--quiet", "--state", state, fixture.root.path]
        var random: UInt64 = 7
        var kills = 0
        // 10 ms a file: a run over the 51 files outlasts the longest delay on any machine.
        var slow = Self.everyFile
        slow["TRAILAUDIT_TEST_DELAY_PER_FILE_US"] = "10000"
        for _ in 0..<12 {
            let process = try Self.start(arguments, environment: slow)
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            usleep(useconds_t(20_000 + (random >> 33) % 300_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            #expect(try Self.integrity(state) == "ok")
        }
        let (_, status, errors) = try Self.run(arguments)
        #expect(status == 0, "\(errors)")
        #expect(kills > 0)
        #expect(try StateRun.stateJSON(state) == StateRun.stateJSON(clean))
    }

    @Test func secondIngestRefusesOrWaits() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = ["ingest", "--quiet", "--state", state, fixture.root.path]

        var lock: StateLock? = try StateLock(statePath: state, wait: false)
        let (_, refused, message) = try Self.run(arguments)
        #expect(refused == 1)
        #expect(
            message.contains("in use by another trailaudit ingest or merge (process \(getpid()))"))
        #expect(message.contains("--wait"))

        let waiting = try Self.start(arguments + ["--wait"])
        usleep(300_000)
        #expect(waiting.isRunning)
        withExtendedLifetime(lock) { lock = nil }
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    @Test func twoConcurrentIngestsCountEveryFileOnce() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let arguments = ["ingest", "--quiet", "--wait", "--state", state, fixture.root.path]
        let first = try Self.start(arguments, environment: Self.everyFile)
        let second = try Self.start(arguments, environment: Self.everyFile)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        #expect(try Self.integrity(state) == "ok")
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }
}
