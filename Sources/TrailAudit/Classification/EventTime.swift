/// Seconds since 1970-01-01T00:00:00Z, the precision CloudTrail's `eventTime` has.
package typealias EpochSeconds = Int64

/// Parsing and printing of the ISO 8601 UTC times CloudTrail writes.
package enum EventTime {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (a space may stand for the `T`, and
    /// `t` and `z` for `T` and `Z`, as RFC 3339 allows).
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> EpochSeconds? {
        guard bytes.count >= 19 else { return nil }
        func digits(_ offset: Int, _ count: Int) -> Int? {
            var value = 0
            for index in offset..<(offset + count) {
                let digit = Int(bytes[index]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] | 0x20 == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }

        // Then an optional fraction, and `Z`, a `±HH:MM` offset, or nothing (read as UTC:
        // exports that went through other tools write `2024-03-05 10:00:00`).
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
        }
        var offset = 0
        if index < bytes.count {
            if bytes[index] | 0x20 == UInt8(ascii: "z"), index == bytes.count - 1 {
                offset = 0
            } else if bytes.count - index == 6, bytes[index + 3] == UInt8(ascii: ":"),
                bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2)
            {
                offset =
                    (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            } else {
                return nil
            }
        }

        let time =
            epochSeconds(year: year, month: month, day: day)
            + EpochSeconds(hour * 3600 + minute * 60 + second - offset)
        // An offset can carry 0000-01-01 or 9999-12-31 out of the four-digit years.
        return formattable.contains(time) ? time : nil
    }

    /// Parses a string; see `parse(_:)` for the accepted form.
    package static func parse(_ text: String) -> EpochSeconds? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Days in `month` (1...12) of `year` (proleptic Gregorian): 2024-02-30 is no date.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds at midnight UTC of a civil date (proleptic Gregorian).
    package static func epochSeconds(year: Int, month: Int, day: Int) -> EpochSeconds {
        // Howard Hinnant's days_from_civil.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return EpochSeconds(era * 146_097 + dayOfEra - 719_468) * 86_400
    }

    /// Times from 0000-01-01 to 9999-12-31, the only ones `parse` returns.
    package static let formattable: ClosedRange<EpochSeconds> = -62_167_219_200...253_402_300_799

    /// Formats as `YYYY-MM-DDTHH:MM:SSZ`; a time outside `formattable` (never parsed from a
    /// log) is written as its number of seconds, rather than trapping.
    package static func format(_ seconds: EpochSeconds) -> String {
        guard formattable.contains(seconds) else { return "\(seconds)s since 1970" }
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - EpochSeconds(days) * 86_400)

        // Howard Hinnant's civil_from_days.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var text = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                text[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(year, at: 0, width: 4)
        put(month, at: 5, width: 2)
        put(day, at: 8, width: 2)
        put(secondOfDay / 3600, at: 11, width: 2)
        put(secondOfDay / 60 % 60, at: 14, width: 2)
        put(secondOfDay % 60, at: 17, width: 2)
        let separators: [(Int, Unicode.Scalar)] = [
            (4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z"),
        ]
        for (offset, separator) in separators { text[offset] = UInt8(ascii: separator) }
        return String(decoding: text, as: UTF8.self)
    }
}
