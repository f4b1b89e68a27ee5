/// RFC 3339 timestamps as Go's `time.RFC3339Nano` prints them (trailing zeros trimmed; `Z`
/// for a zero offset, else `±hh:mm`).
public enum TimeFormat {
    static func rfc3339Nano(_ ns: Int64, into out: inout [UInt8]) {
        rfc3339Nano(ns, offsetSeconds: 0, into: &out)
    }

    /// - Parameter offsetSeconds: the zone's offset east of UTC at `ns`; the wall clock is shown.
    static func rfc3339Nano(_ ns: Int64, offsetSeconds: Int64, into out: inout [UInt8]) {
        let (seconds, nanos) = unix(ns)
        rfc3339(seconds: seconds, nanos: nanos, offsetSeconds: offsetSeconds, into: &out)
    }

    /// Go's `Unix()` and `Nanosecond()` of `ns`: seconds rounded down, nanoseconds 0 ..< 10⁹.
    @inline(__always)
    static func unix(_ ns: Int64) -> (seconds: Int64, nanos: Int64) {
        let nanos = ns % 1_000_000_000
        return nanos < 0 ? (ns / 1_000_000_000 - 1, nanos + 1_000_000_000) : (ns / 1_000_000_000, nanos)
    }

    /// A time given as Unix seconds (any, also beyond what nanoseconds in an Int64 hold) and
    /// nanoseconds, shown at the wall clock `offsetSeconds` east of UTC.
    @inline(__always)
    static func rfc3339(seconds utc: Int64, nanos: Int64, offsetSeconds: Int64, into out: inout [UInt8]) {
        let seconds = utc + offsetSeconds
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        pad(y, 4, &out)
        out.append(UInt8(ascii: "-"))
        pad(m, 2, &out)
        out.append(UInt8(ascii: "-"))
        pad(d, 2, &out)
        out.append(UInt8(ascii: "T"))
        pad(secOfDay / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        pad(secOfDay / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        pad(secOfDay % 60, 2, &out)
        if nanos > 0 {
            var digits = 9
            var frac = nanos
            while frac % 10 == 0 { frac /= 10; digits -= 1 }
            out.append(UInt8(ascii: "."))
            pad(frac, digits, &out)
        }
        if offsetSeconds == 0 {
            out.append(UInt8(ascii: "Z"))
            return
        }
        // Go writes hours and minutes of the offset; seconds of it are dropped.
        let minutes = abs(offsetSeconds) / 60
        out.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        pad(minutes / 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        pad(minutes % 60, 2, &out)
    }

    /// Go's `time.RFC3339` of a time given as Unix seconds, at the wall clock `offsetSeconds`
    /// east of UTC (`Z` when 0).
    static func rfc3339(seconds: Int64, offsetSeconds: Int64) -> String {
        var out: [UInt8] = []
        rfc3339(seconds: seconds, nanos: 0, offsetSeconds: offsetSeconds, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func rfc3339Nano(_ ns: Int64) -> String {
        var out: [UInt8] = []
        rfc3339Nano(ns, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The low `width` decimal digits of |value|, zero-padded, after a `-` when negative; written
    /// in place (an array per call made time formatting the costliest part of a large answer).
    private static func pad(_ value: Int64, _ width: Int, _ out: inout [UInt8]) {
        var v = value < 0 ? -value : value
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var i = start + width - 1
        while i >= start && v > 0 {
            out[i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        }
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days in `month` (1…12) of `year` in the proleptic Gregorian calendar.
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// A proleptic Gregorian date to days since 1970-01-01.
    static func days(year y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
