/// Conversions between collectd's time representations and nanoseconds.
///
/// collectd's `cdtime_t` counts units of 2^-30 seconds; the high-resolution parts
/// (time_hr, interval_hr) carry it directly, the old parts carry whole seconds.
public enum CollectdTime {
    private static let nanosPerSecond: UInt64 = 1_000_000_000

    /// Nanoseconds from a `cdtime_t` value, rounded to nearest.
    @inline(__always)
    public static func nanoseconds(fromHighResolution raw: UInt64) -> Int64 {
        let seconds = raw >> 30
        let fraction = raw & 0x3FFF_FFFF
        let nanos = (fraction &* nanosPerSecond &+ (1 << 29)) >> 30
        return Int64(truncatingIfNeeded: seconds &* nanosPerSecond &+ nanos)
    }

    /// Nanoseconds from whole seconds (the plain time and interval parts).
    @inline(__always)
    public static func nanoseconds(fromSeconds seconds: UInt64) -> Int64 {
        Int64(truncatingIfNeeded: seconds &* nanosPerSecond)
    }

    /// A `cdtime_t` value from nanoseconds, rounded to nearest; negative times map to 0.
    @inline(__always)
    public static func highResolution(fromNanoseconds nanos: Int64) -> UInt64 {
        guard nanos > 0 else { return 0 }
        let n = UInt64(nanos)
        let seconds = n / nanosPerSecond
        let fraction = n % nanosPerSecond
        return (seconds << 30) | (((fraction << 30) + nanosPerSecond / 2) / nanosPerSecond)
    }
}
