import CJSONScan

#if canImport(Glibc)
    import Glibc
#endif

/// A JSON string found by the scanner: its raw bytes between the quotes.
package struct JSONStringRange: Sendable {
    /// Offset of the first byte after the opening quote.
    package var start: Int
    /// Offset of the closing quote.
    package var end: Int
    /// Whether the raw bytes hold `\` escapes that must be decoded.
    package var hasEscapes: Bool

    /// The missing value: absent, `null`, or not a string.
    package static let absent = JSONStringRange(start: 0, end: -1, hasEscapes: false)

    /// Whether the field was a string (possibly empty).
    package var isPresent: Bool { end >= start }
    /// Whether the field was a non-empty string.
    package var isNonEmpty: Bool { end > start }
    /// Number of raw bytes.
    package var count: Int { isPresent ? end - start : 0 }
}

/// Byte-level JSON reader over one record; `peek` leaves the cursor, `read`/`skip` move it.
///
/// Validates the structure it walks (brackets, literals, numbers) and caps nesting depth, so
/// a record that is not JSON fails with its offset instead of being half-read.
package struct JSONScanner {
    /// Deepest nesting accepted before the record is refused.
    package static let maxDepth = 256

    package let base: UnsafePointer<UInt8>
    package let end: Int
    package var position: Int

    /// Creates a scanner over `bytes`, which must outlive it.
    package init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer has no base address; point at a static byte so reads stay in bounds.
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? JSONScanner.emptyBase
        end = bytes.count
        position = 0
    }

    // Unsafe: written once, never mutated.
    nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// Error for the byte at the cursor.
    package func error(_ reason: String) -> InputError {
        InputError.invalidJSON(offset: position, reason: reason)
    }

    /// Moves past JSON whitespace.
    @inline(__always)
    package mutating func skipWhitespace() {
        while position < end {
            switch base[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, or nil at the end; the cursor stays on it.
    @inline(__always)
    package mutating func peekByte() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// Consumes `byte` after whitespace or throws.
    @inline(__always)
    package mutating func expect(_ byte: UInt8) throws {
        guard peekByte() == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    /// Reads a string whose opening quote is at the cursor.
    package mutating func readString() throws -> JSONStringRange {
        let start = position + 1  // after the opening quote
        var hasEscapes = false
        let close = trailaudit_string_end(base, start, end, &hasEscapes)
        guard close >= 0 else {
            position = end
            throw error("unterminated string")
        }
        position = close + 1
        return JSONStringRange(start: start, end: close, hasEscapes: hasEscapes)
    }

    /// Reads the value at the cursor if it is a string; skips it and returns `.absent` if not.
    package mutating func readStringValue() throws -> JSONStringRange {
        if peekByte() == UInt8(ascii: "\"") { return try readString() }
        try skipValue()
        return .absent
    }

    /// Visits each key of the object at the cursor; `visit` must read or skip the value.
    @inline(__always)
    package mutating func forEachKey(
        _ visit: (inout JSONScanner, JSONStringRange) throws -> Void
    ) throws {
        try expect(UInt8(ascii: "{"))
        if peekByte() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            guard peekByte() == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try visit(&self, key)
            switch peekByte() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default:
                throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// Visits each element of the array at the cursor; `visit` must read or skip it.
    package mutating func forEachElement(_ visit: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if peekByte() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            try visit(&self)
            switch peekByte() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default:
                throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// Whether `range` holds the ASCII text `literal` (no escapes), ignoring letter case.
    ///
    /// Compares eight bytes at a time inline: this runs for every key of every record. Case is
    /// folded by setting bit 0x20 on both sides, which is exact for the letters, digits and
    /// `-` that CloudTrail key names are made of; it lets all-lowercase exports (Athena's
    /// `eventname`, `useridentity`) be read like the original.
    @inline(__always)
    package func bytes(_ range: JSONStringRange, equal literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard range.count == count, !range.hasEscapes else { return false }
        let actual = UnsafeRawPointer(base + range.start)
        let expected = UnsafeRawPointer(literal.utf8Start)
        var offset = 0
        while offset + 8 <= count {
            let fold: UInt64 = 0x2020_2020_2020_2020
            guard
                actual.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | fold
                    == expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | fold
            else { return false }
            offset += 8
        }
        while offset < count {
            guard
                actual.load(fromByteOffset: offset, as: UInt8.self) | 0x20
                    == expected.load(fromByteOffset: offset, as: UInt8.self) | 0x20
            else { return false }
            offset += 1
        }
        return true
    }
}
