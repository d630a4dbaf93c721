#if canImport(Glibc)
    import Glibc
#endif

extension JSONScanner {
    /// Skips the value at the cursor, validating its structure without building anything.
    ///
    /// Iterative, so nesting costs no stack; deeper than `maxDepth` is refused.
    package mutating func skipValue() throws {
        // One bit per open container: 1 = object, 0 = array.
        var kinds = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var depth = 0
        var expectingKey = false

        func isObject(_ level: Int, _ kinds: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
            let word: UInt64
            switch level >> 6 {
            case 0: word = kinds.0
            case 1: word = kinds.1
            case 2: word = kinds.2
            default: word = kinds.3
            }
            return word & (1 << UInt64(level & 63)) != 0
        }

        func mark(_ level: Int, object: Bool, _ kinds: inout (UInt64, UInt64, UInt64, UInt64)) {
            let bit = UInt64(1) << UInt64(level & 63)
            switch level >> 6 {
            case 0: kinds.0 = object ? kinds.0 | bit : kinds.0 & ~bit
            case 1: kinds.1 = object ? kinds.1 | bit : kinds.1 & ~bit
            case 2: kinds.2 = object ? kinds.2 | bit : kinds.2 & ~bit
            default: kinds.3 = object ? kinds.3 | bit : kinds.3 & ~bit
            }
        }

        while true {
            guard let byte = peekByte() else { throw error("value ends early") }

            if expectingKey {
                // Inside an object: a key, or the end of an empty object.
                if byte == UInt8(ascii: "}") {
                    position += 1
                    depth -= 1
                } else {
                    guard byte == UInt8(ascii: "\"") else { throw error("expected a key") }
                    _ = try readString()
                    try expect(UInt8(ascii: ":"))
                    expectingKey = false
                    continue
                }
            } else {
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < JSONScanner.maxDepth else {
                        throw error("nesting deeper than \(JSONScanner.maxDepth)")
                    }
                    let object = byte == UInt8(ascii: "{")
                    mark(depth, object: object, &kinds)
                    depth += 1
                    position += 1
                    if object {
                        expectingKey = true
                        continue
                    }
                    if peekByte() == UInt8(ascii: "]") {
                        position += 1
                        depth -= 1
                    } else {
                        continue
                    }
                case UInt8(ascii: "\""):
                    _ = try readString()
                case UInt8(ascii: "t"):
                    try skipLiteral("true")
                case UInt8(ascii: "f"):
                    try skipLiteral("false")
                case UInt8(ascii: "n"):
                    try skipLiteral("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try skipNumber()
                default:
                    throw error("unexpected byte 0x\(String(byte, radix: 16))")
                }
            }

            // A value ended; close containers or move to the next member.
            while depth > 0 {
                let inObject = isObject(depth - 1, kinds)
                switch peekByte() {
                case UInt8(ascii: ","):
                    position += 1
                    expectingKey = inObject
                case UInt8(ascii: "}") where inObject, UInt8(ascii: "]") where !inObject:
                    position += 1
                    depth -= 1
                    continue
                default:
                    throw error(inObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
                break
            }
            if depth == 0 { return }
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= end,
            memcmp(base + position, literal.utf8Start, count) == 0
        else { throw error("invalid literal") }
        position += count
    }

    /// Skips `-? digits (. digits)? ([eE] [+-]? digits)?`.
    private mutating func skipNumber() throws {
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard skipDigits() else { throw error("invalid number") }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() else { throw error("invalid number") }
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < end,
                base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            guard skipDigits() else { throw error("invalid number") }
        }
    }

    /// Skips a run of digits; false if there was none.
    private mutating func skipDigits() -> Bool {
        let start = position
        while position < end, base[position] &- UInt8(ascii: "0") < 10 { position += 1 }
        return position > start
    }
}
