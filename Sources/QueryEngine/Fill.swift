import InfluxQL

/// Fills empty GROUP BY time() buckets of one aggregate stream, as InfluxDB's fill iterator does.
enum Filler {
    /// InfluxDB's fill iterator over one stream: it walks the bucket times (`BucketStepper`) in
    /// the statement's order beside the points, emitting each point and a filled point for each
    /// bucket time no point reached.
    /// - Parameters:
    ///   - points: one value per non-empty bucket, times are bucket starts, ascending.
    ///   - from, through: the range whose buckets are filled.
    ///   - isCount: `count()` fills empty buckets with 0 under fill(null), as InfluxDB does.
    ///   - ascending: false walks newest first (ORDER BY time DESC); the answer stays ascending.
    static func fill(_ points: [TimedValue], window: Window, from: Int64, through: Int64, mode: Fill,
                     isCount: Bool, integerStream: Bool, ascending: Bool = true) -> [TimedValue] {
        if ascending && window.zone == nil, let constant = constantFill(mode, isCount: isCount, integerStream: integerStream) {
            return fillConstant(points, interval: window.interval, first: window.start(of: from), last: window.start(of: through),
                                value: constant)
        }
        return fillStepping(points, window: window, from: from, through: through, mode: mode, isCount: isCount,
                            integerStream: integerStream, ascending: ascending)
    }

    /// `fill` by InfluxDB's walk for every mode, zone and order (`fillConstant` is its shortcut).
    static func fillStepping(_ points: [TimedValue], window: Window, from: Int64, through: Int64, mode: Fill,
                             isCount: Bool, integerStream: Bool, ascending: Bool) -> [TimedValue] {
        if case .none = mode { return points }
        let input = ascending ? points : points.reversed()
        var stepper = BucketStepper(window, from: ascending ? from : through, to: ascending ? through : from, ascending: ascending)
        var out: [TimedValue] = []
        out.reserveCapacity(Swift.max(points.count, 16))
        var previous: TimedValue?
        var i = 0
        while true {
            let time = stepper.time
            if stepper.overflowed {
                out += input[i...]
                break
            }
            if i < input.count {
                let p = input[i]
                if ascending ? p.time <= time : p.time >= time {
                    out.append(p)
                    previous = p
                    i += 1
                    stepper.advance()
                    continue
                }
            } else if !stepper.inRange {
                break
            }
            let value: ResultValue
            switch mode {
            case .null: value = isCount ? .integer(0) : .null
            case .none: value = .null
            case .previous: value = previous?.value ?? .null
            case .integer(let n): value = integerStream ? .integer(n) : .float(Double(n))
            case .number(let x): value = integerStream ? .integer(Int64(x)) : .float(x)
            case .linear:
                value = interpolate(at: time, previous: previous, next: i < input.count ? input[i] : nil, interval: window.interval)
            }
            out.append(TimedValue(time, value))
            stepper.advance()
        }
        return ascending ? out : out.reversed()
    }

    /// The value every empty bucket gets, for the modes that need no neighbour.
    private static func constantFill(_ mode: Fill, isCount: Bool, integerStream: Bool) -> ResultValue? {
        switch mode {
        case .null: isCount ? .integer(0) : .null
        case .integer(let n): integerStream ? .integer(n) : .float(Double(n))
        case .number(let x): integerStream ? .integer(Int64(x)) : .float(x)
        case .none, .previous, .linear: nil
        }
    }

    /// `fill` ascending without a zone, each empty bucket given `value`: the same walk over
    /// plain bucket times, the points read in place. The general walk (a stepper that looks for
    /// a zone at every bucket, the previous point kept for fill(previous)) cost 140 instructions
    /// a point on a host panel.
    private static func fillConstant(_ points: [TimedValue], interval: Int64, first: Int64, last: Int64,
                                     value: ResultValue) -> [TimedValue] {
        var out: [TimedValue] = []
        let span = last.subtractingReportingOverflow(first)
        let buckets = span.overflow || span.partialValue < 0 ? 0 : span.partialValue / interval
        out.reserveCapacity(Swift.max(points.count, Int(Swift.min(buckets, Int64(Window.maxBuckets))) + 1, 16))
        points.withUnsafeBufferPointer { input in
            var time = first
            var i = 0
            // Past the last bucket only while points are left (a point beyond the range still
            // gets the empty buckets before it, as the general walk gives them).
            while i < input.count || time <= last {
                if i < input.count && input[i].time <= time {
                    out.append(input[i])
                    i += 1
                } else {
                    out.append(TimedValue(time, value))
                }
                let (next, overflow) = time.addingReportingOverflow(interval)
                if overflow {
                    // The next time would not fit: the points left go as they are.
                    out.append(contentsOf: input[i...])
                    break
                }
                time = next
            }
        }
        return out
    }

    /// InfluxDB's `linearFloat`/`linearInteger` over times divided by the interval (so buckets of
    /// a day count as one step whatever their length in a zone).
    private static func interpolate(at t: Int64, previous: TimedValue?, next: TimedValue?, interval: Int64) -> ResultValue {
        guard let previous, !previous.value.isNull, let next else { return .null }
        let x = t / interval, x0 = previous.time / interval, x1 = next.time / interval
        if case .integer(let a) = previous.value {
            let b: Int64
            if case .integer(let n) = next.value { b = n } else { b = 0 }
            guard x1 != x0 else { return .null }
            return .integer(((b &- a) / (x1 &- x0)) &* (x &- x0) &+ a)
        }
        guard let a = previous.value.double else { return .null }
        let b = next.value.double ?? 0
        let slope = (b - a) / Double(x1 &- x0)
        return .float(slope * Double(x &- x0) + a)
    }
}
