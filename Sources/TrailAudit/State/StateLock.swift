import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive claim on a state file for one writing process (`ingest`, `merge`), released by
/// the kernel however the process ends.
///
/// SQLite's own locks keep every transaction whole; this one keeps two ingests from both
/// deciding that the same new file is theirs to count. It is taken twice: on a lock file named
/// after the state's resolved path (`FILE.lock`, which records the holder's process id for the
/// message), and with `flock` on the state file itself, so that a second name for the same
/// file (a symbolic or a hard link) meets the same lock. (A state with a hard link is refused
/// when it is opened, `StateStore.refuseSeveralNames`; the lock meets one made meanwhile.)
///
/// `flock` and SQLite's `fcntl` locks do not interact on local file systems. Closing any
/// descriptor of the state drops the process's `fcntl` locks on it, so the lock must outlive
/// the `StateStore` its holder opens (both writers hold it to the end of their run).
package final class StateLock {
    private let nameDescriptor: Int32
    private let stateDescriptor: Int32
    /// The lock file's path (the state's resolved path with `.lock`).
    private let lockPath: String

    /// Takes the lock on `statePath` (creating an empty state file if there is none); waits
    /// for it when `wait`, else refuses at once.
    package init(statePath: String, wait: Bool) throws {
        (nameDescriptor, stateDescriptor, lockPath) = try StateLock.take(statePath, wait: wait)
        let pid = "\(getpid())\n"
        _ = ftruncate(nameDescriptor, 0)
        _ = pwrite(nameDescriptor, pid, pid.utf8.count, 0)
    }

    /// The locked lock file and state file. A state file removed or replaced while this waited
    /// (a refused merge removes the empty output it made) is no longer the one at the path:
    /// the lock is taken again on the file that is.
    private static func take(_ statePath: String, wait: Bool) throws -> (Int32, Int32, String) {
        while true {
            let state = try openState(statePath)
            let lockPath = resolved(statePath) + ".lock"
            let name = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard name >= 0 else {
                let reason = String(cString: strerror(errno))
                close(state)
                throw StateError(
                    path: statePath,
                    "cannot open lock file \(lockPath): \(reason) (ingest and merge write it, and"
                        + " the state's -wal file, beside the state: its folder must be writable)")
            }
            // Always the lock file first, then the state: two writers never wait on each other
            // in opposite orders.
            for descriptor in [name, state] where !claim(descriptor, wait: wait) {
                // The lock file names the holder when it is the one taken; a holder that came
                // by another name (a hard link) wrote its id in another lock file.
                let holder = descriptor == name ? StateLock.holder(name) : ""
                close(name)
                close(state)
                throw StateError(
                    path: statePath,
                    "in use by another trailaudit ingest or merge\(holder); run again when it"
                        + " has finished, or pass --wait to queue behind it")
            }
            var held = stat()
            var named = stat()
            if fstat(state, &held) == 0, stat(statePath, &named) == 0,
                held.st_dev == named.st_dev, held.st_ino == named.st_ino
            {
                return (name, state, lockPath)
            }
            for descriptor in [state, name] {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
        }
    }

    /// Removes the state file this lock holds, and the lock file, if the state is still the
    /// empty file that `made` (its device and inode) names: a file made for a run that was then
    /// refused. Under the lock no writer uses it; one waiting for the lock finds it gone and
    /// takes the lock again on a new file (`take`).
    package func removeEmptyState(at statePath: String, made: (device: UInt64, inode: UInt64)) {
        var held = stat()
        guard fstat(stateDescriptor, &held) == 0, held.st_size == 0,
            UInt64(held.st_dev) == made.device, UInt64(held.st_ino) == made.inode
        else { return }
        var named = stat()
        guard stat(statePath, &named) == 0, named.st_dev == held.st_dev,
            named.st_ino == held.st_ino
        else { return }
        unlink(lockPath)
        unlink(statePath)
    }

    deinit {
        flock(stateDescriptor, LOCK_UN)
        close(stateDescriptor)
        flock(nameDescriptor, LOCK_UN)
        close(nameDescriptor)
    }

    /// Opens the state file, creating it empty (SQLite takes an empty file as a new database);
    /// read-only when that is all the user may (SQLite then says why it cannot write).
    private static func openState(_ path: String) throws -> Int32 {
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor < 0 else { return descriptor }
        let writing = errno
        if writing == EACCES || writing == EROFS {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor < 0 else { return descriptor }
            // No file to read: the reason is the one that kept it from being made.
            if errno == ENOENT {
                throw StateError(
                    path: path, "cannot create: \(String(cString: strerror(writing)))")
            }
        }
        let reason = String(cString: strerror(errno))
        throw StateError(path: path, "cannot open: \(reason)")
    }

    /// The path with every symbolic link resolved (the file exists: `openState` made it).
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// Takes `flock` on `descriptor`: at once, or waiting when `wait`. False when it is held.
    private static func claim(_ descriptor: Int32, wait: Bool) -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK, wait else { return false }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { return false }
        }
        return true
    }

    private static func holder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, 31, 0)
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Int(text).map { " (process \($0))" } ?? ""
    }
}
