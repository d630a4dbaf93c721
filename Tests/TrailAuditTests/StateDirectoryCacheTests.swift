import Foundation
import Testing

@testable import TrailAudit

/// The directory cache of `ingest`: a directory whose entries did not change since all its log
/// files were handled is not listed again, and nothing a night adds is missed because of it.
@Suite struct StateDirectoryCacheTests {
    /// Ingests with a cache that trusts any directory changed before the walk began (the
    /// default waits a minute, which a test cannot).
    @discardableResult
    static func ingest(
        _ fixture: StateFixture, into state: String, settle: Bool = true, rescan: Bool = false,
        shard: Shard? = nil, paths: [String]? = nil, retainDays: Int? = nil
    ) throws -> IngestSummary {
        // Past the file system clock's tick, so a change made after this returns gets a
        // later change time than any directory stamped so far.
        usleep(30_000)
        var options = IngestOptions()
        options.run.jobs = 2
        options.rescan = rescan
        options.shard = shard
        options.retainDays = retainDays
        if settle { options.settleTime = 0 }
        return try StateIngest.run(
            paths: paths ?? [fixture.root.path], statePath: state, options: options)
    }

    /// Directories under `root`, itself included.
    static func directoryCount(_ root: URL) -> Int {
        let enumerator = FileManager.default.enumerator(atPath: root.path)!
        var count = 1
        while enumerator.nextObject() != nil {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeDirectory {
                count += 1
            }
        }
        return count
    }

    @Test func anUnchangedTreeIsNotListedAgain() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Self.ingest(fixture, into: state)
        #expect(first.filesCommitted == first.filesFound)
        #expect(first.directoriesUnchanged == 0)

