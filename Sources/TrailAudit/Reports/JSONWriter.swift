/// Writes JSON text with stable formatting; always valid whatever the strings hold.
///
/// With a sink, text is handed over in pieces of about 1 MiB, so a large report never sits
/// in memory whole; without one it collects in `output`.
package struct JSONWriter {
    package private(set) var output = ""
    private var indent = 0
    private var needsComma = [false]
    private let sink: ((String) -> Void)?

    private static let flushSize = 1 << 20

    package init(sink: ((String) -> Void)? = nil) {
        self.sink = sink
        output.reserveCapacity(sink == nil ? 1 << 16 : JSONWriter.flushSize + (1 << 16))
    }

    /// Hands collected text to the sink (all of it when `force`).
    package mutating func flush(force: Bool = false) {
        guard let sink, force || output.utf8.count >= JSONWriter.flushSize else { return }
        sink(output)
        output.removeAll(keepingCapacity: true)
    }

    /// Opens an object (as a value, or under `key` inside an object).
    package mutating func beginObject(_ key: String? = nil) {
        prefix(key)
        output += "{"
        open()
    }

    /// Closes the innermost object.
    package mutating func endObject() {
        close("}")
    }

    /// Opens an array.
    package mutating func beginArray(_ key: String? = nil) {
        prefix(key)
        output += "["
        open()
    }

    /// Closes the innermost array.
    package mutating func endArray() {
        close("]")
    }

    package mutating func field(_ key: String?, _ value: String?) {
        prefix(key)
        if let value { JSONWriter.appendQuoted(value, to: &output) } else { output += "null" }
    }

    package mutating func field(_ key: String?, _ value: Int) {
        prefix(key)
        output += String(value)
    }

    package mutating func field(_ key: String?, _ value: Bool) {
        prefix(key)
        output += value ? "true" : "false"
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
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if indent > 0 { output += JSONWriter.newline(indent) }
        if let key {
            JSONWriter.appendQuoted(key, to: &output)
            output += ": "
        }
    }

    private mutating func open() {
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadMembers = needsComma.removeLast()
        indent -= 1
        if hadMembers { output += JSONWriter.newline(indent) }
        output += bracket
    }

    private static let newlines = (0..<32).map { "\n" + String(repeating: "  ", count: $0) }

    /// A newline and the indentation for `depth`.
    private static func newline(_ depth: Int) -> String {
        depth < newlines.count ? newlines[depth] : "\n" + String(repeating: "  ", count: depth)
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
    /// separators and bidi controls become `\uXXXX`, so the text is safe on a terminal and
    /// still valid JSON (policies are copied from it).
    package static func appendQuoted(_ value: String, to output: inout String) {
        output += "\""
        // Most values need no escaping: copy them whole.
        var text = value
        let plain = text.withUTF8 { bytes in
            for byte in bytes
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                || byte == 0x7F
                || byte == 0xE2  // lead byte of U+2028/U+2029 and bidi controls: checked below
                || byte == 0xC2  // lead byte of the C1 controls
                || byte == 0xD8  // lead byte of U+061C, the Arabic letter mark
                || byte == 0xEF  // lead byte of U+FEFF
                || byte == 0xF3  // lead byte of the tag characters
            {
                return false
            }
            return true
        }
        if plain {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where SafeText.needsEscape(scalar):
                output += unicodeEscape(scalar)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
