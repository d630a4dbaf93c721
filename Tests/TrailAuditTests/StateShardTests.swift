import Foundation
import Testing

@testable import TrailAudit
@testable import TrailAuditCLI

/// `ingest --shard I/N` and `merge`: N partial states merged equal one state over everything.
@Suite struct StateShardTests {
    @Test func fourShardsMergedEqualOneRun() throws {
        let (root, single, fixture) = try StateIngestTests.tree(days: 0..<4)
        defer { try? FileManager.default.removeItem(at: root) }
        try StateRun.ingest([fixture.root.path], into: single)

        var parts: [String] = []
        var filesInShards = 0
        var shardsUsed = 0
        for index in 0..<4 {
            let part = root.appendingPathComponent("part-\(index).db").path
            let summary = try StateRun.ingest(
                [fixture.root.path], into: part, jobs: 1, shard: Shard(index: index, count: 4))
            filesInShards += summary.filesCommitted
            if summary.filesCommitted > 0 { shardsUsed += 1 }
            parts.append(part)
        }
        let all = ExportTree(paths: [fixture.root.path]).files.count
        #expect(filesInShards == all)
        // The four account-region streams hash to shards 2, 1, 0 and 2 (see below); the
        // files outside the layout, by name, land in those three too.
        #expect(shardsUsed == 3)

        let merged = root.appendingPathComponent("merged.db").path
        let summary = try StateMerge.run(output: merged, parts: parts, wait: false)
        #expect(summary.files == all)
        #expect(summary.eventsInSeveralParts == 0)
        #expect(try StateRun.stateJSON(merged) == StateRun.stateJSON(single))
        #expect(try StateRun.stateJSON(merged) == StateRun.directJSON([fixture.root.path]))
    }

    /// Each part prunes from its own newest day: a shard whose only trail stopped earlier keeps
    /// days one ingest over everything deletes. `merge` prunes the result to the latest cut
    /// its parts carry, and `merge --retain` as that ingest did (found by breaking passes:
    /// 1,800 events merged against 1,350; a part pruned beside one not, counted for half the
    /// files on the days before the cut).
    @Test func partsWithRetentionMergedWithItEqualOneRun() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = StateFixture(root: root.appendingPathComponent("logs"))
        try fixture.write(days: 0..<3)
        // The trail 111122223333/eu-west-1 (alone in shard 1 of 4) stops after day 2.
        for file in try fixture.write(days: 3..<6)
        where file.path.contains("/111122223333/CloudTrail/eu-west-1/") {
            try FileManager.default.removeItem(at: file)
        }
        let single = root.appendingPathComponent("single.db").path
        try StateRun.ingest([fixture.root.path], into: single, retainDays: 2)
        var parts: [String] = []
        for index in 0..<4 {
            let part = root.appendingPathComponent("part-\(index).db").path
            try StateRun.ingest(
                [fixture.root.path], into: part, jobs: 1, shard: Shard(index: index, count: 4),
                retainDays: 2)
            parts.append(part)
        }
        let unpruned = root.appendingPathComponent("unpruned.db").path
        _ = try StateMerge.run(output: unpruned, parts: parts, wait: false)
        #expect(try StateRun.stateJSON(unpruned) == StateRun.stateJSON(single))
        // A part pruned beside one that was not: the days before the cut go from both.
        let whole = root.appendingPathComponent("whole.db").path
        try StateRun.ingest(
            [fixture.root.path], into: whole, jobs: 1, shard: Shard(index: 0, count: 2))
        let halfPruned = root.appendingPathComponent("half.db").path
        try StateRun.ingest(
            [fixture.root.path], into: halfPruned, jobs: 1, shard: Shard(index: 1, count: 2),
            retainDays: 2)
        let mixed = root.appendingPathComponent("mixed.db").path
        _ = try StateMerge.run(output: mixed, parts: [whole, halfPruned], wait: false)
        let mixedStore = try StateStore(path: mixed, create: false)
        let mixedCut = try #require(try mixedStore.retainedFrom())
        #expect(try StateStore(path: halfPruned, create: false).retainedFrom() == mixedCut)
        #expect(try mixedStore.oldestDay() == mixedCut)

