import Testing

@testable import TrailAudit

#if canImport(Glibc)
    import Glibc
#endif

/// `JSONScanner.skipValue` (one call into C) against the Swift skipper it replaced, kept here
/// as the model: over valid values, truncations and single-byte damage, both stop at the same
/// offset with the same verdict, so records are accepted, refused and reported as before.
@Suite struct SkipValueTests {
    /// Where a skip ended: the offset past the value, or the failure's offset and reason.
    enum Outcome: Equatable, CustomStringConvertible {
        case skipped(to: Int)
        case failed(offset: Int, reason: String)

        var description: String {
            switch self {
            case .skipped(let offset): return "skipped to \(offset)"
            case .failed(let offset, let reason): return "failed at \(offset): \(reason)"
            }
        }
    }

    static func outcome(_ bytes: [UInt8], model: Bool) -> Outcome {
        bytes.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            do {
                if model {
                    try scanner.modelSkipValue()
                } else {
                    try scanner.skipValue()
                }
                return .skipped(to: scanner.position)
            } catch InputError.invalidJSON(let offset, let reason) {
                return .failed(offset: offset, reason: reason)
            } catch {
                return .failed(offset: -1, reason: "\(error)")
            }
        }
    }

    static func expectSame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = outcome(bytes, model: false)
        let model = outcome(bytes, model: true)
        #expect(
            fast == model, "\(String(decoding: bytes, as: UTF8.self).debugDescription)",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        #"{"a":1}"#, #"  [ 1 , -2.5e+3 , true , false , null , "x" ] tail"#, #""s\"q\\""#,
        #"{}"#, #"[]"#, #"{ }"#, #"[ ]"#, #"{"a":{"b":[{"c":[]},{}]}}"#, "-0", "12.5E-7",
        #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"[1,]"#, #"{"a":{"b":1]}"#, "-", "-x",
        "1.", "1.e5", "1e", "1e+", "TRUE", "nul", #"{"a"#, #"{"a":"#, #"{"a":1"#, "[1 2]",
        #"{1:2}"#, "", "   ", "\u{01}", "]", "}", #"{"a":1]"#, "[1}", #""unterminated"#,
        #"{"k\"ey":"v\\"}"#, "[[[[[]]]]]", #"{"a":[1,{"b":null}],"c":"\u00e9"}"#,
    ])
    func examplesAgreeWithTheModel(json: String) {
        Self.expectSame(Array(json.utf8))
    }

    @Test func nestingAtAndPastTheLimitAgrees() {
        for depth in [JSONScanner.maxDepth - 1, JSONScanner.maxDepth, JSONScanner.maxDepth + 1] {
            for open in ["[", "{\"k\":"] {
                let close = open == "[" ? "]" : "}"
                let json =
                    String(repeating: open, count: depth) + "1"
                    + String(repeating: close, count: depth)
                Self.expectSame(Array(json.utf8))
            }
        }
        // Past the limit it is refused, at the bracket that went too deep.
        let brackets = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let deep = Array(brackets.utf8)
        #expect(
            Self.outcome(deep, model: false)
                == .failed(
                    offset: JSONScanner.maxDepth,
                    reason: "nesting deeper than \(JSONScanner.maxDepth)"))
    }

    /// Random values, then every prefix of some and single bytes replaced, inserted and
    /// deleted in all: the damage a broken or hostile file brings.
    @Test func randomValuesAndTheirDamageAgree() {
        var random = SeededRandom(seed: 0x5EED_0F5C)
        let structural = Array(#"{}[]",:-+.eE0123456789tfnul\ "#.utf8) + [0x09, 0x0A, 0x0D, 0x00]
        var compared = 0
        for round in 0..<400 {
            let value = Array(Self.randomValue(&random, depth: 0).utf8)
            Self.expectSame(value)
            compared += 1
            if round % 8 == 0 {
                for length in 0..<value.count {
                    Self.expectSame(Array(value[..<length]))
                    compared += 1
                }
            }
            for _ in 0..<12 where !value.isEmpty {
                var damaged = value
                let at = Int(random.next() % UInt64(value.count))
                let byte = structural[Int(random.next() % UInt64(structural.count))]
                switch random.next() % 3 {
                case 0: damaged[at] = byte
                case 1: damaged.insert(byte, at: at)
                default: damaged.remove(at: at)
                }
                Self.expectSame(damaged)
                compared += 1
            }
        }
        #expect(compared > 5_000)
    }

    static func randomValue(_ random: inout SeededRandom, depth: Int) -> String {
        let space = [" ", "", "", "\n", "\t ", "\r\n"]
        func ws(_ random: inout SeededRandom) -> String { space[Int(random.next() % 6)] }
        let kind = depth > 5 ? random.next() % 5 : random.next() % 7
        switch kind {
        case 0: return ["true", "false", "null"][Int(random.next() % 3)]
        case 1:
            let numbers = ["0", "-1", "12.75", "3e8", "-4.5E-2", "1E+3", "987654321012"]
            return numbers[Int(random.next() % UInt64(numbers.count))]
        case 2, 3, 4:
            let strings = [
                #""""#, #""plain""#, #""with \"quote\"""#, #""back\\slash\\""#,
                #""arn:aws:iam::111122223333:role/x""#, #""é\u00e9""#,
                "\"" + String(repeating: "long-", count: 9) + "\"",
            ]
            return strings[Int(random.next() % UInt64(strings.count))]
        case 5:
            let count = Int(random.next() % 4)
            let elements = (0..<count).map { _ in
                ws(&random) + randomValue(&random, depth: depth + 1) + ws(&random)
            }
            return "[" + ws(&random) + elements.joined(separator: ",") + "]"
        default:
            let count = Int(random.next() % 4)
            let members = (0..<count).map { index in
                ws(&random) + "\"k\(index)\"" + ws(&random) + ":" + ws(&random)
                    + randomValue(&random, depth: depth + 1) + ws(&random)
            }
            return "{" + ws(&random) + members.joined(separator: ",") + "}"
        }
    }
}

/// The Swift skipper `skipValue` replaced (the eleventh session's), word for word but for its
/// name: the model the C one is held to.
extension JSONScanner {
    mutating func modelSkipValue() throws {
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
                    try modelSkipLiteral("true")
                case UInt8(ascii: "f"):
                    try modelSkipLiteral("false")
                case UInt8(ascii: "n"):
                    try modelSkipLiteral("null")
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try modelSkipNumber()
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

    private mutating func modelSkipLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= end,
            memcmp(base + position, literal.utf8Start, count) == 0
        else { throw error("invalid literal") }
        position += count
    }

    /// Skips `-? digits (. digits)? ([eE] [+-]? digits)?`.
    private mutating func modelSkipNumber() throws {
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard modelSkipDigits() else { throw error("invalid number") }
        if position < end, base[position] == UInt8(ascii: ".") {
            position += 1
            guard modelSkipDigits() else { throw error("invalid number") }
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < end,
                base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            guard modelSkipDigits() else { throw error("invalid number") }
        }
    }

    /// Skips a run of digits; false if there was none.
    private mutating func modelSkipDigits() -> Bool {
        let start = position
        while position < end, base[position] &- UInt8(ascii: "0") < 10 { position += 1 }
        return position > start
    }
}
