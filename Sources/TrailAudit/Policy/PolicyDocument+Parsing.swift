import Foundation

// Policy documents reach us three ways (facts §6.4): as JSON objects (AWS CLI and boto3 decode
// them), as JSON strings holding the document, and URL-encoded (RFC 3986) from the raw API.

extension PolicyDocument {
    /// Reads a document from a value `JSONSerialization` produced: an object, or a string
    /// holding either the document's JSON or its URL-encoded form. `policy` names it in errors.
    package init(jsonValue: Any, policy: String) throws(PolicyError) {
        try self.init(jsonValue: jsonValue, policy: policy, depth: 0)
    }

    /// Reads a document from text: JSON (an object, or a string holding one) or URL-encoded.
    package init(text: String, policy: String) throws(PolicyError) {
        try self.init(text: text, policy: policy, depth: 0)
    }

    /// Reads a document from a file's bytes, in any of the three encodings.
    package init(data: Data, policy: String) throws(PolicyError) {
        if let value = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) {
            try self.init(jsonValue: value, policy: policy, depth: 0)
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(policy: policy, .notADocument(found: "bytes that are not UTF-8"))
        }
        try self.init(text: text, policy: policy, depth: 0)
    }

    /// Shared by the public initialisers; `depth` stops a string that decodes to itself.
    private init(jsonValue: Any, policy: String, depth: Int) throws(PolicyError) {
        if let text = jsonValue as? String {
            guard depth < 3 else {
                throw PolicyError(policy: policy, .notADocument(found: "a string"))
            }
            try self.init(text: text, policy: policy, depth: depth + 1)
            return
        }
        guard let object = jsonValue as? [String: Any] else {
            throw PolicyError(policy: policy, .notADocument(found: describe(jsonValue)))
        }
        try self.init(object: object, policy: policy)
    }

    /// Reads JSON text, or percent-decodes text that is not JSON and reads the result.
    private init(text: String, policy: String, depth: Int) throws(PolicyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = trimmed.first else {
            throw PolicyError(policy: policy, .notADocument(found: "empty text"))
        }

        if first == "{" || first == "\"" {
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(
                    with: Data(trimmed.utf8), options: .fragmentsAllowed)
            } catch {
                throw PolicyError(policy: policy, .notJSON(jsonReason(error)))
            }
            try self.init(jsonValue: value, policy: policy, depth: depth + 1)
            return
        }

        guard depth < 3 else { throw PolicyError(policy: policy, .notADocument(found: "text")) }
        let decoded = try percentDecoded(trimmed, policy: policy)
        guard decoded.first == "{" || decoded.first == "\"" else {
            throw PolicyError(policy: policy, .notADocument(found: "text that is not JSON"))
        }
        try self.init(text: decoded, policy: policy, depth: depth + 1)
    }

    /// Reads the `Version`, `Id` and `Statement` of a decoded document.
    private init(object: [String: Any], policy: String) throws(PolicyError) {
        guard let statementValue = object["Statement"] else {
            throw PolicyError(policy: policy, .missingStatement)
        }
        let values = statementValue as? [Any] ?? [statementValue]
        var statements: [PolicyStatement] = []
        for (index, value) in values.enumerated() {
            guard let fields = value as? [String: Any] else {
                throw PolicyError(policy: policy, .statementNotAnObject(index: index))
            }
            statements.append(try PolicyStatement(fields: fields, index: index, policy: policy))
        }
        self.init(
            version: object["Version"] as? String, id: object["Id"] as? String,
            statements: statements)
    }
}

/// RFC 3986 percent-decoding: `%XX` becomes the byte, everything else (`+` too) stays as is.
func percentDecoded(_ text: String, policy: String) throws(PolicyError) -> String {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
        guard bytes[index] == UInt8(ascii: "%") else {
            output.append(bytes[index])
            index += 1
            continue
        }
        guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
            let low = hexValue(bytes[index + 2])
        else { throw PolicyError(policy: policy, .invalidPercentEscape(offset: index)) }
        output.append(high << 4 | low)
        index += 3
    }
    guard let decoded = String(validating: output, as: UTF8.self) else {
        throw PolicyError(policy: policy, .notUTF8)
    }
    return decoded
}

/// The value of one hex digit, nil for any other byte.
private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// The parser's own words for why JSON text was rejected.
func jsonReason(_ error: Error) -> String {
    let nsError = error as NSError
    return nsError.userInfo[NSDebugDescriptionErrorKey] as? String ?? nsError.localizedDescription
}

/// What kind of JSON value `value` is, for error messages ("a number", "an object").
func describe(_ value: Any) -> String {
    switch value {
    case is String: return "a string"
    case let number as NSNumber: return isJSONBoolean(number) ? "a boolean" : "a number"
    case is [Any]: return "an array"
    case is [String: Any]: return "an object"
    case is NSNull: return "null"
    default: return "\(type(of: value))"
    }
}

/// Whether `JSONSerialization` read this number from `true` or `false`.
func isJSONBoolean(_ number: NSNumber) -> Bool {
    // Booleans come back as NSNumber with Objective-C type code "c"; integers and doubles never.
    number.objCType.pointee == CChar(UInt8(ascii: "c"))
}
