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
        for event in events {
            // A valid record has no raw line break inside a string, so these are whitespace.
            let line = event.record.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            out += String(decoding: line, as: UTF8.self) + "\n"
        }
        return out
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

    /// The role or user name, or the whole id for services and providers.
    private static func shortName(_ principal: Principal) -> String {
        let id = SafeText.terminal(principal.id)
        guard id.hasPrefix("arn:"), let slash = id.lastIndex(of: "/") else { return id }
        return String(id[id.index(after: slash)...])
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
