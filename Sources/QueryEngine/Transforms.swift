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
        case "derivative", "non_negative_derivative", "difference", "non_negative_difference", "elapsed":
            // The name is looked at once, not per point (a string comparison per point was 1 % of
            // a host panel's server CPU).
            let elapsedCall = call.name == "elapsed"
            let differenceCall = call.name == "difference" || call.name == "non_negative_difference"
            let nonNegative = call.name.hasPrefix("non_negative_")
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
                } else if differenceCall {
                    let d = subtract(p.value, q.value)
                    if nonNegative, let x = d.double, x < 0 { continue }
                    out.append(TimedValue(p.time, d))
                } else {
                    guard let a = p.value.double, let b = q.value.double else { continue }
                    let diff = a - b
                    var elapsed = p.time &- q.time
                    if !ascending { elapsed = -elapsed }
                    let v = diff / (Double(elapsed) / Double(unit))
                    if nonNegative && diff < 0 { continue }
                    out.append(TimedValue(p.time, .float(v)))
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