        let merged = root.appendingPathComponent("merged.db").path
        let summary = try StateMerge.run(output: merged, parts: parts, wait: false, retainDays: 2)
        #expect(summary.daysPruned > 0)
        #expect(try StateRun.stateJSON(merged) == StateRun.stateJSON(single))
        // Where --retain cut, as one ingest records it.
        let cut = try StateStore(path: single, create: false).retainedFrom()
        #expect(cut != nil)
        #expect(try StateStore(path: merged, create: false).retainedFrom() == cut)
        #expect(try StateStore(path: unpruned, create: false).retainedFrom() == cut)
    }

    @Test func shardsAreDeterministicAndByAccountAndRegion() {
        let key = ExportKey(
            path: "x/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/"
                + "111122223333_CloudTrail_us-east-1_20240305T1005Z_abc.json.gz")
        let file = InputFile(rawPath: [], name: "x/f.json.gz", key: key, size: 1)
        let copy = InputFile(rawPath: [], name: "elsewhere/g.json.gz", key: key, size: 1)
        #expect(Shard.shardKey(of: file) == "111122223333/us-east-1")
        let owners = (0..<4).filter { Shard(index: $0, count: 4).contains(file) }
        #expect(owners.count == 1)
        #expect(owners == (0..<4).filter { Shard(index: $0, count: 4).contains(copy) })
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c (a published test vector); after MurmurHash3's
        // finalizer (computed apart, in Python) the same value on every machine.
        #expect(Shard.stableHash("a") == 0x82a2_a958_a9be_ce5b)
        // The fixture's four account-region streams, which plain FNV-1a put in one shard.
        let streams =
            ["111122223333/us-east-1", "111122223333/eu-west-1"]
            + ["444455556666/us-east-1", "444455556666/eu-west-1"]
        #expect(streams.map { Shard.stableHash($0) % 4 } == [2, 1, 0, 2])
    }

    @Test func overlappingPartsAreRefused() throws {
        let (root, _, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let first = root.appendingPathComponent("a.db").path
        let second = root.appendingPathComponent("b.db").path
        try StateRun.ingest([fixture.root.path], into: first)
        try StateRun.ingest([fixture.root.path], into: second)
        let merged = root.appendingPathComponent("merged.db").path
        let error = try #require(throws: StateError.self) {
            try StateMerge.run(output: merged, parts: [first, second], wait: false)
        }
        #expect(error.description.contains("the parts overlap"))
        // Nothing was merged, and the new output is gone again (an empty state would pass for
        // the merge's result), with its lock file.
        #expect(!FileManager.default.fileExists(atPath: merged))
        #expect(!FileManager.default.fileExists(atPath: merged + ".lock"))
    }

    /// A part an ingest holds is not read (it would bring files marked ingested without the
    /// events of their uncommitted batch); a part named twice is refused by name.
    @Test func partsInUseOrNamedTwiceAreRefused() throws {
        let (root, _, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let part = root.appendingPathComponent("a.db").path
        try StateRun.ingest([fixture.root.path], into: part)
        let merged = root.appendingPathComponent("merged.db").path
        do {
            let ingest = try StateLock(statePath: part, wait: false)
            let error = try #require(throws: StateError.self) {
                try StateMerge.run(output: merged, parts: [part], wait: false)
            }
            #expect(error.description.contains("in use by another trailaudit ingest or merge"))
            #expect(!FileManager.default.fileExists(atPath: merged))
            #expect(!FileManager.default.fileExists(atPath: merged + ".lock"))
            withExtendedLifetime(ingest) {}
        }
        let twice = try #require(throws: StateError.self) {
            try StateMerge.run(output: merged, parts: [part, part], wait: false)
        }
        #expect(twice.description.contains("named twice"))
        #expect(!FileManager.default.fileExists(atPath: merged))
        // An output another merge holds is that merge's: a refused merge leaves it alone.
        do {
            let other = try StateLock(statePath: merged, wait: false)
            #expect(throws: StateError.self) {
                try StateMerge.run(output: merged, parts: [part], wait: false)
            }
            #expect(FileManager.default.fileExists(atPath: merged))
            withExtendedLifetime(other) {}
        }
        // A hard link is the same file under another name (with --wait it waited on itself).
        let hard = root.appendingPathComponent("hard.db").path
        try FileManager.default.linkItem(atPath: part, toPath: hard)
        let linked = try #require(throws: StateError.self) {
            try StateMerge.run(output: merged, parts: [part, hard], wait: true)
        }
        #expect(linked.description.contains("named twice"))
        try FileManager.default.removeItem(atPath: hard)
        let summary = try StateMerge.run(output: merged, parts: [part], wait: false)
        #expect(summary.files > 0)
    }

    /// The same files under another path (a re-synced tree) in two parts: their events
    /// cannot be separated, so the merge is refused, naming both copies.
    @Test func partsWithTheSameFilesUnderOtherPathsAreRefused() throws {
        let (root, _, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("resynced")
        try FileManager.default.copyItem(at: fixture.root, to: copy)
        let first = root.appendingPathComponent("a.db").path
        let second = root.appendingPathComponent("b.db").path
        try StateRun.ingest([fixture.root.path], into: first)
        try StateRun.ingest([copy.path], into: second)
        let merged = root.appendingPathComponent("merged.db").path

        let error = try #require(throws: StateError.self) {
            try StateMerge.run(output: merged, parts: [first, second], wait: false)
        }
        #expect(error.description.contains("\(copy.path)/"))
        #expect(error.description.contains("\(fixture.root.path)/"))
        #expect(
            error.description.contains("in \(first)") && error.description.contains("in \(second)"))
        #expect(error.description.contains("cannot be separated; nothing merged"))
        #expect(!FileManager.default.fileExists(atPath: merged))

        // Merged into an output that holds the first part already: refused the same way.
        _ = try StateMerge.run(output: merged, parts: [first], wait: false)
        let again = try #require(throws: StateError.self) {
            try StateMerge.run(output: merged, parts: [second], wait: false)
        }
        #expect(again.description.contains("in \(merged)"))
        #expect(try StateRun.stateJSON(merged) == StateRun.directJSON([fixture.root.path]))
    }

    /// Two merges that wait, into an output the first one makes: the second, started once the
    /// output exists, must order it as the first did (by its device and inode), or each holds
    /// what the other waits for. Both end, whatever the order they run in.
    @Test func waitingMergesIntoANewOutputDoNotDeadlock() throws {
        let (root, _, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let parts = (0..<2).map { root.appendingPathComponent("p\($0).db").path }
        for (index, part) in parts.enumerated() {
            try StateRun.ingest(
                [fixture.root.path], into: part, shard: Shard(index: index, count: 2))
        }
        let merged = root.appendingPathComponent("merged.db").path
        func merge(_ parts: [String]) throws -> Process {
            let process = Process()
            process.executableURL = StateRun.executable
            process.arguments = ["merge", "--wait", merged] + parts
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        var hold: StateLock? = try StateLock(statePath: parts[0], wait: false)
        let first = try merge(parts)
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: merged) { usleep(20_000) }
        usleep(300_000)  // the first merge has locked what comes before parts[0]
        let second = try merge([parts[1]])
        usleep(300_000)
        withExtendedLifetime(hold) { hold = nil }
        let deadline = Date().addingTimeInterval(30)
        while first.isRunning || second.isRunning, Date() < deadline { usleep(50_000) }
        let finished = !first.isRunning && !second.isRunning
        if !finished {  // deadlocked in flock: SIGKILL, or the test would wait forever
            for process in [first, second] where process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        #expect(finished)
        first.waitUntilExit()
        second.waitUntilExit()
        // One of the two merged the second part first; the other was refused as overlapping,
        // or both merged in turn when the first merge came second.
        #expect([first.terminationStatus, second.terminationStatus].contains(0))
    }

    /// `trailaudit shard` puts each folder or key in exactly one shard, the one ingest uses.
    @Test func shardCommandSplitsFoldersAsIngestDoes() throws {
        let lines = StateFixture.accounts.flatMap { account in
            StateFixture.regions.map { "AWSLogs/\(account)/CloudTrail/\($0)/" }
        }
        var seen: [String] = []
        for index in 0..<4 {
            let process = Process()
            process.executableURL = StateRun.executable
            process.arguments = ["shard", "--shard", "\(index)/4"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            try input.fileHandleForWriting.close()
            let printed = String(
                decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let kept = printed.split(separator: "\n").map(String.init)
            for line in kept {
                let key = ExportKey(path: line + "YYYY/MM/DD/_")
                let file = InputFile(rawPath: [], name: line, key: key, size: 0)
                #expect(Shard(index: index, count: 4).contains(file))
            }
            seen += kept
        }
        #expect(seen.sorted() == lines.sorted())
    }
}

@Suite struct ShardSpecTests {
    @Test(arguments: ["0/4", "3/4", "0/1"])
    func validSpecsParse(spec: String) throws {
        let shard = try IngestCommand.shard(spec)
        #expect("\(shard.index)/\(shard.count)" == spec)
    }

    @Test(arguments: ["0/0", "5/4", "-1/2", "1/a", "+1/2", "-0/2", "1/2/3", "/2", "1/", "١/٢"])
    func otherSpecsAreUsageErrors(spec: String) {
        #expect(throws: UsageError.self) { try IngestCommand.shard(spec) }
    }
}
