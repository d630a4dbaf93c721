/// Writes JSON text with stable formatting; always valid whatever the strings hold.
///
/// With a sink, text is handed over in pieces of about 1 MiB, so a large report never sits
/// in memory whole; without one it collects in `output`.
package struct JSONWriter {
    /// The text not yet handed to the sink, as UTF-8 (appending bytes costs a fraction of
    /// appending to a String: a 15 MB report is written in pieces of a few bytes each).
    private var bytes: [UInt8] = []
    private var indent = 0
    private var needsComma = [false]
    private let sink: ((String) -> Void)?

    private static let flushSize = 1 << 20

    package init(sink: ((String) -> Void)? = nil) {
        self.sink = sink
        bytes.reserveCapacity(sink == nil ? 1 << 16 : JSONWriter.flushSize + (1 << 16))
    }

    /// The text written so far (without a sink: all of it).
    package var output: String { String(decoding: bytes, as: UTF8.self) }

    /// Hands collected text to the sink (all of it when `force`). Called between values
    /// only, so a piece never ends inside a character.
    package mutating func flush(force: Bool = false) {
        guard let sink, force || bytes.count >= JSONWriter.flushSize else { return }
        sink(output)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Opens an object (as a value, or under `key` inside an object).
    package mutating func beginObject(_ key: String? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "{"))
        open()
    }

    /// Closes the innermost object.
    package mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Opens an array.
    package mutating func beginArray(_ key: String? = nil) {
        prefix(key)
        bytes.append(UInt8(ascii: "["))
        open()
    }

    /// Closes the innermost array.
    package mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    package mutating func field(_ key: String?, _ value: String?) {
        prefix(key)
        if let value {
            JSONWriter.appendQuoted(value, to: &bytes)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    package mutating func field(_ key: String?, _ value: Int) {
        prefix(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func field(_ key: String?, _ value: Bool) {
        prefix(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// An ISO 8601 UTC time, or null.
    package mutating func time(_ key: String, _ value: EpochSeconds?) {
        field(key, value.map(EventTime.format))
    }

    /// An array of strings.
    package mutating func strings(_ key: String, _ values: [String]) {
        beginArray(key)
        for value in values { field(nil, value) }
        endArray()
    }

    private mutating func prefix(_ key: String?) {
        flush()
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if indent > 0 { newline() }
        if let key {
            JSONWriter.appendQuoted(key, to: &bytes)
            bytes.append(contentsOf: ": ".utf8)
        }
    }

    private mutating func open() {
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadMembers = needsComma.removeLast()
        indent -= 1
        if hadMembers { newline() }
        bytes.append(bracket)
    }

    /// A newline and two spaces per level of `indent`.
    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// `\uXXXX` for `scalar`, a surrogate pair beyond U+FFFF (the tag characters).
    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        let units =
            value > 0xFFFF
            ? [0xD800 + ((value - 0x10000) >> 10), 0xDC00 + (value & 0x3FF)] : [value]
        return units.map { unit in
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }

    /// Appends `value` as a JSON string literal; control characters (C0, DEL, C1), line
    /// separators and the invisible format characters (`SafeText.needsEscape`) become
    /// `\uXXXX`, so the text is safe on a terminal and still valid JSON (policies are copied
    /// from it).
    package static func appendQuoted(_ value: String, to output: inout String) {
        var bytes: [UInt8] = []
        appendQuoted(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes a value cannot be copied past without a look: those JSON escapes, and every
    /// byte of a non-ASCII character (`SafeText.needsEscape` decides on each; log values are
    /// mostly ASCII).
    private static let careBytes: [Bool] = (0...255).map { byte in
        byte < 0x20 || byte == Int(UInt8(ascii: "\"")) || byte == Int(UInt8(ascii: "\\"))
            || byte >= 0x7F
    }

    /// `appendQuoted` as UTF-8.
    package static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most values need no escaping: copy them whole.
        let copied = value.utf8.withContiguousStorageIfAvailable { utf8 in
            JSONWriter.careBytes.withUnsafeBufferPointer { care in
                guard !utf8.contains(where: { care[Int($0)] }) else { return false }
                output.append(contentsOf: utf8)
                return true
            }
        }
        if copied == true {
            output.append(UInt8(ascii: "\""))
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: "\\\"".utf8)
            case "\\": output.append(contentsOf: "\\\\".utf8)
            case "\n": output.append(contentsOf: "\\n".utf8)
            case "\r": output.append(contentsOf: "\\r".utf8)
            case "\t": output.append(contentsOf: "\\t".utf8)
            case _ where SafeText.needsEscape(scalar):
                output.append(contentsOf: unicodeEscape(scalar).utf8)
            default:
                output.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
