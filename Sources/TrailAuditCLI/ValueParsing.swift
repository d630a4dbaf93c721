import TrailAudit

/// Parsers for option values; each error quotes the value and says what was expected.
public enum ValueParsing {
    /// `16M`, `2G`, `512K`, or plain bytes.
    public static func byteSize(_ text: String, option: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("IB") || digits.hasSuffix("B") && digits.count > 1 {
            digits = String(digits.dropLast(digits.hasSuffix("IB") ? 2 : 1))
        }
        var multiplier = 1
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits.removeLast()
        }
        guard let value = Int(digits), value > 0, value <= Int.max / multiplier else {
            throw UsageError("--\(option) '\(text)' is not a size (examples: 16M, 2G, 1048576)")
        }
        return value * multiplier
    }

    /// A positive count.
    public static func positiveInt(_ text: String, option: String) throws -> Int {
        guard let value = Int(text), value > 0 else {
            throw UsageError("--\(option) '\(text)' must be a whole number of at least 1")
        }
        return value
    }

    /// `2024-03-05`, `2024-03-05T10:00:00Z`, or a span back from `now`: `30m`, `24h`, `7d`, `2w`.
    package static func time(_ text: String, option: String, now: EpochSeconds) throws
        -> EpochSeconds
    {
        if let last = text.last, let amount = Int(text.dropLast()), amount >= 0 {
            let unit: EpochSeconds? =
                switch last {
                case "s": 1
                case "m": 60
                case "h": 3600
                case "d": 86_400
                case "w": 604_800
                default: nil
                }
            if let unit {
                let (span, overflow) = EpochSeconds(amount).multipliedReportingOverflow(by: unit)
                guard !overflow, span <= now else {
                    throw UsageError("--\(option) '\(text)' reaches back before 1970")
                }
                return now - span
            }
        }
        guard let time = Self.absoluteTime(text) else {
            throw UsageError(
                "--\(option) '\(text)' is not a time (examples: 2024-03-05, 2024-03-05T10:00:00Z, 24h, 7d)"
            )
        }
        // A mistyped year (0000-01-01) would compare windows that no log can fall in.
        guard time >= 0 else {
            throw UsageError("--\(option) '\(text)' is before 1970 (CloudTrail began in 2013)")
        }
        return time
    }

    /// A time or a day as written, before any check of its range.
    private static func absoluteTime(_ text: String) -> EpochSeconds? {
        if let time = EventTime.parse(text) { return time }
        if let time = EventTime.parse(text + "Z") { return time }
        let parts = text.split(separator: "-")
        if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
            let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month), day >= 1,
            day <= EventTime.daysIn(month: month, year: year)
        {
            return EventTime.epochSeconds(year: year, month: month, day: day)
        }
        return nil
    }
}
