#if canImport(Glibc)
    import Glibc
#endif

/// Why one input file could not be read; the run reports it and goes on with the others.
package enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    case system(errno: Int32, String)
    case notARegularFile
    case truncatedGzip
    case trailingGarbage(afterMembers: Int)
    case corruptGzip(String)
    case inflatedSizeLimit(limit: Int)
    case compressionRatioLimit(ratio: Int)
    case recordTooLarge(limit: Int)
    case invalidJSON(offset: Int, reason: String)
    case truncatedJSON
    case unrecognizedShape(String)
    case emptyFile

    /// The error with the offset of invalid JSON counted from `start` on: a record's
    /// decoder counts from the record's first byte, a file's reader from the file's.
    package func shifted(by start: Int) -> InputError {
        guard case .invalidJSON(let offset, let reason) = self else { return self }
        return .invalidJSON(offset: start + offset, reason: reason)
    }

    package var description: String {
        switch self {
        case .system(let code, let call):
            return "\(call) failed: \(String(cString: strerror(code)))"
        case .notARegularFile:
            return "not a regular file; special files are not opened"
        case .truncatedGzip:
            return "gzip stream is truncated (the file ends inside a member)"
        case .trailingGarbage(let members):
            return "bytes after gzip member \(members) are not another gzip member"
        case .corruptGzip(let detail):
            return "gzip data is corrupt: \(detail)"
        case .compressionRatioLimit(let ratio):
            return "inflates more than \(ratio) times its size (a decompression bomb?); "
                + "raise --max-ratio to read it"
        case .inflatedSizeLimit(let limit):
            return "inflates to more than \(limit) bytes; raise --max-inflated to read it"
        case .recordTooLarge(let limit):
            return "a record is larger than \(limit) bytes; raise --max-record to read it"
        case .invalidJSON(let offset, let reason):
            return "invalid JSON at byte \(offset) of the decompressed data: \(reason)"
        case .truncatedJSON:
            return "JSON ends inside a record (the file is truncated, or is not JSON)"
        case .unrecognizedShape(let detail):
            return "not a CloudTrail log: \(detail)"
        case .emptyFile:
            return "empty file (0 bytes): an interrupted upload or sync?"
        }
    }
}
