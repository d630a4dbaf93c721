import Foundation

/// The directory cache of `ingest`: directories whose every log file was handled, with the
/// stamp they had then. A night whose tree gained files only in a few directories stats those
/// directories' files and only the other directories themselves (see the README: directory
/// cache). Not part of the aggregates: losing it costs one slower night, nothing else, so it
/// is created where missing instead of by a schema version.
extension StateStore {
    static let directoriesTable = """
        CREATE TABLE IF NOT EXISTS directories(
            path BLOB NOT NULL, shard TEXT NOT NULL, device INTEGER NOT NULL,
            inode INTEGER NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL,
            log_files INTEGER NOT NULL, other_shard_files INTEGER NOT NULL,
            subdirectories BLOB NOT NULL, PRIMARY KEY(path, shard)) WITHOUT ROWID;
        """

    /// Creates the cache's table in a state that has none (a new state, or one written before
    /// the cache existed).
    func prepareDirectoryCache() throws {
        try database.writeTransaction { try database.execute(StateStore.directoriesTable) }
    }

    /// The cached directories of `shard` (`I/N`, or empty for a state built without shards).
    func knownDirectories(shard: String) throws -> [[UInt8]: KnownDirectory] {
        var directories: [[UInt8]: KnownDirectory] = [:]
        try database.prepare(
            """
            SELECT path, device, inode, mtime, ctime, log_files, other_shard_files,
                subdirectories FROM directories WHERE shard = ?
            """
        ).bind(.text(shard)).forEachRow { row in
            let names = row.blob(7).split(separator: 0, omittingEmptySubsequences: true)
            directories[row.blob(0)] = KnownDirectory(
                stamp: DirectoryStamp(
                    device: UInt64(bitPattern: Int64(row.int(1))),
                    inode: UInt64(bitPattern: Int64(row.int(2))), modified: Int64(row.int(3)),
                    changed: Int64(row.int(4))),
                subdirectories: names.map(Array.init), logFiles: row.int(5),
                otherShardFiles: row.int(6))
        }
        return directories
    }

    /// Caches `complete` directories and forgets the other `listed` ones, in one transaction,
    /// with every cached directory below a subdirectory that a listed one no longer holds.
    func recordDirectories(
        _ listed: [ListedDirectory], shard: String, previous: [[UInt8]: KnownDirectory],
        complete: ([UInt8]) -> (Int, Int)?
    ) throws {
        guard !listed.isEmpty else { return }
        try database.writeTransaction {
            let deleteBelow = try database.prepare(
                "DELETE FROM directories WHERE path >= ? AND path < ? AND shard = ?")
            for directory in listed {
                guard let before = previous[directory.base] else { continue }
                for gone in Set(before.subdirectories).subtracting(directory.subdirectories) {
                    // Paths under `base/gone/` sort from `base/gone/` to just before `base/gone0`.
                    let prefix = directory.base + gone
                    try deleteBelow.bind(
                        .blob(prefix + [UInt8(ascii: "/")]), .blob(prefix + [UInt8(ascii: "0")]),
                        .text(shard)
                    ).run()
                }
            }
            let insert = try database.prepare(
                "INSERT OR REPLACE INTO directories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let delete = try database.prepare(
                "DELETE FROM directories WHERE path = ? AND shard = ?")
            for directory in listed {
                guard directory.settled, let (logFiles, otherShardFiles) = complete(directory.base)
                else {
                    try delete.bind(.blob(directory.base), .text(shard)).run()
                    continue
                }
                let stamp = directory.stamp
                try insert.bind(
                    .blob(directory.base), .text(shard),
                    .integer(Int64(bitPattern: stamp.device)),
                    .integer(Int64(bitPattern: stamp.inode)), .integer(stamp.modified),
                    .integer(stamp.changed), .int(logFiles), .int(otherShardFiles),
                    .blob(Array(directory.subdirectories.joined(separator: [0])))
                ).run()
            }
        }
    }
}
