import CJSONScan

extension JSONScanner {
    /// Skips the value at the cursor, validating its structure without building anything.
    ///
    /// One call into C for the whole value (`trailaudit_skip_value`): the parts of an event
    /// nobody reads (most of its request and response) are skipped token by token, and a
    /// Swift loop paid a call and a cursor round trip per string. Iterative, so nesting costs
    /// no stack; deeper than `maxDepth` is refused.
    package mutating func skipValue() throws {
        var cursor = position
        let result = trailaudit_skip_value(base, end, &cursor, Int64(JSONScanner.maxDepth))
        position = cursor
        guard result != TRAILAUDIT_SKIP_OK else { return }
        throw error(JSONScanner.reason(result, byte: position < end ? base[position] : nil))
    }

    /// Skips the value at the cursor; whether it holds something: false for `null`, `false`,
    /// `""`, `[]`, `{}` and the string `"false"` in any letter case (a request that names no
    /// tags says nothing of tagging; S3 logs its headers as strings, and
    /// `x-amz-bucket-object-lock-enabled: "false"` turns nothing on).
    package mutating func skipValueReportingContent() throws -> Bool {
        guard let first = peekByte() else {
            try skipValue()  // throws: the value ends early
            return false
        }
        let start = position
        try skipValue()
        switch first {
        case UInt8(ascii: "n"), UInt8(ascii: "f"): return false
        case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\""):
            if first == UInt8(ascii: "\""), position - start == 7,
                "false".utf8.enumerated().allSatisfy({ base[start + 1 + $0] | 0x20 == $1 })
            {
                return false
            }
            var inner = start + 1
            while inner < position - 1 {
                switch base[inner] {
                case 0x20, 0x0A, 0x0D, 0x09: inner += 1
                default: return true
                }
            }
            return false
        default: return true
        }
    }

    /// What `trailaudit_skip_value` stopped at, in words.
    private static func reason(_ result: trailaudit_skip_result, byte: UInt8?) -> String {
        switch result {
        case TRAILAUDIT_SKIP_ENDS_EARLY: return "value ends early"
        case TRAILAUDIT_SKIP_EXPECTED_KEY: return "expected a key"
        case TRAILAUDIT_SKIP_EXPECTED_COLON: return "expected ':'"
        case TRAILAUDIT_SKIP_TOO_DEEP: return "nesting deeper than \(JSONScanner.maxDepth)"
        case TRAILAUDIT_SKIP_UNTERMINATED_STRING: return "unterminated string"
        case TRAILAUDIT_SKIP_INVALID_LITERAL: return "invalid literal"
        case TRAILAUDIT_SKIP_INVALID_NUMBER: return "invalid number"
        case TRAILAUDIT_SKIP_UNEXPECTED_BYTE:
            return "unexpected byte 0x\(String(byte ?? 0, radix: 16))"
        case TRAILAUDIT_SKIP_EXPECTED_COMMA_OR_BRACE: return "expected ',' or '}'"
        default: return "expected ',' or ']'"
        }
    }
}
