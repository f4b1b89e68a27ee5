/// GROUP BY time() bucketing as InfluxDB aligns it: buckets start at multiples of the
/// interval since the epoch, shifted by the offset; with `tz()`, at multiples of the interval
/// in the zone's wall-clock time (see Window+Zone.swift).
struct Window: Sendable, Hashable {
    /// Bucket length in ns; 0 means a single bucket spanning the whole range.
    var interval: Int64
    /// Offset in ns, normalised into [0, interval).
    var offset: Int64
    /// The zone of `tz()`; nil for UTC (InfluxDB's UTC location shifts nothing either).
    var zone: ZoneInfo?
    /// The offset as InfluxDB keeps it, `offset % interval` with its sign: the same buckets
    /// without a zone, but a negative one moves the instants whose offset a zone's buckets use.
    var signedOffset: Int64 = 0

    init(interval: Int64, offset: Int64 = 0, zone: ZoneInfo? = nil) {
        self.interval = interval
        if interval > 0 {
            var o = offset % interval
            if o < 0 { o += interval }
            self.offset = o
            signedOffset = offset % interval
        } else {
            self.offset = 0
        }
        self.zone = zone.flatMap { $0 == .utc ? nil : $0 }
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
        if let zone { return zoned(t, zone).start }
        var m = (t &- offset) % interval
        if m < 0 { m += interval }
        // Near Int64.min the bucket start is not representable: clamp instead of wrapping.
        let (s, overflow) = t.subtractingReportingOverflow(m)
        return overflow ? Int64.min : s
    }

    /// End (exclusive) of the bucket holding `t`.
    func end(of t: Int64) -> Int64 {
        guard interval > 0 else { return Int64.max }
        if let zone { return zoned(t, zone).end }
        return start(of: t) &+ interval
    }

    /// Bucket starts covering [min, max] in ascending order (empty for an empty range), as
    /// InfluxDB's fill iterator steps through them.
    func buckets(min: Int64, max: Int64) -> [Int64] {
        var out: [Int64] = []
        var stepper = BucketStepper(self, from: min, to: max, ascending: true)
        while let b = stepper.next() { out.append(b) }
        return out
    }
}
