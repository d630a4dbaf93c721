/// A JSON value with ordered keys, for the IAM documents `suggest` writes: key order and
/// layout are part of the output, so they are fixed here rather than left to a serializer.
package indirect enum PolicyJSON: Sendable, Equatable {
    case string(String)
    case array([PolicyJSON])
    case object([(String, PolicyJSON)])

    package static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// One string, or an array of several: how IAM documents are usually written.
    package static func strings(_ values: [String]) -> PolicyJSON {
        values.count == 1 ? .string(values[0]) : .array(values.map(PolicyJSON.string))
    }

    /// The text without whitespace: what IAM counts against its size quotas.
    package var compactText: String {
        var output = ""
        appendCompact(to: &output)
        return output
    }

    /// Two-space indented text, as `aws iam put-role-policy --policy-document` takes it.
    package var prettyText: String {
        var output = ""
        appendPretty(to: &output, indent: 0)
        return output
    }

    private func appendCompact(to output: inout String) {
        switch self {
        case .string(let value): JSONWriter.appendQuoted(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.appendCompact(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                JSONWriter.appendQuoted(key, to: &output)
                output += ":"
                value.appendCompact(to: &output)
            }
            output += "}"
        }
    }

    private func appendPretty(to output: inout String, indent: Int) {
        let inner = String(repeating: "  ", count: indent + 1)
        let outer = String(repeating: "  ", count: indent)
        switch self {
        case .string(let value): JSONWriter.appendQuoted(value, to: &output)
        case .array(let values) where values.isEmpty: output += "[]"
        case .object(let members) where members.isEmpty: output += "{}"
        case .array(let values):
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += inner
                value.appendPretty(to: &output, indent: indent + 1)
                output += index + 1 < values.count ? ",\n" : "\n"
            }
            output += outer + "]"
        case .object(let members):
            output += "{\n"
            for (index, (key, value)) in members.enumerated() {
                output += inner
                JSONWriter.appendQuoted(key, to: &output)
                output += ": "
                value.appendPretty(to: &output, indent: indent + 1)
                output += index + 1 < members.count ? ",\n" : "\n"
            }
            output += outer + "}"
        }
    }
}

extension JSONWriter {
    /// Writes `value` (under `key` inside an object).
    package mutating func value(_ key: String?, _ value: PolicyJSON) {
        switch value {
        case .string(let text): field(key, text)
        case .array(let values):
            beginArray(key)
            for element in values { self.value(nil, element) }
            endArray()
        case .object(let members):
            beginObject(key)
            for (name, element) in members { self.value(name, element) }
            endObject()
        }
    }
}
