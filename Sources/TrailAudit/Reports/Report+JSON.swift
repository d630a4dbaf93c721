extension Report {
    /// The report as JSON (documented in the README; `schemaVersion` tells its revision).
    package func json() -> String {
        var text = ""
        json { text += $0 }
        return text
    }

    /// The report as JSON, handed to `sink` in pieces.
    package func json(into sink: @escaping (String) -> Void) {
        var writer = JSONWriter(sink: sink)
        writer.beginObject()
        writer.field("schemaVersion", Report.schemaVersion)
        writeInput(&writer)

        writer.beginArray("principals")
        for entry in principals { write(entry, &writer) }
        writer.endArray()

        writer.beginArray("assumeRole")
        for entry in assumeRole { write(entry, &writer) }
        writer.endArray()

        writer.beginArray("federationTokens")
        for entry in tokens {
            writer.beginObject()
            writer.field("caller", entry.issue.caller.id)
            writer.field("type", entry.issue.caller.type.rawValue)
            writer.field("api", entry.issue.api)
            writeCounts(entry.counts, &writer)
            writer.endObject()
        }
        writer.endArray()

        writer.beginArray("accessDenied")
        for entry in accessDenied { write(entry, &writer) }
        writer.endArray()

        writer.endObject()
        writer.flush(force: true)
        sink("\n")
    }

    private func writeInput(_ writer: inout JSONWriter) {
        writer.beginObject("input")
        writer.field("events", input.events)
        writer.field("duplicateEvents", input.duplicateEvents)
        writer.field("filesRead", input.filesRead)
        writer.field("filesSkipped", input.skipped.count)
        writer.field("filesFailed", input.failed.count)
        writer.field("eventsInFailedFiles", input.eventsInFailedFiles)
        writer.field("eventsOutsideWindow", input.eventsOutsideWindow)
        writer.field("nonCallRecords", input.nonCallRecords)
        writer.field("unrecognizedRecords", input.unrecognizedRecords)
        writer.time("firstEvent", input.firstEvent)
        writer.time("lastEvent", input.lastEvent)
        writer.time("since", input.window.since)
        writer.time("until", input.window.until)
        writer.strings("accounts", input.accounts)
        writer.strings("regions", input.regions)
        for (key, notes) in [("skipped", input.skipped), ("failed", input.failed)] {
            writer.beginArray(key)
            for note in notes {
                writer.beginObject()
                writer.field("path", note.path)
                writer.field("reason", note.reason)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }

    private func writeCounts(_ counts: UsageCounts, _ writer: inout JSONWriter) {
        writer.field("succeeded", counts.succeeded)
        writer.field("denied", counts.denied)
        writer.field("failed", counts.failed)
        writer.time("firstSeen", counts.firstSeen)
        writer.time("lastSeen", counts.lastSeen)
    }

    private func write(_ entry: PrincipalEntry, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("principal", entry.principal.id)
        writer.field("type", entry.principal.type.rawValue)
        writer.field("events", entry.counts.total)
        writeCounts(entry.counts, &writer)
        writer.field("eventsWithoutAction", entry.eventsWithoutAction)
        // A federated user's set holds its issuers (`PrincipalUsage.sessions`).
        let federated = entry.principal.type == .federatedUser
        writer.strings("sessions", federated ? [] : entry.sessions.sorted)
        writer.field("sessionsTruncated", !federated && entry.sessions.isTruncated)
        writer.strings("issuedBy", federated ? entry.sessions.sorted : [])
        let tallies = [
            ("sourceIPs", entry.sourceIPs, entry.sourceIPsUnlisted),
            ("userAgents", entry.userAgents, entry.userAgentsUnlisted),
        ]
        for (key, tally, unlisted) in tallies {
            writer.beginArray(key)
            for item in tally.sorted(by: { $0.key < $1.key }) {
                writer.beginObject()
                writer.field("value", item.key)
                writer.field("count", item.count)
                writer.endObject()
            }
            writer.endArray()
            writer.field(key + "Unlisted", unlisted)
        }
        writer.beginArray("actions")
        for action in entry.actions {
            writer.beginObject()
            writer.field("action", action.action)
            writeCounts(action.counts, &writer)
            writer.field("implied", action.implied)
            writer.strings("resources", action.resources.sorted)
            writer.field("resourcesTruncated", action.resources.isTruncated)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    private func write(_ entry: RoleEntry, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("role", entry.role)
        writer.field("assumptions", entry.counts.succeeded)
        writer.field("failed", entry.counts.denied + entry.counts.failed)
        writer.field("denied", entry.counts.denied)
        writer.field("crossAccount", entry.callers.contains { $0.caller.crossAccount })
        writer.time("firstSeen", entry.counts.firstSeen)
        writer.time("lastSeen", entry.counts.lastSeen)
        writer.beginArray("callers")
        for (caller, counts) in entry.callers {
            writer.beginObject()
            writer.field("caller", caller.caller)
            writer.field("type", caller.type.rawValue)
            writer.field("api", caller.api)
            writer.field("subject", caller.subject)
            if let audience = caller.audience { writer.field("audience", audience) }
            writer.field("crossAccount", caller.crossAccount)
            writer.field("count", counts.total)
            writer.field("succeeded", counts.succeeded)
            writer.field("failed", counts.denied + counts.failed)
            writer.endObject()
        }
        writer.endArray()
        writer.strings("sessionNames", entry.sessionNames.sorted)
        writer.strings("sourceIPs", entry.sourceIPs.sorted)
        writer.field("ownerCopiesNotCounted", entry.ownerCopies)
        writer.endObject()
    }

    private func write(_ entry: DenialEntry, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("principal", entry.key.principal.id)
        writer.field("principalType", entry.key.principal.type.rawValue)
        writer.field("action", entry.key.action)
        writer.field("resource", entry.key.resource)
        writer.field("errorCode", entry.key.errorCode)
        writer.field("deniedBy", entry.key.deniedBy.description)
        writer.field("count", entry.group.counts.total)
        writer.time("firstSeen", entry.group.counts.firstSeen)
        writer.time("lastSeen", entry.group.counts.lastSeen)
        writer.field("sampleMessage", entry.group.sampleMessage)
        writer.endObject()
    }
}
