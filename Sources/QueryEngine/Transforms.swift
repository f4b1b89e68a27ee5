/// Transformations over a stream of non-null points (raw samples or per-bucket aggregates),
/// as InfluxDB 1.x computes them.
enum Transforms {
    /// - Parameters:
    ///   - unit: the derivative/elapsed unit in ns, already defaulted.
    ///   - ascending: false for ORDER BY time DESC (a derivative's time step then counts backwards).
    static func apply(_ call: FunctionCall, _ input: [TimedValue], unit: Int64, ascending: Bool) -> [TimedValue] {
        var out: [TimedValue] = []
        out.reserveCapacity(input.count)
        switch call.name {
        case "derivative", "non_negative_derivative":
            derivative(input, unit: unit, ascending: ascending, nonNegative: call.name == "non_negative_derivative", into: &out)
        case "difference", "non_negative_difference", "elapsed":
            // The name is looked at once, not per point (a string comparison per point was 1 % of
            // a host panel's server CPU).
            let elapsedCall = call.name == "elapsed"
            let nonNegative = call.name == "non_negative_difference"
            var prev: TimedValue?
            for p in input where !p.value.isNull {
                // Several points at one time (joined series): only the first one counts, except
                // for elapsed, which InfluxDB reports as 0 between them.
                if !elapsedCall, let q = prev, q.time == p.time { continue }
                defer { prev = p }
                guard let q = prev else { continue }
                if elapsedCall {
                    // Newest first (ORDER BY time DESC), elapsed times are negative.
                    out.append(TimedValue(p.time, .integer((p.time &- q.time) / unit)))
                } else {
                    let d = subtract(p.value, q.value)
                    if nonNegative, let x = d.double, x < 0 { continue }
                    out.append(TimedValue(p.time, d))
                }
            }
        case "moving_average":
            let n = max(call.count, 1)
            var window: [Double] = []
            window.reserveCapacity(min(n, input.count))
            var pos = 0
            var sum = 0.0
            // A running sum, the oldest value taken out before the newest goes in, as InfluxDB
            // 1.6's reducer keeps it (its rounding differs from summing the window afresh).
            for p in input {
                guard let v = p.value.double else { continue }
                if window.count < n {
                    window.append(v)
                } else {
                    sum -= window[pos]
                    window[pos] = v
                    pos = (pos + 1) % n
                }
                sum += v
                guard window.count == n else { continue }
                out.append(TimedValue(p.time, .float(sum / Double(n))))
            }
        case "cumulative_sum":
            var acc: ResultValue?
            for p in input where !p.value.isNull {
                acc = acc.map { add($0, p.value) } ?? p.value
                out.append(TimedValue(p.time, acc!))
            }
        default:
            break
        }
        return out
    }

    /// (Non-negative) derivative: each point against the previous non-null one, per `unit`. The
    /// points are read in place and their values as doubles once: copying each point and the
    /// previous one (an enum that may hold a string) cost 100 instructions a point on a panel.
    private static func derivative(_ input: [TimedValue], unit: Int64, ascending: Bool, nonNegative: Bool, into out: inout [TimedValue]) {
        var havePrevious = false
        var previousTime: Int64 = 0
        var previousValue: Double?
        input.withUnsafeBufferPointer { points in
            for k in points.indices {
                let time = points[k].time
                let value: Double?
                switch points[k].value {
                case .null: continue
                case .float(let x): value = x
                default: value = points[k].value.double
                }
                // Several points at one time (joined series): only the first one counts.
                if havePrevious && previousTime == time { continue }
                let had = havePrevious, q = previousTime, b = previousValue
                havePrevious = true
                previousTime = time
                previousValue = value
                guard had, let a = value, let b else { continue }
                let diff = a - b
                var elapsed = time &- q
                if !ascending { elapsed = -elapsed }
                let v = diff / (Double(elapsed) / Double(unit))
                if nonNegative && diff < 0 { continue }
                out.append(TimedValue(time, .float(v)))
            }
        }
    }

    static func subtract(_ a: ResultValue, _ b: ResultValue) -> ResultValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return .integer(x &- y)
        case (.unsigned(let x), .unsigned(let y)): return .unsigned(x &- y)
        default:
            guard let x = a.double, let y = b.double else { return .null }
            return .float(x - y)
        }
    }

    static func add(_ a: ResultValue, _ b: ResultValue) -> ResultValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return .integer(x &+ y)
        case (.unsigned(let x), .unsigned(let y)): return .unsigned(x &+ y)
        default:
            guard let x = a.double, let y = b.double else { return .null }
            return .float(x + y)
        }
    }
}
