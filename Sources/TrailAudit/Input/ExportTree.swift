import CSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One file to read.
package struct InputFile: Sendable {
    /// The bytes of the path to open: file names need not be valid UTF-8.
    package var rawPath: [UInt8]
    /// The path as the user knows it (`-` for standard input); invalid UTF-8 shown as U+FFFD.
    package var name: String
    package var key: ExportKey
    package var size: Int
    /// Last modification, nanoseconds since 1970 (0 when unknown): with the size and path, how
    /// the nightly state recognises a file it ingested without opening it.
    package var modified: Int64

    package init(
        rawPath: [UInt8], name: String? = nil, key: ExportKey, size: Int, modified: Int64 = 0
    ) {
        self.rawPath = rawPath
        self.name = name ?? String(decoding: rawPath, as: UTF8.self)
        self.key = key
        self.size = size
        self.modified = modified
    }
}

extension InputFile {
    /// The UTC day the file was delivered, from its S3 key, or `EventClaims.timeless`.
    package var deliveryDay: DayNumber { InputFile.deliveryDay(of: key) }

    /// The UTC day a file of `key` was delivered, or `EventClaims.timeless`.
    package static func deliveryDay(of key: ExportKey) -> DayNumber {
        key.delivered.map { DayNumber(day: $0) } ?? EventClaims.timeless
    }

    /// Read order: files without a delivery time first (their claims are never forgotten, so
    /// every later copy of their events is found), then S3-layout files by delivery time; by
    /// name within each.
    package static func deliveredBefore(_ lhs: InputFile, _ rhs: InputFile) -> Bool {
        let left = lhs.key.delivered ?? .min
        let right = rhs.key.delivered ?? .min
        return left != right ? left < right : lhs.name < rhs.name
    }

    /// The path as the nightly state records it: the name when the path is valid UTF-8, else
    /// each byte that is not written as U+FFFD and its two hex digits (`a\u{FFFD}ff.json`), so
    /// two names that differ only in invalid bytes stay two files.
    package var stateKey: String {
        if String(validating: rawPath, as: UTF8.self) != nil { return name }
        var key = ""
        var index = 0
        while index < rawPath.count {
            var parser = Unicode.UTF8.ForwardParser()
            var bytes = rawPath[index...].makeIterator()
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                key.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                index += encoded.count
            case .error, .emptyInput:
                let hex = String(rawPath[index], radix: 16)
                key += "\u{FFFD}" + (hex.count == 1 ? "0" + hex : hex)
                index += 1
            }
        }
        return key
    }
}

/// A file that was not read, and why.
package struct FileNote: Sendable, Hashable, Comparable {
    package var path: String
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.path, lhs.reason) < (rhs.path, rhs.reason)
    }
}

