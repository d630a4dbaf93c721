// A small strict JSON (RFC 8259) checker for the fuzz targets: no extensions, no leniency.

struct StrictJSON {
    let bytes: [UInt8]
    var position = 0
    var failure = ""

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether the whole input is one JSON value with optional whitespace around it.
    mutating func validateDocument() -> Bool {
        skipWhitespace()
        guard value(depth: 0) else { return false }
        skipWhitespace()
        return fail(position == bytes.count, "bytes after the value")
    }

    private mutating func fail(_ ok: Bool, _ reason: String) -> Bool {
        if !ok && failure.isEmpty { failure = reason }
        return ok
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) {
            position += 1
        }
    }

    private mutating func value(depth: Int) -> Bool {
        guard fail(depth < 512, "too deep"), fail(position < bytes.count, "value expected") else {
            return false
        }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            }
            while true {
                skipWhitespace()
                guard readString() != nil else { return false }
                skipWhitespace()
                guard
                    fail(
                        position < bytes.count && bytes[position] == UInt8(ascii: ":"),
                        "':' expected")
                else { return false }
                position += 1
                skipWhitespace()
                guard value(depth: depth + 1) else { return false }
                skipWhitespace()
                guard position < bytes.count else { return fail(false, "object ends early") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard fail(bytes[position] == UInt8(ascii: "}"), "',' or '}' expected") else {
                    return false
                }
                position += 1
                return true
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return true
            }
            while true {
                skipWhitespace()
                guard value(depth: depth + 1) else { return false }
                skipWhitespace()
                guard position < bytes.count else { return fail(false, "array ends early") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard fail(bytes[position] == UInt8(ascii: "]"), "',' or ']' expected") else {
                    return false
                }
                position += 1
                return true
            }
        case UInt8(ascii: "\""):
            return readString() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default:
            return number()
        }
    }

    private mutating func literal(_ text: String) -> Bool {
        let expected = Array(text.utf8)
        guard position + expected.count <= bytes.count,
            Array(bytes[position..<(position + expected.count)]) == expected
        else { return fail(false, "bad literal") }
        position += expected.count
        return true
    }

    private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            position += 1
        }
        return position - start
    }

    private mutating func number() -> Bool {
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let start = position
        let count = digits()
        guard fail(count > 0, "digit expected") else { return false }
        guard fail(count == 1 || bytes[start] != 0x30, "leading zero") else { return false }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard fail(digits() > 0, "fraction digit expected") else { return false }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count,
                bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            guard fail(digits() > 0, "exponent digit expected") else { return false }
        }
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[position..<(position + 4)] {
            switch byte {
            case 0x30...0x39: value = value << 4 | UInt32(byte - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(byte - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | UInt32(byte - 0x61 + 10)
            default: return nil
            }
        }
        position += 4
        return value
    }

    /// Reads a string at the cursor; its scalars, or nil (with `failure` set) if invalid.
    /// Raw bytes must be valid UTF-8; escaped surrogates must pair.
    mutating func readString() -> [Unicode.Scalar]? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            _ = fail(false, "string expected")
            return nil
        }
        position += 1
        var scalars: [Unicode.Scalar] = []
        var run: [UInt8] = []
        func flush() -> Bool {
            guard !run.isEmpty else { return true }
            var decoder = UTF8()
            var iterator = run.makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: break loop
                case .error: return false
                }
            }
            run.removeAll()
            return true
        }
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard flush() else {
                    _ = fail(false, "invalid UTF-8")
                    return nil
                }
                return scalars
            case UInt8(ascii: "\\"):
                guard flush() else {
                    _ = fail(false, "invalid UTF-8")
                    return nil
                }
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else {
                        _ = fail(false, "bad \\u escape")
                        return nil
                    }
                    if (0xD800..<0xDC00).contains(unit) {
                        guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                            bytes[position + 1] == UInt8(ascii: "u")
                        else {
                            _ = fail(false, "lone high surrogate")
                            return nil
                        }
                        position += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else {
                            _ = fail(false, "high surrogate without low")
                            return nil
                        }
                        scalars.append(
                            Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                    } else {
                        guard let scalar = Unicode.Scalar(unit) else {
                            _ = fail(false, "lone low surrogate")
                            return nil
                        }
                        scalars.append(scalar)
                    }
                default:
                    _ = fail(false, "bad escape")
                    return nil
                }
            default:
                guard byte >= 0x20 else {
                    _ = fail(false, "raw control character in a string")
                    return nil
                }
                run.append(byte)
            }
        }
        _ = fail(false, "unterminated string")
        return nil
    }
}
