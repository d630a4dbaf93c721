import Foundation
import Testing

@testable import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// The writer lock follows the state file, not the name it was reached by: a symbolic or a
/// hard link to a state being written is refused (or queued behind it with --wait). A state
/// with a second name (a hard link) is refused by every command anyway.
@Suite(.serialized) struct StateLockTests {
    /// A state built over a one-day tree, with a symbolic and a hard link to it.
    static func linkedState() throws -> (URL, state: String, symbolic: String, hard: String) {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        try StateRun.ingest([fixture.root.path], into: state)
        let symbolic = root.appendingPathComponent("symbolic.db").path
        let hard = root.appendingPathComponent("hard.db").path
        try FileManager.default.createSymbolicLink(atPath: symbolic, withDestinationPath: state)
        try FileManager.default.linkItem(atPath: state, toPath: hard)
        return (root, state, symbolic, hard)
    }

    @Test func linksToAHeldStateAreRefused() throws {
        let (root, state, symbolic, hard) = try Self.linkedState()
        defer { try? FileManager.default.removeItem(at: root) }
        let lock = try StateLock(statePath: state, wait: false)
        defer { withExtendedLifetime(lock) {} }

        for name in [symbolic, hard] {
            let error = try #require(throws: StateError.self) {
                try StateLock(statePath: name, wait: false)
            }
            #expect(error.description.contains("in use by another trailaudit ingest or merge"))
            #expect(error.description.hasPrefix("state \(name): "))
        }
        // Through the symbolic link the lock file is the state's own, which names the holder.
        let (_, refused, message) = try StateCrashTests.run(
            ["ingest", "--quiet", "--state", symbolic, root.path])
        #expect(refused == 1)
        #expect(
            message.contains("in use by another trailaudit ingest or merge (process \(getpid()))"))
        let (_, hardRefused, hardMessage) = try StateCrashTests.run(
            ["ingest", "--quiet", "--state", hard, root.path])
        #expect(hardRefused == 1)
        #expect(hardMessage.contains("in use by another trailaudit ingest or merge"))
        #expect(hardMessage.contains("--wait"))
    }

    @Test func aLockOnAHardLinkHoldsTheState() throws {
        let (root, state, _, hard) = try Self.linkedState()
        defer { try? FileManager.default.removeItem(at: root) }
        var lock: StateLock? = try StateLock(statePath: hard, wait: false)
        #expect(throws: StateError.self) { try StateLock(statePath: state, wait: false) }
        withExtendedLifetime(lock) { lock = nil }
        #expect(throws: Never.self) { _ = try StateLock(statePath: state, wait: false) }
    }

    /// An ingest closes the state before it gives up the lock, though its threads may hold
    /// the store a moment longer: every commit is in the file, and no WAL is left beside it,
    /// when the run returns. (A process that takes the lock through a hard link reads a WAL
    /// of its own name, and would not see commits left in this one.)
    @Test func anIngestLeavesItsCommitsInTheFileWhenItReturns() throws {
        let (root, _, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        for run in 0..<10 {
            let state = root.appendingPathComponent("state\(run).db").path
            let summary = try StateRun.ingest(
                [fixture.root.path], into: state, commitEveryFile: true)
            #expect(summary.filesCommitted == 51)
            #expect(!FileManager.default.fileExists(atPath: state + "-wal"), "run \(run)")
        }
    }

    /// The breaking case: a new state written at once under its name and through a symbolic
    /// link (SQLite resolves it to the one real name, so both share one write-ahead log).
    @Test func ingestsThroughTwoNamesCountEveryFileOnce() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let link = root.appendingPathComponent("link.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: state)
        let first = try StateCrashTests.start(
            ["ingest", "--quiet", "--wait", "--jobs", "1", "--state", state, fixture.root.path],
            environment: StateCrashTests.everyFile)
        let second = try StateCrashTests.start(
            ["ingest", "--quiet", "--wait", "--jobs", "1", "--state", link, fixture.root.path],
            environment: StateCrashTests.everyFile)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        #expect(try StateCrashTests.integrity(state) == "ok")
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    /// A state file with a second name (a hard link) is refused by every command: SQLite
    /// keeps the write-ahead log beside the name, so work through the other name would miss
    /// commits or damage the file (a breaking pass did both: an ingest through one name while
    /// a report held the other open, then an ingest through the second). One name again, and
    /// it works.
    @Test func aStateWithTwoNamesIsRefusedByEveryCommand() throws {
        let (root, state, symbolic, hard) = try Self.linkedState()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        let merged = root.appendingPathComponent("merged.db").path
        for name in [state, symbolic, hard] {
            for arguments in [
                ["ingest", "--quiet", "--state", name, root.path],
                ["report", "--state", name, "--format", "json"],
                ["changes", "--state", name],
                ["merge", merged, name],
            ] {
                let (_, status, message) = try StateCrashTests.run(arguments)
                #expect(status == 1, "\(arguments)")
                #expect(
                    message.contains(
                        "state \(name): the state file has 2 names (hard links); SQLite keeps"),
                    "\(arguments): \(message)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
        #expect(!FileManager.default.fileExists(atPath: merged))

        // A new state with a second name before its first ingest: refused as well.
        let fresh = root.appendingPathComponent("fresh.db").path
        _ = FileManager.default.createFile(atPath: fresh, contents: nil)
        try FileManager.default.linkItem(
            atPath: fresh, toPath: root.appendingPathComponent("fresh-link.db").path)
        let (_, status, _) = try StateCrashTests.run(["ingest", "--state", fresh, root.path])
        #expect(status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fresh)).isEmpty)

        try FileManager.default.removeItem(atPath: hard)
        let (_, again, _) = try StateCrashTests.run([
            "ingest", "--quiet", "--state", state, root.path,
        ])
        #expect(again == 0)
    }
}