/// The files under the paths a user named: directories walked recursively (symbolic links
/// inside them not followed), digest and Insight files recognised by their keys and set aside,
/// and each file read once however many of the paths lead to it.
package struct ExportTree: Sendable {
    package var files: [InputFile] = []
    package var skipped: [FileNote] = []
    package var failed: [FileNote] = []
    /// Temporary copies of standard input and of named pipes.
    package private(set) var spools: [String] = []
    /// Device and inode of every file and directory taken, so overlapping paths count once.
    private var seen: Set<[UInt64]> = []
    /// With a directory cache (the nightly state): directories as listed in this walk, and
    /// what the cache let the walk skip.
    package private(set) var listed: [ListedDirectory] = []
    package private(set) var unchanged: [KnownDirectory] = []
    private var cache: DirectoryCache? = nil
    /// How long after a window's end a file may be delivered and still be read.
    private var lateDelivery = ExportKey.deliverySlack
    /// Log files of a walk met again through another path (hard links, a file also named on
    /// the command line): their fate was settled under the other path, so the directory that
    /// holds them here is not cached.
    private var filesMetAgain = 0
    /// Whether each file system (by device) keeps the directory times the cache relies on.
    private var stampsHold: [UInt64: Bool] = [:]

    /// Name endings of files a directory walk reads; others are listed as skipped.
    /// A file named on the command line is read whatever its name.
    package static let logFileSuffixes = [
        ".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson",
        ".ndjson.gz", ".gz",
    ]

    /// Why a log file was set aside unread: the window, or another path to it.
    package static let outsideWindow = "delivered outside the time window"
    package static let metAgain = "already read through another path"

    /// Whether the paths hold no log file at all, in the window or out of it (digest files,
    /// other names and empty folders aside): a wrong path, or a sync that brought nothing.
    package var holdsNoLogFile: Bool {
        files.isEmpty && failed.isEmpty && filesMetAgain == 0 && unchanged.isEmpty
            && !skipped.contains { $0.reason == Self.outsideWindow || $0.reason == Self.metAgain }
    }

    /// Walks `paths` (files, directories, or `-`), keeping files that may hold `window`.
    ///
    /// With a `cache`, a directory whose stamp is the cached one is not listed: its files are
    /// counted as the cache says and only its subdirectories are visited; every directory
    /// that is listed is recorded in `listed`, for the caller to cache.
    /// The files under `paths`; with a window, those whose keys say they hold no event of it
    /// (delivered before it, or more than `lateDelivery` after it) are skipped.
    package init(
        paths: [String], window: TimeWindow = TimeWindow(),
        lateDelivery: EpochSeconds = ExportKey.deliverySlack, cache: DirectoryCache? = nil
    ) {
        self.cache = cache
        self.lateDelivery = lateDelivery
        for path in paths {
            if path == "-" {
                spool(from: FileDescriptorSource(borrowing: 0), name: "-")
            } else {
                visit(Array(path.utf8), named: true, window: window)
            }
        }
        files.sort { $0.name < $1.name }
        skipped.sort()
        failed.sort()
    }

    /// Deletes the temporary copies of standard input and named pipes.
    package func removeSpools() {
        for path in spools { unlink(path) }
    }

    /// Visits one path. A path the user `named` is followed if it is a link and read whatever
    /// its name (a pipe is spooled first); a path found in a directory is read only if it is a
    /// regular file with a log name. True when the path is a directory.
    @discardableResult
    private mutating func visit(_ path: [UInt8], named: Bool, window: TimeWindow) -> Bool {
        let name = String(decoding: path, as: UTF8.self)
        var status = stat()
        let found = ExportTree.withCString(path) { named ? stat($0, &status) : lstat($0, &status) }
        guard found == 0 else {
            failed.append(FileNote(path: name, reason: String(cString: strerror(errno))))
            return false
        }
        switch (status.st_mode & S_IFMT, named) {
        case (S_IFDIR, _):
            if firstVisit(status, name) { walk(directory: path, status: status, window: window) }
            return true
        case (S_IFREG, true):
            guard firstVisit(status, name) else { return false }
            // Open the target itself: the reader refuses to follow links.
            let resolved = ExportTree.withCString(path) { realpath($0, nil) }
            defer { free(resolved) }
            let target =
                resolved.map {
                    UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) }
                } ?? path
            consider(target, name: name, status: status, window: window)
        case (S_IFREG, false):
            guard ExportTree.logFileSuffixes.contains(where: { name.hasSuffix($0) }) else {
                skipped.append(
                    FileNote(
                        path: name, reason: "not a log file name (.json, .jsonl, .ndjson, .gz)"))
                return false
            }
            guard firstVisit(status, name) else {
                filesMetAgain += 1
                return false
            }
            consider(path, name: name, status: status, window: window)
        case (S_IFIFO, true), (S_IFCHR, true):
            // `<(zcat ...)` and the like: read once into a file that can be read again.
            do {
                let source = try FileDescriptorSource(readingPipe: path)
                spool(from: source, name: name)
            } catch {
                failed.append(FileNote(path: name, reason: "\(error)"))
            }
        case (S_IFLNK, false):
            skipped.append(
                FileNote(path: name, reason: "symbolic link inside a directory, not followed"))
        default:
            skipped.append(
                FileNote(path: name, reason: "special file (FIFO, socket or device), not opened"))
        }
        return false
    }

    /// Records a file or directory; false (and a note) when another path already led to it.
    private mutating func firstVisit(_ status: stat, _ name: String) -> Bool {
        guard seen.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted else {
            skipped.append(FileNote(path: name, reason: Self.metAgain))
            return false
        }
        return true
    }

    private mutating func consider(
        _ path: [UInt8], name: String, status: stat, window: TimeWindow
    ) {
        let key = ExportKey(path: name)
        switch key.kind {
        case .digest:
            skipped.append(
                FileNote(path: name, reason: "CloudTrail digest file (integrity hashes, no events)")
            )
        case .insight:
            skipped.append(
                FileNote(
                    path: name, reason: "CloudTrail Insights file (call-rate summaries, no calls)"))
        case .log, .unknown:
            if key.isClearlyOutside(window, slack: lateDelivery) {
                skipped.append(FileNote(path: name, reason: Self.outsideWindow))
            } else {
                files.append(
                    InputFile(
                        rawPath: path, name: name, key: key, size: Int(status.st_size),
                        modified: status.st_mtim.nanoseconds))
            }
        }
    }

    private mutating func walk(directory: [UInt8], status: stat, window: TimeWindow) {
        let base = directory.last == UInt8(ascii: "/") ? directory : directory + [UInt8(ascii: "/")]
        let stamp = DirectoryStamp(status)
        if let cache, let known = cache.directories[base], known.stamp == stamp {
            unchanged.append(known)
            for name in known.subdirectories {
                visit(base + name, named: false, window: window)
            }
            return
        }
        guard let handle = ExportTree.withCString(directory, { opendir($0) }) else {
            failed.append(
                FileNote(
                    path: String(decoding: directory, as: UTF8.self),
                    reason: "cannot list directory: \(String(cString: strerror(errno)))"))
            return
        }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            // Read in place, up to its NUL: the field is declared 256 bytes, but an entry is
            // only as long as its name, and the last one of glibc's buffer ends with it (a copy
            // of the whole field read past the buffer).
            let field = UnsafeRawPointer(entry) + ExportTree.nameOffset
            let name = Array(
                UnsafeRawBufferPointer(
                    start: field, count: strlen(field.assumingMemoryBound(to: CChar.self))))
            if name == Array(".".utf8) || name == Array("..".utf8) { continue }
            names.append(name)
        }
        closedir(handle)

        var subdirectories: [[UInt8]] = []
        let metAgainBefore = filesMetAgain
        defer {
            if let cache {
                listed.append(
                    ListedDirectory(
                        base: base, stamp: stamp, subdirectories: subdirectories,
                        settled: stamp.changed < cache.settledBefore
                            && filesMetAgain == metAgainBefore && stampsHold(on: directory, status)
                    ))
            }
        }
        for name in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            if name.first == UInt8(ascii: ".") {
                // .DS_Store, sync tools' state: listed, so nothing goes unmentioned.
                skipped.append(
                    FileNote(
                        path: String(decoding: base + name, as: UTF8.self),
                        reason: "hidden (name starts with '.'), not read"))
                continue
            }
            if visit(base + name, named: false, window: window) { subdirectories.append(name) }
        }
    }

    /// Whether the file system of `directory` keeps the rules the directory cache relies on:
    /// not a FUSE mount (an S3 mount such as mountpoint-s3 makes up directory times and inode
    /// numbers), where every directory is listed each time.
    private mutating func stampsHold(on directory: [UInt8], _ status: stat) -> Bool {
        let device = UInt64(status.st_dev)
        if let known = stampsHold[device] { return known }
        let fuse = 0x6573_5546  // FUSE_SUPER_MAGIC, linux/magic.h
        let type = ExportTree.withCString(directory) { trailaudit_file_system_type($0) }
        let holds = type != -1 && type != fuse
        stampsHold[device] = holds
        return holds
    }

    private mutating func spool(from source: FileDescriptorSource, name: String) {
        do {
            let (spool, size) = try StandardInput.spool(from: source)
            spools.append(spool)
            files.append(
                InputFile(rawPath: Array(spool.utf8), name: name, key: ExportKey(), size: size))
        } catch {
            failed.append(FileNote(path: name, reason: "\(error)"))
        }
    }

    /// Where a directory entry's name begins.
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    static func withCString<Result>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> Result)
        -> Result
    {
        (path + [0]).withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}

/// Standard input or a pipe, copied to a temporary file; `ExportTree.removeSpools()` deletes it.
enum StandardInput {
    static func spool(from input: FileDescriptorSource) throws -> (path: String, size: Int) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(directory)/trailaudit-stdin-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw InputError.system(errno: errno, "mkstemp") }
        defer { close(descriptor) }
        let path = String(
            decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var size = 0
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = write(descriptor, buffer.baseAddress! + written, count - written)
                guard result > 0 else { throw InputError.system(errno: errno, "write") }
                written += result
            }
            size += count
        }
        return (path, size)
    }
}
