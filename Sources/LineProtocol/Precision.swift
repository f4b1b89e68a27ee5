/// Timestamp unit of a line-protocol body (`precision=` on /write).
public enum Precision: String, Sendable, Hashable, CaseIterable {
    case ns = "n"
    case us = "u"
    case ms
    case s
    case m
    case h

    /// `precision=` of `/write` as InfluxDB 1.6 reads it: `n`, `u`, `ms`, `s`, `m`, `h`; nil for
    /// anything else, which InfluxDB reads as nanoseconds (`ns`, `us` and `µ` included).
    public init?(parameter: String) {
        switch parameter {
        case "n": self = .ns
        case "u": self = .us
        case "ms": self = .ms
        case "s": self = .s
        case "m": self = .m
        case "h": self = .h
        default: return nil
        }
    }

    /// Nanoseconds per unit.
    public var nanoseconds: Int64 {
        switch self {
        case .ns: 1
        case .us: 1_000
        case .ms: 1_000_000
        case .s: 1_000_000_000
        case .m: 60_000_000_000
        case .h: 3_600_000_000_000
        }
    }

    /// `value` units in nanoseconds, nil on overflow.
    public func scale(_ value: Int64) -> Int64? {
        let (product, overflow) = value.multipliedReportingOverflow(by: nanoseconds)
        return overflow ? nil : product
    }

    /// `time` (ns) cut down to a whole number of units (towards minus infinity).
    public func truncate(_ time: Int64) -> Int64 {
        let unit = nanoseconds
        var q = time / unit
        if time % unit != 0 && time < 0 { q -= 1 }
        return q * unit
    }
}
