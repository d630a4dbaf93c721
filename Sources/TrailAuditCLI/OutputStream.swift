#if canImport(Glibc)
    import Glibc
#endif

/// Writes to a file descriptor and says whether every byte went out: a full disk or a closed
/// stream is an error to report, not a crash.
struct OutputStream {
    let descriptor: Int32

    static let standardOutput = OutputStream(descriptor: STDOUT_FILENO)
    static let standardError = OutputStream(descriptor: STDERR_FILENO)

    /// Opens (creating or truncating) `path` for the report, before any work is done.
    static func create(_ path: String) throws -> OutputStream {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw UsageError(
                "--output '\(path)' cannot be written: \(String(cString: strerror(errno)))")
        }
        return OutputStream(descriptor: descriptor)
    }

    /// Writes all of `text`; on failure returns the system's reason.
    @discardableResult
    func write(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(
                    descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
    }

    /// Closes a stream opened with `create`; reports a failed final flush (NFS, quotas).
    func close() -> String? {
        Glibc.close(descriptor) == 0 ? nil : String(cString: strerror(errno))
    }
}
