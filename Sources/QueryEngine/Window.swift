/// GROUP BY time() bucketing as InfluxDB aligns it: buckets start at multiples of the
/// interval since the epoch, shifted by the offset.
struct Window: Sendable, Hashable {
    /// Bucket length in ns; 0 means a single bucket spanning the whole range.
    var interval: Int64
    /// Offset in ns, normalised into [0, interval).
    var offset: Int64

    init(interval: Int64, offset: Int64 = 0) {
        self.interval = interval
        if interval > 0 {
            var o = offset % interval
            if o < 0 { o += interval }
            self.offset = o
        } else {
            self.offset = 0
        }
    }

    var isGrouped: Bool { interval > 0 }

    /// `t - d` clamped to Int64.min instead of wrapping.
    static func back(_ t: Int64, by d: Int64) -> Int64 {
        let (r, overflow) = t.subtractingReportingOverflow(d)
        return overflow ? Int64.min : r
    }

    /// A ceiling on buckets per series, so `GROUP BY time(1ns)` over years cannot exhaust memory.
    static let maxBuckets = 10_000_000

    /// Number of buckets from `first` to `last` (bucket starts), saturating instead of overflowing.
    static func bucketCount(_ first: Int64, _ last: Int64, _ interval: Int64) -> Int {
        guard last >= first else { return 0 }
        let (span, overflow) = last.subtractingReportingOverflow(first)
        if overflow { return Int.max }
        return Int(span / interval) + 1
    }

    /// Start of the bucket holding `t` (floor division, so negative times work too).
    func start(of t: Int64) -> Int64 {
        guard interval > 0 else { return Int64.min }
        var m = (t &- offset) % interval
        if m < 0 { m += interval }
        // Near Int64.min the bucket start is not representable: clamp instead of wrapping.
        let (s, overflow) = t.subtractingReportingOverflow(m)
        return overflow ? Int64.min : s
    }

    /// Bucket starts covering [min, max] in ascending order (empty for an empty range).
    func buckets(min: Int64, max: Int64) -> StrideThrough<Int64> {
        let first = start(of: min)
        let last = start(of: max)
        return stride(from: first, through: first <= last ? last : first &- 1, by: Int64.Stride(interval))
    }
}
