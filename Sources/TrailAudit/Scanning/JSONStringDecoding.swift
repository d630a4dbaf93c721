extension JSONScanner {
    /// Appends the decoded UTF-8 bytes of `range` to `output`.
    ///
    /// `\u` escapes become UTF-8; a lone or mismatched surrogate becomes U+FFFD, so the result
    /// is always valid UTF-8 as far as the escapes go (raw bytes are checked by `String`).
    package func decode(_ range: JSONStringRange, into output: inout [UInt8]) {
        guard range.isNonEmpty else { return }
        guard range.hasEscapes else {
            output.append(
                contentsOf: UnsafeBufferPointer(start: base + range.start, count: range.count))
            return
        }

        var index = range.start
        while index < range.end {
            let byte = base[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < range.end else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = base[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                index = decodeUnicodeEscape(at: index, limit: range.end, into: &output)
            default: output.append(escaped)  // \" \\ \/ and, leniently, any other byte
            }
        }
    }

    /// Decodes the hex digits after `\u` at `index`, with a following low surrogate if any.
    private func decodeUnicodeEscape(at index: Int, limit: Int, into output: inout [UInt8]) -> Int {
        guard let high = hexQuad(at: index, limit: limit) else {
            appendScalar(0xFFFD, to: &output)
            return index
        }
        var next = index + 4
        var scalar = UInt32(high)
        if (0xD800..<0xDC00).contains(high) {
            if next + 6 <= limit, base[next] == UInt8(ascii: "\\"),
                base[next + 1] == UInt8(ascii: "u"),
                let low = hexQuad(at: next + 2, limit: limit), (0xDC00..<0xE000).contains(low)
            {
                scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                next += 6
            } else {
                scalar = 0xFFFD
            }
        } else if (0xDC00..<0xE000).contains(high) {
            scalar = 0xFFFD
        }
        appendScalar(scalar, to: &output)
        return next
    }

    private func hexQuad(at index: Int, limit: Int) -> UInt16? {
        guard index + 4 <= limit else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private func appendScalar(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// The decoded string, built fresh; use a `StringTable` for values that repeat.
    package func string(_ range: JSONStringRange) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        decode(range, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
