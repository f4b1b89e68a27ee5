import QueryEngine

/// The `Date` header's text (RFC 9110 IMF-fixdate, `Tue, 01 Dec 2026 19:58:06 GMT`), formatted
/// once per second of the clock.
struct HTTPDate {
    private var second = Int.min
    private var text = ""

    /// The current second's text.
    mutating func now() -> String {
        let s = Int(InfluxHTTPService.wallClock() / 1_000_000_000)
        if s != second {
            second = s
            text = Self.format(s)
        }
        return text
    }

    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since the epoch as IMF-fixdate (proleptic Gregorian, UTC).
    static func format(_ seconds: Int) -> String {
        let dayNumber = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - dayNumber * 86_400
        let (y, m, d) = TimeFormat.civil(fromDays: Int64(dayNumber))
        let (year, month, day) = (Int(y), Int(m), Int(d))
        let weekday = ((dayNumber % 7) + 7) % 7
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var year4 = "\(year)"
        while year4.count < 4 { year4 = "0" + year4 }
        return "\(days[weekday]), \(two(day)) \(months[month - 1]) \(year4) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) GMT"
    }
}
