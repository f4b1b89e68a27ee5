/// The `epoch` query parameter: how result timestamps are written (absent = RFC3339Nano strings).
public enum Epoch: String, Sendable, CaseIterable {
    case ns = "ns"
    case u = "u"
    case ms = "ms"
    case s = "s"
    case m = "m"
    case h = "h"

    /// Parses the parameter as InfluxDB 1.6 does: `u`, `ms`, `s`, `m`, `h` select their unit and
    /// any other non-empty text (`ns`, `n`, even `µ` or `us`) means nanoseconds; nil when empty.
    public init?(parameter: String) {
        switch parameter {
        case "": return nil
        case "u": self = .u
        case "ms": self = .ms
        case "s": self = .s
        case "m": self = .m
        case "h": self = .h
        default: self = .ns
        }
    }

    /// Nanoseconds per unit.
    public var nanoseconds: Int64 {
        switch self {
        case .ns: 1
        case .u: 1_000
        case .ms: 1_000_000
        case .s: 1_000_000_000
        case .m: 60_000_000_000
        case .h: 3_600_000_000_000
        }
    }

    /// A nanosecond timestamp in this unit, truncated toward zero as Go's integer division does.
    public func convert(_ ns: Int64) -> Int64 { ns / nanoseconds }
}
