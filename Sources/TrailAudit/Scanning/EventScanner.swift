/// Extracts the fields the reports need from one record's bytes.
///
/// Key names are matched exactly as CloudTrail writes them (camelCase); unknown keys, and
/// known keys holding an unexpected type, are validated and skipped.
package enum EventScanner {
    /// Scans the object in `bytes` (a CloudTrail event or an envelope holding events).
    package static func scan(_ bytes: UnsafeRawBufferPointer) throws -> ScannedEvent {
        var scanner = JSONScanner(bytes)
        var event = ScannedEvent()
        guard scanner.peekByte() == UInt8(ascii: "{") else {
            throw scanner.error("a record must be a JSON object")
        }
        try scanner.forEachKey { scanner, key in
            try readTopLevel(key, into: &event, &scanner)
        }
        guard scanner.peekByte() == nil else { throw scanner.error("bytes after the record") }
        return event
    }

    private static func readTopLevel(
        _ key: JSONStringRange, into event: inout ScannedEvent, _ scanner: inout JSONScanner
    ) throws {
        switch key.count {
        case 9:
            if scanner.bytes(key, equal: "eventTime") {
                event.hasEventFields = true
                event.eventTime = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "eventName") {
                event.hasEventFields = true
                event.eventName = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "awsRegion") {
                event.awsRegion = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "errorCode") {
                event.errorCode = try scanner.readCodeValue()
            } else if scanner.bytes(key, equal: "userAgent") {
                event.userAgent = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "logEvents") {
                event.envelopeLogEvents = try scanner.rangeOfValue(ifStartsWith: "[")
            } else if scanner.bytes(key, equal: "resources") {
                try readResources(into: &event, &scanner)
            } else if scanner.bytes(key, equal: "Statement") {
                event.isIAMDocument = true
                try scanner.skipValue()
            } else {
                try scanner.skipValue()
            }
        case 7:
            if scanner.bytes(key, equal: "eventID") {
                event.hasEventFields = true
                event.eventID = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        case 11:
            if scanner.bytes(key, equal: "eventSource") {
                event.hasEventFields = true
                event.eventSource = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        case 12:
            if scanner.bytes(key, equal: "userIdentity") {
                event.hasEventFields = true
                // A key given twice (a forged record) counts as its last value, whole: fields
                // of two identities never mix (one's access key, another's ARN).
                event.identity = ScannedIdentity()
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try readIdentity(into: &event.identity, &scanner)
            } else if scanner.bytes(key, equal: "errorMessage") {
                event.errorMessage = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        case 15:
            if scanner.bytes(key, equal: "sourceIPAddress") {
                event.sourceIPAddress = try scanner.readStringValue()
            } else if scanner.bytes(key, equal: "GroupDetailList") {
                event.isIAMDocument = true
                try scanner.skipValue()
            } else {
                try scanner.skipValue()
            }
        case 17:
            if scanner.bytes(key, equal: "requestParameters") {
                event.request = ScannedRequest()
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try readRequest(into: &event.request, &scanner)
            } else {
                try scanner.skipValue()
            }
        case 16:
            if scanner.bytes(key, equal: "responseElements") {
                event.response = ScannedResponse()
                guard scanner.peekByte() == UInt8(ascii: "{") else {
                    return try scanner.skipValue()
                }
                try readResponse(into: &event.response, &scanner)
            } else {
                try scanner.skipValue()
            }
        case 18:
            if scanner.bytes(key, equal: "recipientAccountId") {
                event.recipientAccountId = try scanner.readStringValue()
            } else {
                try scanner.skipValue()
            }
        case 6:
            if scanner.bytes(key, equal: "detail") {
                event.envelopeDetail = try scanner.rangeOfValue(ifStartsWith: "{")
            } else {
                try scanner.skipValue()
            }
        case 8:
            if scanner.bytes(key, equal: "logFiles") {
                event.isDigest = true
            }
            try scanner.skipValue()
        case 14:
            if scanner.bytes(key, equal: "digestS3Object") {
                event.isDigest = true
            } else if scanner.bytes(key, equal: "insightDetails") {
                event.isInsight = true
            } else if scanner.bytes(key, equal: "RoleDetailList")
                || scanner.bytes(key, equal: "UserDetailList")
            {
                event.isIAMDocument = true
            }
            try scanner.skipValue()
        default:
            try scanner.skipValue()
        }
    }

    private static func readResources(
        into event: inout ScannedEvent, _ scanner: inout JSONScanner
    ) throws {
        event.resourceCount = 0
        event.resourcesArray = nil
        let start = scanner.position
        try forEachResourceARN(&scanner) { event.appendResourceARN($0) }
        if event.resourceCount > ScannedEvent.maxResources {
            event.resourcesArray = start..<scanner.position
        }
    }

    /// Reads the `resources` value at the cursor, calling `body` with each entry's `ARN` (an
    /// entry with only `ARNPrefix` names no single resource and is left out); anything but an
    /// array is skipped.
    @inline(__always)
    static func forEachResourceARN(
        _ scanner: inout JSONScanner, _ body: (JSONStringRange) -> Void
    ) throws {
        guard scanner.peekByte() == UInt8(ascii: "[") else { return try scanner.skipValue() }
        try scanner.forEachElement { scanner in
            guard scanner.peekByte() == UInt8(ascii: "{") else { return try scanner.skipValue() }
            var arn = JSONStringRange.absent
            try scanner.forEachKey { scanner, key in
                // CloudTrail writes "ARN"; some producers lower-case it (keys match any case).
                if scanner.bytes(key, equal: "ARN") {
                    arn = try scanner.readStringValue()
                } else {
                    try scanner.skipValue()
                }
            }
            if arn.isNonEmpty { body(arn) }
        }
    }
}

extension JSONScanner {
    /// Reads an error code: a string as it is, `null` and `false` as absent (no error), and
    /// any other value as its JSON text, so a code that is not a string (`403`, an object)
    /// still reads as an error, never as success.
    package mutating func readCodeValue() throws -> JSONStringRange {
        switch peekByte() {
        case UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "n"), UInt8(ascii: "f"):
            try skipValue()
            return .absent
        default:
            let start = position
            try skipValue()
            return JSONStringRange(start: start, end: position, hasEscapes: false)
        }
    }

    /// Skips the value at the cursor and returns its byte range if it starts with `opener`.
    package mutating func rangeOfValue(ifStartsWith opener: Unicode.Scalar) throws -> Range<Int>? {
        let matches = peekByte() == UInt8(ascii: opener)
        let start = position
        try skipValue()
        return matches ? start..<position : nil
    }
}
