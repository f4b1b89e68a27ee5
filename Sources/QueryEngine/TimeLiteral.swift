import InfluxQL

/// Evaluates the time side of WHERE comparisons (`now() - 1h`, `1700000000000ms`, `'2023-11-14T22:13:20Z'`).
enum TimeLiteral {
    /// - Parameter zone: the statement's `tz()`; a time string without an offset is its wall clock.
    static func evaluate(_ e: Expr, now: Int64, zone: ZoneInfo? = nil) throws(QueryError) -> Int64 {
        switch e {
        case .paren(let x): return try evaluate(x, now: now, zone: zone)
        case .duration(let d): return d
        case .integer(let i): return i
        case .number(let d): return Int64(d)
        case .string(let s):
            switch read(s, zone: zone) {
            case .time(let t): return t
            case .notATime: throw QueryError("invalid operation: time and *influxql.StringLiteral are not compatible")
            case .invalid: throw QueryError("invalid timestamp string")
            case .underflow(let text): throw QueryError("time \(text) underflows time literal")
            case .overflow(let text): throw QueryError("time \(text) overflows time literal")
            }
        case .call("now", let args) where args.isEmpty: return now
        case .binary(.add, let a, let b): return try evaluate(a, now: now, zone: zone) &+ evaluate(b, now: now, zone: zone)
        case .binary(.subtract, let a, let b): return try evaluate(a, now: now, zone: zone) &- evaluate(b, now: now, zone: zone)
        default: throw QueryError("invalid time comparison")
        }
    }

    /// What a string compared with `time` is, as InfluxDB 1.6.7 reads it.
    enum Reading: Equatable {
        case time(Int64)
        /// Not shaped like a date (`YYYY-MM-DD` first): compared as a string, which fails.
        case notATime
        /// Shaped like a date but not one of the forms below, or a field out of range.
        case invalid
        /// At or before 1677-09-21T00:12:43.145224194Z, or after 2262-04-11T23:47:16.854775806Z
        /// (InfluxDB 1.6.7's bounds, recorded; the text is the time in RFC 3339 to the second).
        case underflow(String)
        case overflow(String)
    }

    /// Go's `time.Parse` of InfluxDB's forms: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.frac]` (no
    /// zone) and RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`; the hour may have one digit,
    /// the fraction 1 to 9 digits after `.` or `,`; every field within its calendar range.
    /// Without an offset the text is a wall-clock time of `zone` (UTC when nil), resolved as
    /// Go's `time.Date` resolves it.
    static func read(_ text: String, zone: ZoneInfo? = nil) -> Reading {
        let b = Array(text.utf8)
        func digit(_ i: Int) -> Int64? { i < b.count && b[i] >= 48 && b[i] <= 57 ? Int64(b[i] - 48) : nil }
        func num(_ from: Int, _ len: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + len) {
                guard let d = digit(i) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2) else { return .notATime }
        guard (1...12).contains(mo), d >= 1, d <= TimeFormat.daysIn(month: mo, year: y) else { return .invalid }
        var seconds = TimeFormat.days(year: y, month: mo, day: d) * 86_400
        var fraction: Int64 = 0
        var offset: Int64? = nil
        if b.count > 10 {
            let rfc = b[10] == UInt8(ascii: "T")
            guard rfc || b[10] == 32 else { return .invalid }
            var i = 11
            guard let h1 = digit(i) else { return .invalid }
            var h = h1
            i += 1
            if let h2 = digit(i) {
                h = h * 10 + h2
                i += 1
            }
            guard i < b.count, b[i] == 58, let mi = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let sec = num(i + 4, 2) else { return .invalid }
            guard h <= 23, mi <= 59, sec <= 59 else { return .invalid }
            seconds += h * 3600 + mi * 60 + sec
            i += 6
            if i + 1 < b.count, b[i] == 46 || b[i] == 44, digit(i + 1) != nil {
                i += 1
                var digits = 0
                while let v = digit(i), digits < 9 {
                    fraction = fraction * 10 + v
                    digits += 1
                    i += 1
                }
                while digits < 9 { fraction *= 10; digits += 1 }
            }
            if rfc {
                guard i < b.count else { return .invalid }
                if b[i] == UInt8(ascii: "Z") && i + 1 == b.count {
                    offset = 0
                } else {
                    guard b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2),
                          i + 6 == b.count else { return .invalid }
                    offset = (b[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60)
                }
            } else if i != b.count {
                return .invalid
            }
        }
        // `seconds` holds the wall clock: UTC by the written offset, else by `zone`'s.
        let local = seconds
        if let offset {
            seconds -= offset
        } else if let zone {
            seconds = zone.instant(localSeconds: seconds)
        }
        // A fraction below a negative second is taken from the next second, so the instants
        // down to Int64.min are reached without overflowing on the way.
        let (whole, part) = fraction > 0 && seconds < 0 ? (seconds + 1, fraction - 1_000_000_000) : (seconds, fraction)
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        let (t, carry) = scaled.addingReportingOverflow(part)
        if overflow || carry || t <= Window.minTime || t > Window.maxTime {
            let text = TimeFormat.rfc3339(seconds: seconds, offsetSeconds: local - seconds)
            return seconds < 0 ? .underflow(text) : .overflow(text)
        }
        return .time(t)
    }

    /// The instant of a time string, nil when it is not one (see `read`).
    static func parse(_ text: String, zone: ZoneInfo? = nil) -> Int64? {
        if case .time(let t) = read(text, zone: zone) { return t }
        return nil
    }
}
