import Foundation

/// A point in time given on the command line (`--since`): an RFC 3339 time
/// (`2024-05-01T00:00:00Z`, fractions and offsets allowed), a duration back from now (`7d`,
/// `12h`, `90m`), or nanoseconds since the epoch (a plain integer, as `epoch=ns` prints them).
enum TimeArgument {
    /// Nanoseconds since the epoch, or nil when `text` is none of the forms above.
    static func nanoseconds(_ text: String, now: Int64) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int64(trimmed) { return plain }
        if let ago = ConfigurationValues.duration(trimmed) {
            let (seconds, attoseconds) = ago.components
            return now - seconds * 1_000_000_000 - attoseconds / 1_000_000_000
        }
        return rfc3339(trimmed)
    }

    /// Parses RFC 3339 with or without fractional seconds, to the nanosecond.
    static func rfc3339(_ text: String) -> Int64? {
        // The fraction is parsed here: ISO8601DateFormatter keeps only milliseconds.
        var whole = text
        var fraction: Int64 = 0
        if let dot = text.firstIndex(of: "."), let end = text[dot...].firstIndex(where: { !$0.isNumber && $0 != "." }) {
            let digits = String(text[text.index(after: dot)..<end].prefix(9))
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            fraction = value * Int64(pow(10, Double(9 - digits.count)))
            whole = String(text[..<dot]) + String(text[end...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: whole) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded()) * 1_000_000_000 + fraction
    }

    /// RFC 3339 in UTC with as many fraction digits as needed (`2024-05-01T00:00:00.5Z`).
    static func format(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds.quotientFloor(1_000_000_000)
        let rest = nanoseconds - seconds * 1_000_000_000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        if rest != 0 {
            var digits = String(rest)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text = String(text.dropLast()) + "." + digits + "Z"
        }
        return text
    }

    /// Now, in nanoseconds since the epoch.
    static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func quotientFloor(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
