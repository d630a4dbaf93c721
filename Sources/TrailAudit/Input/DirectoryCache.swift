#if canImport(Glibc)
    import Glibc
#endif

/// What identifies a directory's list of entries between two walks: creating, removing or
/// renaming an entry sets the directory's change time (which no program can set back), and a
/// directory deleted and made again has another inode.
package struct DirectoryStamp: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64
    /// Modification and change time, nanoseconds since 1970.
    package var modified: Int64
    package var changed: Int64

    package init(device: UInt64, inode: UInt64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.modified = modified
        self.changed = changed
    }

    init(_ status: stat) {
        self.init(
            device: UInt64(status.st_dev), inode: UInt64(status.st_ino),
            modified: status.st_mtim.nanoseconds, changed: status.st_ctim.nanoseconds)
    }
}

extension timespec {
    /// Nanoseconds since 1970.
    var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}

/// A directory as an earlier walk left it: every log file in it handled (ingested, or skipped
/// for good), so while its stamp stays the same a walk need not list it again.
package struct KnownDirectory: Sendable {
    package var stamp: DirectoryStamp
    /// Names of its subdirectories, which the walk still visits.
    package var subdirectories: [[UInt8]]
    /// Log files in it of the shard the cache belongs to (counted as found and unchanged), and
    /// of other shards.
    package var logFiles: Int
    package var otherShardFiles: Int

    package init(
        stamp: DirectoryStamp, subdirectories: [[UInt8]], logFiles: Int, otherShardFiles: Int
    ) {
        self.stamp = stamp
        self.subdirectories = subdirectories
        self.logFiles = logFiles
        self.otherShardFiles = otherShardFiles
    }
}

/// The directories a walk may skip, by path with a trailing `/`.
package struct DirectoryCache: Sendable {
    package var directories: [[UInt8]: KnownDirectory]
    /// Change times at or after this (nanoseconds since 1970) are too recent to trust: an
    /// entry added within the same tick of the file system's clock, after the walk listed the
    /// directory, would leave the stamp as it was.
    package var settledBefore: Int64

    package init(directories: [[UInt8]: KnownDirectory], settledBefore: Int64) {
        self.directories = directories
        self.settledBefore = settledBefore
    }
}

/// A directory a walk listed.
package struct ListedDirectory: Sendable {
    /// Its path with a trailing `/`, as the walk spelled it.
    package var base: [UInt8]
    /// Its stamp, taken before it was listed.
    package var stamp: DirectoryStamp
    package var subdirectories: [[UInt8]]
    /// Whether its change time is old enough to be cached (see `DirectoryCache.settledBefore`).
    package var settled: Bool
}
