/// InfluxQL duration literals: parsing (`1h30m`, `200ms`, `5µ`) and canonical formatting.
public enum InfluxDuration {
    static let microsecond: Int64 = 1_000
    static let millisecond: Int64 = 1_000_000
    static let second: Int64 = 1_000_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour
    static let week: Int64 = 7 * day

    /// Parses a duration literal into nanoseconds with InfluxDB's rules: one or more
    /// `<digits><unit>` groups, units `ns`, `u`/`µ`, `ms`, `s`, `m`, `h`, `d`, `w`.
    /// Arithmetic wraps like InfluxDB's (Go's) does; a wrapped negative total is an error.
    /// - Throws: `invalid duration` or `overflowed duration …` (no position, as InfluxDB).
    public static func parse(_ s: String) throws(ParseError) -> Int64 {
        let a = Array(s.unicodeScalars).map(\.value)
        guard a.count >= 2 else { throw ParseError.bare("invalid duration") }
        var i = 0
        var isNegative = false
        if a[0] == 45 {
            isNegative = true
            i += 1
        }
        var d: Int64 = 0
        while i < a.count {
            let start = i
            while i < a.count && CharClass.isDigit(a[i]) { i += 1 }
            guard i < a.count, i != start else { throw ParseError.bare("invalid duration") }
            var measure: Int64 = 0
            for k in start..<i {
                let (m, o1) = measure.multipliedReportingOverflow(by: 10)
                let (v, o2) = m.addingReportingOverflow(Int64(a[k] - 48))
                if o1 || o2 { throw ParseError.bare("invalid duration") }
                measure = v
            }
            let twoLetter = i + 1 < a.count && a[i + 1] == 115 // "s"
            let unit: Int64
            switch a[i] {
            case 110: // n
                guard twoLetter else { throw ParseError.bare("invalid duration") }
                unit = 1
                i += 1
            case 117, CharClass.micro: unit = microsecond
            case 109: // m
                if twoLetter {
                    unit = millisecond
                    i += 1
                } else {
                    unit = minute
                }
            case 115: unit = second
            case 104: unit = hour
            case 100: unit = day
            case 119: unit = week
            default: throw ParseError.bare("invalid duration")
            }
            d = d &+ measure &* unit
            i += 1
        }
        if d < 0 && !isNegative {
            throw ParseError.bare("overflowed duration \(s): choose a smaller duration or INF")
        }
        return isNegative ? 0 &- d : d
    }

    /// InfluxDB's canonical rendering: the largest unit that divides exactly (`90m` → `90m`,
    /// `7d` → `1w`, `0` → `0s`), negative values with a leading `-`.
    public static func format(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let units: [(Int64, String)] = [
            (week, "w"), (day, "d"), (hour, "h"), (minute, "m"), (second, "s"),
            (millisecond, "ms"), (microsecond, "u"),
        ]
        for (size, name) in units where d % size == 0 {
            return "\(d / size)\(name)"
        }
        return "\(d)ns"
    }
}
