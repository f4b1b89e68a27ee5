/// The POSIX TZ string at the end of a TZif file (`PST8PDT,M3.2.0,M11.1.0`): the offsets of
/// instants after the last transition, computed as Go's `tzset` does.
struct PosixZoneRule: Sendable, Hashable {
    /// Offsets east of UTC in seconds.
    var standard: Int64
    var daylight: Int64?
    var start = Rule(kind: .monthWeekDay, day: 0, week: 2, month: 3, time: 7200)
    var end = Rule(kind: .monthWeekDay, day: 0, week: 1, month: 11, time: 7200)

    struct Rule: Sendable, Hashable {
        enum Kind: Sendable, Hashable { case julian, dayOfYear, monthWeekDay }
        var kind: Kind
        var day: Int64
        var week: Int64 = 0
        var month: Int64 = 0
        /// Local time of day of the change, in seconds.
        var time: Int64 = 7200
    }

    /// nil when the text is not a rule Go accepts.
    init?(_ text: String) {
        var s = Substring(text)
        guard Self.name(&s), let std = Self.offset(&s) else { return nil }
        standard = -std
        if s.isEmpty || s.first == "," {
            // A fixed offset (what follows a comma without a daylight name is ignored, as Go does).
            daylight = nil
            return
        }
        guard Self.name(&s) else { return nil }
        if s.isEmpty || s.first == "," {
            daylight = standard + 3600
        } else {
            guard let d = Self.offset(&s) else { return nil }
            daylight = -d
        }
        if s.isEmpty { return }
        guard s.first == "," || s.first == ";" else { return nil }
        s.removeFirst()
        guard let a = Self.rule(&s), s.first == "," else { return nil }
        s.removeFirst()
        guard let b = Self.rule(&s), s.isEmpty else { return nil }
        start = a
        end = b
    }

    /// The offset at `seconds` with the span it holds in (the span is the year's part around
    /// a change, as Go reports it).
    func lookup(_ seconds: Int64, lastTransition: Int64 = Int64.min) -> (offset: Int64, start: Int64, end: Int64)? {
        guard let daylight else { return (standard, lastTransition, Int64.max) }
        var days = seconds / 86_400
        if seconds % 86_400 < 0 { days -= 1 }
        let year = TimeFormat.civil(fromDays: days).0
        let yearStart = TimeFormat.days(year: year, month: 1, day: 1)
        let ysec = (days - yearStart) * 86_400 + seconds % 86_400
        let abs = yearStart * 86_400
        var startSec = Self.time(year, start, standard)
        var endSec = Self.time(year, end, daylight)
        var std = standard, dst = daylight
        if endSec < startSec {
            swap(&startSec, &endSec)
            swap(&std, &dst)
        }
        if ysec < startSec { return (std, abs, startSec + abs) }
        if ysec >= endSec { return (std, endSec + abs, abs + 365 * 86_400) }
        return (dst, startSec + abs, endSec + abs)
    }

    /// Seconds from the start of `year` (UTC) to the rule's change (Go's `tzruleTime`).
    static func time(_ year: Int64, _ r: Rule, _ offset: Int64) -> Int64 {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        var s: Int64
        switch r.kind {
        case .julian:
            s = (r.day - 1) * 86_400
            if leap && r.day >= 60 { s += 86_400 }
        case .dayOfYear:
            s = r.day * 86_400
        case .monthWeekDay:
            let first = TimeFormat.days(year: year, month: r.month, day: 1)
            // 1970-01-01 was a Thursday (4).
            var dow = (first + 4) % 7
            if dow < 0 { dow += 7 }
            var d = r.day - dow
            if d < 0 { d += 7 }
            let monthDays = TimeFormat.days(year: r.month == 12 ? year + 1 : year, month: r.month == 12 ? 1 : r.month + 1, day: 1) - first
            var i: Int64 = 1
            while i < r.week {
                if d + 7 >= monthDays { break }
                d += 7
                i += 1
            }
            s = (first - TimeFormat.days(year: year, month: 1, day: 1) + d) * 86_400
        }
        return s + r.time - offset
    }

    /// A zone abbreviation: `<…>` or three or more letters.
    private static func name(_ s: inout Substring) -> Bool {
        if s.first == "<" {
            guard let close = s.firstIndex(of: ">") else { return false }
            s = s[s.index(after: close)...]
            return true
        }
        var n = 0
        while let c = s.first, !(c.isNumber || c == "," || c == "-" || c == "+") {
            s.removeFirst()
            n += 1
        }
        return n >= 3
    }

    /// `[+-]hh[:mm[:ss]]` in seconds (west of UTC positive, as POSIX writes it).
    private static func offset(_ s: inout Substring) -> Int64? {
        var sign: Int64 = 1
        if s.first == "+" { s.removeFirst() } else if s.first == "-" { sign = -1; s.removeFirst() }
        var total: Int64 = 0
        for (i, limit) in [(0, 24 * 7), (1, 59), (2, 59)] {
            if i > 0 {
                guard s.first == ":" else { break }
                s.removeFirst()
            }
            guard let v = number(&s), v <= limit else { return nil }
            total += v * (i == 0 ? 3600 : i == 1 ? 60 : 1)
        }
        return sign * total
    }

    /// `Jn`, `n` or `Mm.w.d`, then `[/time]`.
    private static func rule(_ s: inout Substring) -> Rule? {
        var r: Rule
        if s.first == "J" {
            s.removeFirst()
            guard let d = number(&s), d >= 1, d <= 365 else { return nil }
            r = Rule(kind: .julian, day: d)
        } else if s.first == "M" {
            s.removeFirst()
            guard let m = number(&s), m >= 1, m <= 12, s.first == "." else { return nil }
            s.removeFirst()
            guard let w = number(&s), w >= 1, w <= 5, s.first == "." else { return nil }
            s.removeFirst()
            guard let d = number(&s), d <= 6 else { return nil }
            r = Rule(kind: .monthWeekDay, day: d, week: w, month: m)
        } else {
            guard let d = number(&s), d <= 365 else { return nil }
            r = Rule(kind: .dayOfYear, day: d)
        }
        if s.first == "/" {
            s.removeFirst()
            guard let t = offset(&s) else { return nil }
            r.time = t
        }
        return r
    }

    private static func number(_ s: inout Substring) -> Int64? {
        var v: Int64 = 0
        var n = 0
        while let c = s.first, let d = c.wholeNumberValue, c.isASCII {
            v = v * 10 + Int64(d)
            n += 1
            s.removeFirst()
            if v > 1_000_000 { return nil }
        }
        return n > 0 ? v : nil
    }
}
