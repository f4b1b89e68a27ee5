/// Parsers for the textual forms of durations and sizes used by flags, variables and the file.
enum ConfigurationValues {
    /// `1s`, `500ms`, `30d`, `1h30m`, `2w`; units ns, us, µs, ms, s, m, h, d, w.
    static func duration(_ text: String) -> Duration? {
        var total: Duration = .zero
        var number = ""
        var unit = ""
        var sawAny = false
        func commit() -> Bool {
            guard let n = Int64(number) else { return false }
            let scale: Duration
            switch unit {
            case "ns": scale = .nanoseconds(1)
            case "us", "µs": scale = .microseconds(1)
            case "ms": scale = .milliseconds(1)
            case "s": scale = .seconds(1)
            case "m": scale = .seconds(60)
            case "h": scale = .seconds(3600)
            case "d": scale = .seconds(86_400)
            case "w": scale = .seconds(7 * 86_400)
            default: return false
            }
            total += scale * n
            number = ""
            unit = ""
            sawAny = true
            return true
        }
        for ch in text.trimmingSpaces {
            if ch.isASCII && ch.isNumber {
                if !unit.isEmpty { guard commit() else { return nil } }
                number.append(ch)
            } else {
                guard !number.isEmpty else { return nil }
                unit.append(ch)
            }
        }
        guard !number.isEmpty, commit(), sawAny else { return nil }
        return total
    }

    /// A retention: a duration, or `0`/`inf`/`infinite`/`none` for keeping data forever (nil).
    static func retention(_ text: String) -> Duration?? {
        switch text.trimmingSpaces.lowercased() {
        case "0", "inf", "infinite", "none", "": return .some(nil)
        default: return duration(text).map { .some($0) }
        }
    }

    /// Bytes: `8388608`, `8M`, `8MiB`, `512k`, `1G` (binary multiples).
    static func size(_ text: String) -> Int? {
        let t = text.trimmingSpaces
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits) else { return nil }
        let multiplier: Int
        switch t.dropFirst(digits.count).lowercased() {
        case "", "b": multiplier = 1
        case "k", "kb", "kib": multiplier = 1 << 10
        case "m", "mb", "mib": multiplier = 1 << 20
        case "g", "gb", "gib": multiplier = 1 << 30
        default: return nil
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// The collectd queue bound in bytes: a size with a unit (`64MiB`, `512k`) is bytes; a plain
    /// number counts values (each takes `ColumnBatch.bytesPerRow` bytes in the queue).
    static func queueSize(_ text: String) -> Int? {
        let t = text.trimmingSpaces
        if let values = Int(t) {
            let (bytes, overflow) = values.multipliedReportingOverflow(by: 24)
            return values > 0 && !overflow ? bytes : nil
        }
        guard let bytes = size(t), bytes > 0 else { return nil }
        return bytes
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    static func boolean(_ text: String) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// A duration in (fractional) seconds.
    static func seconds(_ d: Duration) -> Double {
        let (seconds, attos) = d.components
        return Double(seconds) + Double(attos) / 1e18
    }

    /// Whole nanoseconds of a duration (saturating).
    static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attos) = d.components
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : ns + attos / 1_000_000_000
    }
}
