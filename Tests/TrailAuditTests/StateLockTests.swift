import Foundation
import Testing

@testable import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// The writer lock follows the state file, not the name it was reached by: a symbolic or a
/// hard link to a state being written is refused (or queued behind it with --wait).
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
        var options = IngestOptions()
        options.run.jobs = 2
        options.flushEveryFile = true
        for run in 0..<10 {
            let state = root.appendingPathComponent("state\(run).db").path
            let summary = try StateIngest.run(
                paths: [fixture.root.path], statePath: state, options: options)
            #expect(summary.filesCommitted == 51)
            #expect(!FileManager.default.fileExists(atPath: state + "-wal"), "run \(run)")
        }
    }

    /// The breaking case: a new state written at once under its name and through a link.
    @Test(arguments: [false, true])
    func ingestsThroughTwoNamesCountEveryFileOnce(hardLink: Bool) throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let link = root.appendingPathComponent("link.db").path
        if hardLink {
            // A hard link needs the file: an empty one, as a new state starts.
            _ = FileManager.default.createFile(atPath: state, contents: nil)
            try FileManager.default.linkItem(atPath: state, toPath: link)
        } else {
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: state)
        }
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
}
