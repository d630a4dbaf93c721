/// Renders matched events: a table for people, JSON Lines of the original records for other
/// tools, or a JSON document.
package enum EventListing {
    /// Bumped when a JSON field changes meaning or disappears.
    package static let schemaVersion = 1

    /// One line per event within 100 columns (an IPv6 source can run past); the resource, if
    /// any, on an indented line below.
    package static func table(_ events: [MatchedEvent]) -> String {
        var out =
            pad("TIME (UTC)", 20) + pad("PRINCIPAL", 18) + pad("SESSION", 11)
            + pad("ACTION", 28) + pad("RESULT", 7) + "SOURCE IP\n"
        for event in events {
            let time = event.time.map(EventTime.format)
                .map { String($0.prefix(10)) + " " + String($0.dropFirst(11).prefix(8)) }
            let action =
                event.actions.first
                ?? "\(event.eventSource ?? "?"):\(event.eventName ?? "?")"
            out +=
                pad(time ?? "-", 20)
                + pad(clip(shortName(event.principal), 17), 18)
                + pad(clip(SafeText.terminal(event.session ?? "-"), 10), 11)
                + pad(clip(SafeText.terminal(action), 27), 28)
                + pad(result(event), 7)
                + clip(SafeText.terminal(event.sourceIP ?? "-"), 39) + "\n"
            if let resource = event.resources.first {
                let more = event.resources.count > 1 ? " (+\(event.resources.count - 1))" : ""
                out += "    on " + clip(SafeText.terminal(resource) + more, 93) + "\n"
            }
        }
        return out
    }

    /// The original records, one per line (line breaks between tokens become spaces).
    package static func jsonLines(_ events: [MatchedEvent]) -> String {
        var out = ""
        for event in events { out += oneLine(event.record) + "\n" }
        return out
    }

    /// `record` on one line and valid JSON whatever the log held: line breaks between tokens
    /// become spaces; inside strings, raw control characters (which the reader accepts) and
    /// the characters text output escapes (`SafeText.needsEscape`) become `\u` escapes, so
    /// the values are kept and nothing reaches a terminal raw.
    static func oneLine(_ record: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(record.count + 16)
        func escape(_ value: UInt32) {
            out += Array(JSONWriter.unicodeEscape(Unicode.Scalar(value)!).utf8)
        }
        var inString = false
        var escaped = false
        var index = 0
        while index < record.count {
            let byte = record[index]
            index += 1
            if !inString {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte == 0x0A || byte == 0x0D ? 0x20 : byte)
            } else if escaped {
                escaped = false
                out.append(byte)
            } else if byte == UInt8(ascii: "\\") {
                if let unit = utf16Escape(record, at: index - 1), (0xD800...0xDFFF).contains(unit) {
                    // A surrogate escape stands only as a high one followed by a low one: a lone
                    // one is valid JSON text but no character (strict readers refuse it).
                    let low = utf16Escape(record, at: index + 5)
                    if unit <= 0xDBFF, let low, (0xDC00...0xDFFF).contains(low) {
                        out += record[(index - 1)..<(index + 11)]
                        index += 11
                    } else {
                        out += Array("\\ufffd".utf8)
                        index += 5
                    }
                    continue
                }
                escaped = true
                out.append(byte)
            } else if byte == UInt8(ascii: "\"") {
                inString = false
                out.append(byte)
            } else if byte < 0x20 || byte == 0x7F {
                escape(UInt32(byte))
            } else if byte < 0x80 {
                out.append(byte)
            } else {
                // Only continuation bytes join the sequence: a truncated one must not swallow
                // the closing quote or a backslash.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                var end = index
                while end < min(index - 1 + length, record.count), record[end] & 0xC0 == 0x80 {
                    end += 1
                }
                let bytes = record[(index - 1)..<end]
                if let text = String(validating: bytes, as: UTF8.self),
                    let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1,
                    SafeText.needsEscape(scalar)
                {
                    escape(scalar.value)
                } else {
                    out += bytes
                }
                index = end
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The code unit of the `\uXXXX` escape at `offset` in `record`, or nil when there is none.
    private static func utf16Escape(_ record: [UInt8], at offset: Int) -> UInt32? {
        guard offset >= 0, offset + 6 <= record.count, record[offset] == UInt8(ascii: "\\"),
            record[offset + 1] == UInt8(ascii: "u")
        else { return nil }
        var value: UInt32 = 0
        for byte in record[(offset + 2)..<(offset + 6)] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A JSON document with `schemaVersion` and one summary object per event.
    package static func json(_ events: [MatchedEvent]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("schemaVersion", schemaVersion)
        write(events, as: "events", into: &writer)
        writer.endObject()
        return writer.output + "\n"
    }

    /// Writes `events` as an array under `key`: one summary object per event.
    package static func write(
        _ events: [MatchedEvent], as key: String, into writer: inout JSONWriter
    ) {
        writer.beginArray(key)
        for event in events {
            writer.beginObject()
            writer.time("time", event.time)
            writer.field("eventID", event.eventID.isEmpty ? nil : event.eventID)
            writer.field("principal", event.principal.id)
            writer.field("principalType", event.principal.type.rawValue)
            writer.field("session", event.session)
            writer.strings("actions", event.actions)
            writer.strings("impliedActions", Array(event.actions.suffix(event.impliedActionCount)))
            writer.field("eventSource", event.eventSource)
            writer.field("eventName", event.eventName)
            writer.strings("resources", event.resources)
            writer.field("outcome", "\(event.outcome)")
            writer.field("errorCode", event.errorCode)
            writer.field("sourceIP", event.sourceIP)
            writer.field("userAgent", event.userAgent)
            writer.field("account", event.account)
            writer.field("region", event.region)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func result(_ event: MatchedEvent) -> String {
        switch event.outcome {
        case .succeeded: "ok"
        case .denied: "DENIED"
        case .failed: "failed"
        }
    }

    /// The role or user name, or the whole id for services and providers; a provider's calls
    /// through delegated access say so (`delegated:role`).
    private static func shortName(_ principal: Principal) -> String {
        let id = SafeText.terminal(principal.id)
        guard id.hasPrefix("arn:"), let slash = id.lastIndex(of: "/") else { return id }
        let name = String(id[id.index(after: slash)...])
        return principal.type == .delegatedRole ? "delegated:" + name : name
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