        let second = try Self.ingest(fixture, into: state)
        #expect(second.directoriesUnchanged == Self.directoryCount(fixture.root))
        #expect(second.filesFound == first.filesFound)
        #expect(second.filesUnchanged == first.filesFound)
        #expect(second.filesCommitted == 0)
        #expect(second.input.filesRead == 0)
    }

    @Test func aFileAddedToACachedDirectoryIsRead() throws {
        let (root, state, initial) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = initial
        let first = try Self.ingest(fixture, into: state)

        let account = StateFixture.accounts[0]
        let region = StateFixture.regions[0]
        let at = StateFixture.firstDay + 12 * 3600
        _ = try fixture.writeFile(
            account: account, region: region, delivered: at + 300,
            records: [
                fixture.call(
                    role: "ops-role", account: account, region: region, at: at,
                    action: ("s3.amazonaws.com", "ListBuckets"))
            ])
        let second = try Self.ingest(fixture, into: state)
        #expect(second.filesCommitted == 1)
        #expect(second.eventsCommitted == 1)
        #expect(second.filesFound == first.filesFound + 1)
        // Only the day folder that gained the file was listed: its parents' entries are the
        // same.
        #expect(second.directoriesUnchanged == Self.directoryCount(fixture.root) - 1)
        #expect(second.input.filesRead == 1)
        #expect(try StateRun.ingest([fixture.root.path], into: state).filesCommitted == 0)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    @Test func aNewDayFolderIsRead() throws {
        let (root, state, initial) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = initial
        try Self.ingest(fixture, into: state)
        let written = try fixture.write(days: 2..<3)
        let second = try Self.ingest(fixture, into: state)
        // Files of day 2 and the files its 23:50 slot delivers past midnight into day 3.
        #expect(second.filesCommitted == written.count)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    /// A directory holding a file that failed is listed every night: the file is reported
    /// again, and read once it is repaired.
    @Test func aDirectoryWithAFailedFileStaysListed() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ExportTree(paths: [fixture.root.path]).files.map(\.name)
        let broken = URL(fileURLWithPath: files[0])
        let good = try Data(contentsOf: broken)
        try Data(good.prefix(good.count / 2)).write(to: broken)

        let first = try Self.ingest(fixture, into: state)
        #expect(first.input.failed.map(\.path) == [broken.path])
        let second = try Self.ingest(fixture, into: state)
        #expect(second.input.failed.map(\.path) == [broken.path])
        #expect(second.directoriesUnchanged == Self.directoryCount(fixture.root) - 1)

        try good.write(to: broken)  // in place: the folder's entries stay as they were
        let third = try Self.ingest(fixture, into: state)
        #expect(third.input.failed.isEmpty)
        #expect(third.filesCommitted == 1)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    /// A directory changed less than the settling time before the walk is not trusted: an
    /// entry added within the same clock tick would not change its stamp.
    @Test func recentlyChangedDirectoriesAreListedAgain() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Self.ingest(fixture, into: state, settle: false)
        let second = try Self.ingest(fixture, into: state, settle: false)
        #expect(second.directoriesUnchanged == 0)
        #expect(second.filesUnchanged == first.filesFound)
        #expect(second.filesCommitted == 0)
    }

    /// CloudTrail never rewrites a log file, and sync tools write a new name and rename it;
    /// a file rewritten in place in a cached directory is seen with `--rescan`.
    @Test func rescanStatsEveryFile() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.ingest(fixture, into: state)
        let changed = URL(fileURLWithPath: ExportTree(paths: [fixture.root.path]).files[0].name)
        try Data(gzip(#"{"Records":[]}"#)).write(to: changed)

        let cached = try Self.ingest(fixture, into: state)
        #expect(cached.input.failed.isEmpty)
        #expect(cached.directoriesUnchanged == Self.directoryCount(fixture.root))
        let rescanned = try Self.ingest(fixture, into: state, rescan: true)
        #expect(rescanned.directoriesUnchanged == 0)
        #expect(rescanned.input.failed.map(\.path) == [changed.path])
        #expect(
            rescanned.input.failed.first?.reason.contains("changed since it was ingested") == true)
    }

    /// Each shard caches its own view: the files of other shards are counted the same.
    @Test func shardsKeepTheirOwnCache() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        let shard = Shard(index: 1, count: 3)
        let first = try Self.ingest(fixture, into: state, shard: shard)
        #expect(first.filesInOtherShards > 0)
        let second = try Self.ingest(fixture, into: state, shard: shard)
        #expect(second.directoriesUnchanged == Self.directoryCount(fixture.root))
        #expect(second.filesInOtherShards == first.filesInOtherShards)
        #expect(second.filesFound == first.filesFound)

        // Another shard on the same state finds no cache of its own and reads its files.
        let other = try Self.ingest(fixture, into: state, shard: Shard(index: 0, count: 3))
        #expect(other.directoriesUnchanged == 0)
        #expect(other.filesCommitted == other.filesFound)
    }

    /// A failed file met first under another path (a hard-linked snapshot of the tree) keeps
    /// the folder that holds it here out of the cache: once the other path is gone, the file
    /// is still reported, and read when repaired.
    @Test func aFileFailedUnderAnotherPathKeepsItsFolderListed() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<1)
        defer { try? FileManager.default.removeItem(at: root) }
        let snapshot = root.appendingPathComponent("snapshot")
        let files = ExportTree(paths: [fixture.root.path]).files.map(\.name)
        for file in files {
            let copy = snapshot.path + file.dropFirst(fixture.root.path.count)
            try FileManager.default.createDirectory(
                atPath: (copy as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try FileManager.default.linkItem(atPath: file, toPath: copy)
        }
        let broken = URL(fileURLWithPath: files[0])
        let good = try Data(contentsOf: broken)
        try Data(good.prefix(good.count / 2)).write(to: broken)

        let first = try Self.ingest(
            fixture, into: state, paths: [snapshot.path, fixture.root.path])
        #expect(first.input.failed.count == 1)
        try FileManager.default.removeItem(at: snapshot)
        let second = try Self.ingest(fixture, into: state)
        #expect(second.input.failed.map(\.path) == [broken.path])

        try good.write(to: broken)
        let third = try Self.ingest(fixture, into: state)
        #expect(third.input.failed.isEmpty)
        #expect(try StateRun.stateJSON(state) == StateRun.directJSON([fixture.root.path]))
    }

    /// `--rescan` on a new state, or one from before the cache: the table is made, and the
    /// run goes on to prune.
    @Test func rescanWorksOnANewStateAndPrunes() throws {
        let (root, state, fixture) = try StateIngestTests.tree(days: 0..<3)
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try Self.ingest(fixture, into: state, rescan: true, retainDays: 1)
        #expect(summary.input.failed.isEmpty)
        #expect(summary.daysPruned == 3)  // days 0, 1 and 2, kept: 3 (23:50 files of day 2)
        let again = try Self.ingest(fixture, into: state)
        #expect(again.directoriesUnchanged == Self.directoryCount(fixture.root))
    }

    /// Rows of folders that are gone are deleted when their parent is listed again.
    @Test func foldersThatAreGoneLeaveTheCache() throws {
        let (root, state, initial) = try StateIngestTests.tree(days: 0..<2)
        defer { try? FileManager.default.removeItem(at: root) }
        var fixture = initial
        try Self.ingest(fixture, into: state)
        let rows = {
            try StateStore(path: state, create: false).database.integer(
                "SELECT count(*) FROM directories")
        }
        #expect(try rows() == Self.directoryCount(fixture.root))
        let account = fixture.root.appendingPathComponent(
            "AWSLogs/\(StateFixture.accounts[1])")
        let removed = Self.directoryCount(account)
        try FileManager.default.removeItem(at: account)
        // The next night with a new file (a night with nothing new writes nothing).
        let at = StateFixture.firstDay + 12 * 3600
        _ = try fixture.writeFile(
            account: StateFixture.accounts[0], region: StateFixture.regions[0],
            delivered: at + 300,
            records: [
                fixture.call(
                    role: "ops-role", account: StateFixture.accounts[0],
                    region: StateFixture.regions[0], at: at,
                    action: ("s3.amazonaws.com", "ListBuckets"))
            ])
        #expect(try Self.ingest(fixture, into: state).filesCommitted == 1)
        #expect(try rows() == Self.directoryCount(fixture.root))
        #expect(removed > 1)
    }
}
