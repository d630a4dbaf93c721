#if canImport(Glibc)
    import Glibc
#endif

/// Where a reader's raw bytes come from: a file descriptor or memory.
package protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes and returns how many; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads an open file descriptor; closes it on deinit when it owns it.
package final class FileDescriptorSource: ByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens the regular file at `path` (raw bytes) for reading; links and special files are
    /// refused, and the file is checked again after opening, in case it was swapped.
    package init(rawPath path: [UInt8]) throws {
        let descriptor = ExportTree.withCString(path) {
            open($0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        }
        guard descriptor >= 0 else { throw InputError.system(errno: errno, "open") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw InputError.notARegularFile
        }
        self.descriptor = descriptor
        ownsDescriptor = true
    }

    /// Opens a named pipe or character device the user named, for spooling.
    package init(readingPipe path: [UInt8]) throws {
        let descriptor = ExportTree.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw InputError.system(errno: errno, "open") }
        self.descriptor = descriptor
        ownsDescriptor = true
    }

    /// Wraps a descriptor the caller keeps open, such as standard input.
    package init(borrowing descriptor: Int32) {
        self.descriptor = descriptor
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        // Fill the whole buffer where the source allows, so chunk sizes stay fixed.
        while filled < buffer.count {
            let count = Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError.system(errno: errno, "read")
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }
}

/// Serves bytes from memory; used by tests and fuzzers.
package final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Creates a source that yields `bytes` once.
    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
