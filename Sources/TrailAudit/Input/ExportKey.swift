/// What a file's path says about it in the CloudTrail S3 export layout (facts §4.1):
/// `[prefix/]AWSLogs/[o-orgid/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/` then
/// `ACCOUNT_CloudTrail_REGION_STAMP_ID.json.gz`.
package struct ExportKey: Sendable, Equatable {
    /// What the layout says the file holds.
    package enum Kind: String, Sendable {
        case log
        case digest
        case insight
        case unknown
    }

    package var kind: Kind = .unknown
    package var organization: String?
    package var account: String?
    package var region: String?
    /// Midnight UTC of the `YYYY/MM/DD` folders.
    package var day: EpochSeconds?
    /// Delivery time from the file name (`YYYYMMDDTHHMMZ`), minute precision.
    package var delivered: EpochSeconds?

    package init() {}

    /// Parses the layout out of `path`; fields the path does not carry stay nil.
    ///
    /// Works on the path's bytes and component ranges: a nightly run over an unchanged tree
    /// parses every key and reads no file, so this is most of its cost.
    package init(path: String) {
        let bytes = Array(path.utf8)
        var components: [Range<Int>] = []
        components.reserveCapacity(16)
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "/") {
            if index > start { components.append(start..<index) }
            start = index + 1
        }
        if start < bytes.count { components.append(start..<bytes.count) }

        func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
            range.count == text.utf8CodeUnitCount
                && text.withUTF8Buffer { bytes[range].elementsEqual($0) }
        }
        func string(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }
        func component(named text: StaticString) -> Bool {
            components.contains { equals($0, text) }
        }

        let name = components.last.map { bytes[$0] } ?? bytes[...]
        if name.containsBytes("_CloudTrail-Digest_") || component(named: "CloudTrail-Digest") {
            kind = .digest
        } else if name.containsBytes("_CloudTrail-Insight_")
            || component(named: "CloudTrail-Insight")
        {
            kind = .insight
        } else if name.containsBytes("_CloudTrail_") || component(named: "CloudTrail") {
            kind = .log
        }

        if let logs = components.lastIndex(where: { equals($0, "AWSLogs") }) {
            var index = logs + 1
            if index < components.count, bytes[components[index]].starts(with: "o-".utf8) {
                organization = string(components[index])
                index += 1
            }
            if index < components.count, ExportKey.isAccountId(bytes[components[index]]) {
                account = string(components[index])
                index += 1
            }
            // After the account: CloudTrail*/REGION/YYYY/MM/DD/file
            if index + 5 < components.count {
                region = string(components[index + 1])
                if let year = Int(string(components[index + 2])), (1970...9999).contains(year),
                    let month = Int(string(components[index + 3])),
                    let day = Int(string(components[index + 4])), (1...12).contains(month),
                    (1...31).contains(day)
                {
                    self.day = EventTime.epochSeconds(year: year, month: month, day: day)
                }
            }
        }
        delivered = ExportKey.deliveryStamp(in: Array(name))
    }

    private static func isAccountId(_ text: ArraySlice<UInt8>) -> Bool {
        text.count == 12 && text.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Finds `YYYYMMDDTHHMM[SS]Z` in a file name.
    private static func deliveryStamp(in bytes: [UInt8]) -> EpochSeconds? {
        var index = 0
        while index + 14 <= bytes.count {
            if bytes[index + 8] == UInt8(ascii: "T"),
                let stamp = parseStamp(bytes, at: index)
            {
                return stamp
            }
            index += 1
        }
        return nil
    }

    private static func parseStamp(_ bytes: [UInt8], at start: Int) -> EpochSeconds? {
        func number(_ offset: Int, _ count: Int) -> Int? {
            var value = 0
            for index in (start + offset)..<(start + offset + count) {
                guard index < bytes.count, (48...57).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2),
            let hour = number(9, 2), let minute = number(11, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
        else { return nil }
        // Log files stop at minutes (`...T1505Z`); digests add seconds (`...T103000Z`).
        let afterMinutes = start + 13
        let seconds: Int
        if afterMinutes < bytes.count, bytes[afterMinutes] == UInt8(ascii: "Z") {
            seconds = 0
        } else if let parsed = number(13, 2), start + 15 < bytes.count,
            bytes[start + 15] == UInt8(ascii: "Z")
        {
            seconds = parsed
        } else {
            return nil
        }
        return EventTime.epochSeconds(year: year, month: month, day: day)
            + EpochSeconds(hour * 3600 + minute * 60 + seconds)
    }
}

extension ExportKey {
    /// How long after an event its file may be delivered and still be read for a window.
    ///
    /// CloudTrail delivers within about 5 minutes on average, without guarantee (CT-FIND), and
    /// retries a failing bucket for days; a day of slack keeps late files in, and a file that
    /// was delivered before the window starts can hold no event inside it.
    package static let deliverySlack: EpochSeconds = 86_400

    /// Whether the file certainly holds no event inside `window`, judged from its key alone,
    /// if no file is delivered more than `slack` after its events.
    package func isClearlyOutside(
        _ window: TimeWindow, slack: EpochSeconds = ExportKey.deliverySlack
    ) -> Bool {
        // The name gives the delivery to the minute: the file came up to 59 s after its stamp
        // (an event at 09:59:40 in a file stamped 0959Z is inside --since 09:59:30).
        let deliveredBy = delivered.map { $0 + 59 } ?? day.map { $0 + 86_399 }
        if let since = window.since, let deliveredBy, deliveredBy < since {
            return true  // every event precedes its delivery
        }
        if let until = window.until {
            let earliest = delivered ?? day
            if let earliest, earliest >= until + slack { return true }
        }
        return false
    }
}

extension ArraySlice<UInt8> {
    /// Whether the bytes contain `needle`.
    fileprivate func containsBytes(_ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { needle in
            guard needle.count <= count else { return false }
            var index = startIndex
            while index + needle.count <= endIndex {
                if self[index..<(index + needle.count)].elementsEqual(needle) { return true }
                index += 1
            }
            return false
        }
    }
}
