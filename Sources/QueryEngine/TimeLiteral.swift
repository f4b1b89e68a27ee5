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
            guard let t = parse(s, zone: zone) else { throw QueryError("invalid operation: time and *influxql.StringLiteral are not compatible") }
            return t
        case .call("now", let args) where args.isEmpty: return now
        case .binary(.add, let a, let b): return try evaluate(a, now: now, zone: zone) &+ evaluate(b, now: now, zone: zone)
        case .binary(.subtract, let a, let b): return try evaluate(a, now: now, zone: zone) &- evaluate(b, now: now, zone: zone)
        default: throw QueryError("invalid time comparison")
        }
    }

    /// RFC 3339 (with optional fraction and zone), `YYYY-MM-DD HH:MM:SS[.frac]`, or a bare date;
    /// without an offset the text is a wall-clock time of `zone` (UTC when nil), resolved as
    /// Go's `time.Date` resolves it.
    static func parse(_ text: String, zone: ZoneInfo? = nil) -> Int64? {
        func local(_ t: Int64) -> Int64 {
            guard let zone else { return t }
            var s = t / 1_000_000_000, f = t % 1_000_000_000
            if f < 0 { f += 1_000_000_000; s -= 1 }
            return zone.instant(localSeconds: s) * 1_000_000_000 + f
        }
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int64? {
            guard from + len <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + len) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2) else { return nil }
        var t = TimeFormat.days(year: y, month: mo, day: d) * 86_400 * 1_000_000_000
        if b.count == 10 { return local(t) }
        guard b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58, let s = num(17, 2) else { return nil }
        t += (h * 3600 + mi * 60 + s) * 1_000_000_000
        var i = 19
        if i < b.count && b[i] == 46 {
            i += 1
            var frac: Int64 = 0
            var digits = 0
            while i < b.count, b[i] >= 48 && b[i] <= 57 {
                if digits < 9 { frac = frac * 10 + Int64(b[i] - 48); digits += 1 }
                i += 1
            }
            while digits < 9 { frac *= 10; digits += 1 }
            t += frac
        }
        if i == b.count { return local(t) }
        if b[i] == UInt8(ascii: "Z") && i + 1 == b.count { return t }
        guard b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2), i + 6 == b.count else { return nil }
        let offset = (oh * 3600 + om * 60) * 1_000_000_000
        return b[i] == 43 ? t - offset : t + offset
    }
}
