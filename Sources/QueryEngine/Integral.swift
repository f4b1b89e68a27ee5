import TimeSeries

/// `integral()` as InfluxDB 1.x computes it: the trapezium rule over the whole ascending stream,
/// splitting the area at bucket edges by linear interpolation.
enum Integral {
    static func compute(_ samples: [Sample], unit: Int64, window: Window) -> [TimedValue] {
        var out: [TimedValue] = []
        var havePrev = false
        var prevTime: Int64 = 0
        var prevValue = 0.0
        var windowStart: Int64 = 0
        var windowEnd: Int64 = 0
        var sum = 0.0
        let u = Double(unit)
        for s in samples {
            guard let v = s.value.doubleValue else { continue }
            if !havePrev {
                havePrev = true
                prevTime = s.time
                prevValue = v
                if window.isGrouped {
                    windowStart = window.start(of: s.time)
                    windowEnd = window.end(of: s.time)
                }
                continue
            }
            if prevTime == s.time {
                prevValue = v
                continue
            }
            if window.isGrouped && s.time >= windowEnd {
                if prevTime != windowEnd {
                    let slope = (v - prevValue) / Double(s.time &- prevTime)
                    let edge = slope * Double(windowEnd &- prevTime) + prevValue
                    sum += 0.5 * (edge + prevValue) * (Double(windowEnd &- prevTime) / u)
                    prevValue = edge
                    prevTime = windowEnd
                }
                out.append(TimedValue(windowStart, .float(sum)))
                windowStart = window.start(of: s.time)
                windowEnd = window.end(of: s.time)
                sum = 0
            }
            sum += 0.5 * (v + prevValue) * (Double(s.time &- prevTime) / u)
            prevTime = s.time
            prevValue = v
        }
        if havePrev && prevTime != windowStart {
            out.append(TimedValue(windowStart, .float(sum)))
        }
        return out
    }
}
