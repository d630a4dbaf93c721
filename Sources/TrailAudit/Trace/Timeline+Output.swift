extension TimelineAggregate {
    /// Buckets in time order, each with what was first seen in it.
    package func rows(bucket: EpochSeconds) -> [(
        start: EpochSeconds, counts: UsageCounts, new: [FirstSighting]
    )] {
        var firsts: [EpochSeconds: [FirstSighting]] = [:]
        for (sighting, time) in sightings {
            let start = time - ((time % bucket) + bucket) % bucket
            firsts[start, default: []].append(sighting)
        }
        let starts = Set(buckets.keys).union(firsts.keys).sorted()
        return starts.map { start in
            (start, buckets[start] ?? UsageCounts(), (firsts[start] ?? []).sorted())
        }
    }

    /// One line per bucket (calls, denied, failed), with what was new in it below.
    package func text(principal: String, bucket: EpochSeconds) -> String {
        var out =
            "TIMELINE \(SafeText.terminal(principal)) (per \(bucket == 3600 ? "hour" : "day"))\n\n"
        out += "START (UTC)           CALLS  DENIED  FAILED\n"
        for (start, counts, new) in rows(bucket: bucket) {
            out +=
                EventTime.format(start) + "  " + Self.right(counts.total, 6)
                + "  " + Self.right(counts.denied, 6) + "  " + Self.right(counts.failed, 6) + "\n"
            for sighting in new {
                let label = "first \(sighting.kind.label)"
                let value = SafeText.terminal(sighting.value)
                // An assumer is shown whole: a web identity subject ends with what tells two
                // apart (the branch or environment of a GitHub repository).
                let shown =
                    sighting.kind == .assumer ? value : Report.clip(value, 90 - label.count)
                out += "    " + label + " " + shown + "\n"
            }
        }
        if untimed > 0 {
            out += "\n\(untimed) events without a readable eventTime are in no bucket\n"
        }
        if rows(bucket: bucket).isEmpty, untimed == 0 {
            out +=
                "  (no event of this principal in the input: check the ARN, a role's name, or"
                + " the session ARN)\n"
        }
        return out
    }

    /// `{"schemaVersion", "principal", "bucket", "buckets": [{"start", "calls", "succeeded",
    /// "denied", "failed", "firstSeen": [{"kind", "value", "time"}]}], "untimed"}`.
    package func json(principal: String, bucket: EpochSeconds) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("schemaVersion", 1)
        writer.field("principal", principal)
        writer.field("bucket", bucket == 3600 ? "hour" : "day")
        writer.beginArray("buckets")
        for (start, counts, new) in rows(bucket: bucket) {
            writer.beginObject()
            writer.time("start", start)
            writer.field("calls", counts.total)
            writer.field("succeeded", counts.succeeded)
            writer.field("denied", counts.denied)
            writer.field("failed", counts.failed)
            writer.beginArray("firstSeen")
            for sighting in new {
                writer.beginObject()
                writer.field("kind", sighting.kind.rawValue)
                writer.field("value", sighting.value)
                writer.time("time", firstSeen[sighting])
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.field("untimed", untimed)
        writer.endObject()
        return writer.output + "\n"
    }

    private static func right(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
