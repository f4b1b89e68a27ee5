/// The zone-aware parts of `Window`, ported from InfluxDB 1.6.7's `IteratorOptions.Window`
/// and its fill iterator, quirks included: a bucket starts at a multiple of the interval in
/// the wall-clock time of the instant being bucketed, moved by the change of offset between
/// that instant and the bucket start when the change is shorter than the interval.
extension Window {
    /// InfluxDB's `MinTime` and `MaxTime`.
    static let minTime = Int64.min + 2
    static let maxTime = Int64.max - 1

    func zoned(_ time: Int64, _ zone: ZoneInfo) -> (start: Int64, end: Int64) {
        let d = interval
        let offset = signedOffset
        let t = time &- offset
        let z = zone.offsetNanos(at: t)
        var dt = (t &+ z) % d
        if dt < 0 { dt += d }
        var start = Self.minTime &+ dt >= t ? Self.minTime : t &- dt
        let o = z &- zone.offsetNanos(at: start)
        if o != 0 && abs(o) < d { start &+= o }
        start &+= offset
        let rest = d &- dt
        var end = Self.maxTime &- rest <= t ? Self.maxTime : t &+ rest
        let endOffset = zone.offsetNanos(at: end)
        let e = z &- endOffset
        if e != 0 && abs(e) < d {
            // Gained time belongs to the bucket before the change; skipped time only moves
            // the end when the change falls inside this bucket.
            if e > 0 || zone.offsetNanos(at: end &+ e) == endOffset { end &+= e }
        }
        return (start, end &+ offset)
    }
}

/// The bucket times InfluxDB's fill iterator walks, ascending or descending: one interval
/// apart, moved by a change of the zone's offset shorter than the interval.
struct BucketStepper {
    let window: Window
    var time: Int64
    let last: Int64
    let ascending: Bool
    var zoneOffset: Int64 = 0
    var done = false
    /// The next time would not fit in Int64.
    var overflowed = false

    /// Buckets from the one holding `from` to the one holding `to` (`from` > `to` when descending).
    init(_ window: Window, from: Int64, to: Int64, ascending: Bool) {
        self.window = window
        self.ascending = ascending
        time = window.start(of: from)
        last = window.start(of: to)
        if let zone = window.zone { zoneOffset = zone.offsetNanos(at: time) }
        done = ascending ? time > last : time < last
    }

    /// The next bucket time, nil past the last.
    mutating func next() -> Int64? {
        guard !done else { return nil }
        let current = time
        advance()
        return current
    }

    /// Moves to the next bucket time; `done` once past the range.
    mutating func advance() {
        let (next, overflow) = ascending ? time.addingReportingOverflow(window.interval) : time.subtractingReportingOverflow(window.interval)
        if overflow { done = true; overflowed = true; return }
        time = next
        if let zone = window.zone {
            let o = zone.offsetNanos(at: time &- 1)
            if o != zoneOffset {
                let diff = zoneOffset &- o
                if abs(diff) < window.interval { time &+= diff }
                zoneOffset = o
            }
        }
        done = ascending ? time > last : time < last
    }

    /// Whether `t` is still within the range (InfluxDB's `window.time <= endTime`).
    var inRange: Bool { !done }
}
