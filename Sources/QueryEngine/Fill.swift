import InfluxQL

/// Fills empty GROUP BY time() buckets of one aggregate stream, as InfluxDB's fill iterator does.
enum Filler {
    /// - Parameters:
    ///   - points: one value per non-empty bucket, times are bucket starts, ascending.
    ///   - buckets: every bucket start of the range, ascending.
    ///   - isCount: `count()` fills empty buckets with 0 under fill(null), as InfluxDB does.
    static func fill(_ points: [TimedValue], buckets: StrideThrough<Int64>, mode: Fill, isCount: Bool, integerStream: Bool) -> [TimedValue] {
        if case .none = mode { return points }
        var out: [TimedValue] = []
        var i = 0
        var previous: ResultValue = .null
        for b in buckets {
            while i < points.count && points[i].time < b { i += 1 }
            if i < points.count && points[i].time == b {
                // A bucket may hold a null (stddev of one point); it still counts as present.
                var j = i
                while j < points.count && points[j].time == b {
                    out.append(points[j])
                    if !points[j].value.isNull { previous = points[j].value }
                    j += 1
                }
                i = j
                continue
            }
            let value: ResultValue
            switch mode {
            case .null: value = isCount ? .integer(0) : .null
            case .none: value = .null
            case .previous: value = previous
            case .integer(let n): value = integerStream ? .integer(n) : .float(Double(n))
            case .number(let x): value = integerStream ? .integer(Int64(x)) : .float(x)
            case .linear: value = interpolate(at: b, points: points, next: i, integer: integerStream)
            }
            out.append(TimedValue(b, value))
        }
        return out
    }

    private static func interpolate(at t: Int64, points: [TimedValue], next: Int, integer: Bool) -> ResultValue {
        guard next > 0, next < points.count else { return .null }
        var p = next - 1
        while p >= 0 && points[p].value.isNull { p -= 1 }
        var n = next
        while n < points.count && points[n].value.isNull { n += 1 }
        guard p >= 0, n < points.count, let a = points[p].value.double, let b = points[n].value.double else { return .null }
        let t0 = points[p].time, t1 = points[n].time
        if integer, case .integer(let ia) = points[p].value, case .integer(let ib) = points[n].value {
            return .integer(((ib &- ia) / (t1 &- t0)) &* (t &- t0) &+ ia)
        }
        let slope = (b - a) / Double(t1 &- t0)
        return .float(slope * Double(t &- t0) + a)
    }
}
