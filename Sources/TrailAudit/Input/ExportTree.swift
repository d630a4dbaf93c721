import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One file to read.
package struct InputFile: Sendable {
    /// The path to open.
    package var path: String
    /// The path as the user knows it: `-` for standard input, which is spooled to a file.
    package var name: String
    package var key: ExportKey
    package var size: Int

    package init(path: String, name: String? = nil, key: ExportKey, size: Int) {
        self.path = path
        self.name = name ?? path
        self.key = key
        self.size = size
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

/// The files under the paths a user named: walked recursively, symlinks not followed,
/// digest and Insight files recognised by their keys and set aside.
package struct ExportTree: Sendable {
    package var files: [InputFile] = []
    package var skipped: [FileNote] = []
    package var failed: [FileNote] = []
    /// Temporary copies of standard input.
    package private(set) var spools: [String] = []

    /// Walks `paths` (files, directories, or `-`), keeping files that may hold `window`.
    package init(paths: [String], window: TimeWindow = TimeWindow()) {
        for path in paths {
            if path == "-" {
                // Spooled so that it can be read twice, like any file (see Worker.commit).
                do {
                    let (spool, size) = try StandardInput.spool()
                    spools.append(spool)
                    files.append(InputFile(path: spool, name: "-", key: ExportKey(), size: size))
                } catch {
                    failed.append(FileNote(path: "-", reason: "\(error)"))
                }
            } else {
                visit(path, window: window)
            }
        }
        files.sort { $0.name < $1.name }
        skipped.sort()
        failed.sort()
    }

    /// Deletes the temporary copies of standard input.
    package func removeSpools() {
        for path in spools { unlink(path) }
    }

    /// Name endings of files a directory walk reads; others are listed as skipped.
    /// A file named on the command line is read whatever its name.
    package static let logFileSuffixes = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson",
                                          ".ndjson.gz", ".gz"]

    private mutating func visit(_ path: String, window: TimeWindow, named: Bool = true) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            failed.append(FileNote(path: path, reason: String(cString: strerror(errno))))
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            walk(directory: path, window: window)
        case S_IFREG:
            guard named || ExportTree.logFileSuffixes.contains(where: { path.hasSuffix($0) }) else {
                skipped.append(FileNote(path: path, reason: "not a log file name (.json, .jsonl, .gz)"))
                return
            }
            consider(path, size: Int(status.st_size), window: window)
        case S_IFLNK:
            skipped.append(FileNote(path: path, reason: "symbolic link, not followed"))
        default:
            skipped.append(FileNote(path: path, reason: "special file (FIFO, socket or device), not opened"))
        }
    }

    private mutating func consider(_ path: String, size: Int, window: TimeWindow) {
        let key = ExportKey(path: path)
        switch key.kind {
        case .digest:
            skipped.append(FileNote(path: path, reason: "CloudTrail digest file (integrity hashes, no events)"))
        case .insight:
            skipped.append(FileNote(path: path, reason: "CloudTrail Insights file (call-rate summaries, no calls)"))
        case .log, .unknown:
            if key.isClearlyOutside(window) {
                skipped.append(FileNote(path: path, reason: "delivered outside the time window"))
            } else {
                files.append(InputFile(path: path, key: key, size: size))
            }
        }
    }

    private mutating func walk(directory: String, window: TimeWindow) {
        guard let handle = opendir(directory) else {
            failed.append(FileNote(path: directory, reason: "cannot list directory: \(String(cString: strerror(errno)))"))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        closedir(handle)

        let base = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() {
            // Hidden files (.DS_Store, sync tool state) are not logs.
            if name.hasPrefix(".") { continue }
            visit(base + name, window: window, named: false)
        }
    }
}

/// Standard input, copied to a temporary file; `ExportTree.removeSpools()` deletes it.
enum StandardInput {
    static func spool() throws -> (path: String, size: Int) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(directory)/trailaudit-stdin-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw InputError.system(errno: errno, "mkstemp") }
        defer { close(descriptor) }
        let path = String(cString: template)

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        let input = FileDescriptorSource(borrowing: 0)
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
