import InfluxQL
import TimeSeries

/// Computes the columns of an aggregate SELECT for one group and joins them into rows.
struct AggregateEvaluator {
    /// The statement's plan, shared by the evaluators of all its groups: a plan is a large value,
    /// and copying it into every group's evaluator (and every closure that captures one) cost a
    /// retain and a release per field and group.
    final class SharedPlan: Sendable {
        let plan: SelectPlan
        init(_ plan: SelectPlan) { self.plan = plan }
    }

    let shared: SharedPlan
    var plan: SelectPlan { _read { yield shared.plan } }
    let start: Int64
    let end: Int64
    /// The time shown for ungrouped aggregates: the range start, or the epoch when unbounded.
    let startTime: Int64

    init(plan: SelectPlan, condition: Condition, now: Int64, dataMin: Int64) {
        self.init(shared: SharedPlan(plan), condition: condition, now: now, dataMin: dataMin)
    }

    init(shared: SharedPlan, condition: Condition, now: Int64, dataMin: Int64) {
        self.shared = shared
        let plan = shared.plan
        if condition.hasMin {
            start = condition.min
        } else {
            start = plan.window.isGrouped ? (dataMin == Int64.max ? now : dataMin) : Int64.min
        }
        end = condition.hasMax ? condition.max : (plan.window.isGrouped ? now : Int64.max)
        startTime = condition.hasMin ? condition.min : 0
    }

    mutating func rows(_ data: [String: FieldData]) throws(QueryError) -> ResultRows {
        if start > end { return .cells([]) }
        if plan.window.isGrouped {
            let extended = start.subtractingReportingOverflow(plan.window.interval)
            var lo = extended.overflow ? Int64.min : extended.partialValue, hi = end
            if case .none = plan.fill {
                lo = data.values.compactMap(\.minTime).min() ?? start
                hi = Swift.min(end, data.values.compactMap(\.maxTime).max() ?? end)
                lo = Swift.max(lo, extended.overflow ? Int64.min : extended.partialValue)
            }
            let n = Window.bucketCount(plan.window.start(of: lo), plan.window.start(of: hi), plan.window.interval)
            if n > Window.maxBuckets { throw QueryError("max-select-buckets limit exceeded: (\(n)/\(Window.maxBuckets))") }
        }
        // A group without any sample in range is left out (fill would otherwise invent rows).
        if !data.values.contains(where: { $0.hasSamples(from: lower(start), through: end) }) { return .cells([]) }
        var streams = plan.columns.map { stream($0, data, from: start, outermost: true) }
        for i in streams.indices { streams[i] = trimmed(streams[i]) }
        if streams.allSatisfy(\.isEmpty) { return .cells([]) }
        if streams.count == 1 {
            // One column (a panel's statement): the join below would give its points in order,
            // one row each; they are the rows as they are.
            return .timed(streams[0])
        }
        // Join columns on time as InfluxDB's emitter does: each row takes the next point of
        // every column whose head has the smallest time.
        var heads = [Int](repeating: 0, count: streams.count)
        var rows: [[ResultValue]] = []
        rows.reserveCapacity(streams.reduce(0) { Swift.max($0, $1.count) })
        while true {
            var t = Int64.max
            var any = false
            // Indices, not `enumerated()`: that copies (retains and releases) each stream per row.
            for i in streams.indices where heads[i] < streams[i].count {
                t = min(t, streams[i][heads[i]].time)
                any = true
            }
            if !any { break }
            // One allocation per row: reserved before the first element goes in.
            var row: [ResultValue] = []
            row.reserveCapacity(streams.count + 1)
            row.append(.time(t))
            for i in streams.indices {
                if heads[i] < streams[i].count && streams[i][heads[i]].time == t {
                    row.append(streams[i][heads[i]].value)
                    heads[i] += 1
                } else {
                    row.append(.null)
                }
            }
            rows.append(row)
        }
        return .cells(rows)
    }

    /// The earliest time of the samples a column reads from `from` on.
    private func lower(_ from: Int64) -> Int64 {
        plan.keepsRowsBeforeStart ? Int64.min : from
    }

    private func slice(_ samples: [Sample], from: Int64) -> ArraySlice<Sample> {
        let from = lower(from)
        var lo = 0, hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].time < from { lo = mid + 1 } else { hi = mid }
        }
        var top = samples.count
        while top > lo && samples[top - 1].time > end { top -= 1 }
        return samples[lo..<top]
    }

    /// A stream without the points before the first bucket (read for transformations).
    private func trimmed(_ points: [TimedValue]) -> [TimedValue] {
        guard plan.window.isGrouped && !plan.keepsRowsBeforeStart else { return points }
        let firstBucket = plan.window.start(of: start)
        return points.first.map { $0.time < firstBucket } ?? false ? points.filter { $0.time >= firstBucket } : points
    }

    /// An outermost call's stream cut by OFFSET and LIMIT. InfluxDB limits each call's
    /// iterator on its own and then joins them on time, so calls whose points fall at
    /// different times (a transformation beside a selector, fill(none)) give more rows.
    private func limited(_ points: [TimedValue]) -> [TimedValue] {
        let s = plan.statement
        guard s.limit > 0 || s.offset > 0 else { return points }
        var kept = s.orderDescending ? Array(points.reversed().dropFirst(s.offset)) : Array(points.dropFirst(s.offset))
        if s.limit > 0 { kept = Array(kept.prefix(s.limit)) }
        return s.orderDescending ? kept.reversed() : kept
    }

    /// The points of a column; `outermost` marks the calls InfluxDB runs as iterators of
    /// their own (the columns' calls and the calls of their arithmetic).
    func stream(_ c: Column, _ data: [String: FieldData], from: Int64, outermost: Bool = false) -> [TimedValue] {
        if outermost {
            switch c {
            case .binary, .math: break  // the calls inside are limited each
            default: return limited(trimmed(stream(c, data, from: from)))
            }
        }
        switch c {
        // top/bottom/sample (with or without tag arguments) run in AuxiliarySelector.
        case .call(let fc):
            let d = data[fc.dataKey] ?? FieldData()
            if plan.window.isGrouped && plan.window.zone == nil && d.isFloat && FastAggregate.functions.contains(fc.name) {
                let points = FastAggregate.compute(fc.name, d.columns, window: plan.window, from: lower(from), end: end,
                                                   descending: plan.statement.orderDescending)
                return fill(points, from: from, fc: fc, integer: fc.name == "count")
            }
            if !plan.window.isGrouped && d.isFloat && fc.name == "count" { return count(d.columns, fc, from: from) }
            if fc.name == "mean" && !d.isFloat && d.seriesRuns.count > 1 && plan.window.zone == nil {
                let points = FastAggregate.seriesMeans(d.seriesRuns, window: plan.window, from: lower(from), end: end,
                                                       descending: plan.statement.orderDescending)
                guard plan.window.isGrouped else { return points.map { TimedValue(startTime, $0.value) } }
                return fill(points, from: from, fc: fc, integer: false)
            }
            if !plan.window.isGrouped && d.isFloat && !d.columns.isEmpty && (fc.name == "sum" || fc.name == "mean") {
                let total = FastAggregate.whole(fc.name, d.columns, from: lower(from), end: end, descending: plan.statement.orderDescending)
                return total.map { [TimedValue(startTime, .float($0))] } ?? []
            }
            return aggregate(fc, slice(d.merged, from: from), from: from)
        case .transform(let fc, let inner):
            let input: [TimedValue]
            var unit = fc.unit
            if case .field(let f, let type) = inner {
                let samples = slice(data[f]?.merged ?? [], from: from)
                if let type, type != .field {
                    input = samples.compactMap { s in s.value.cast(to: type).map { TimedValue(s.time, ResultValue($0)) } }
                } else {
                    input = samples.map { TimedValue($0.time, ResultValue($0.value)) }
                }
                if unit == 0 { unit = fc.name == "elapsed" ? 1 : 1_000_000_000 }
            } else {
                let extended = plan.window.isGrouped && fc.name != "cumulative_sum" ? Window.back(from, by: plan.window.interval) : from
                input = stream(inner, data, from: extended)
                if unit == 0 { unit = fc.name == "elapsed" ? 1 : (plan.window.isGrouped ? plan.window.interval : 1_000_000_000) }
            }
            // ORDER BY time DESC runs transformations over the descending stream (negative elapsed times).
            if plan.statement.orderDescending {
                return Transforms.apply(fc, input.reversed(), unit: unit, ascending: false).reversed()
            }
            return Transforms.apply(fc, input, unit: unit, ascending: true)
        case .binary(let op, let a, let b):
            return pair(a, b, data, from: from, outermost: outermost) { RowEval.arithmetic(op, $0, $1) }
        case .math(let function, let args) where args.count == 1:
            return stream(args[0], data, from: from, outermost: outermost).map { TimedValue($0.time, function.apply($0.value)) }
        case .math(let function, let args):
            return pair(args[0], args[1], data, from: from, outermost: outermost) { function.apply($0, $1) }
        default:
            return []
        }
    }

    /// Two operands combined point by point: a literal with every point of the other side, two
    /// streams joined on time.
    private func pair(_ a: Column, _ b: Column, _ data: [String: FieldData], from: Int64, outermost: Bool,
                      _ combine: (ResultValue, ResultValue) -> ResultValue) -> [TimedValue] {
        if case .literal(let l) = a {
            return stream(b, data, from: from, outermost: outermost).map { TimedValue($0.time, combine(l, $0.value)) }
        }
        if case .literal(let r) = b {
            return stream(a, data, from: from, outermost: outermost).map { TimedValue($0.time, combine($0.value, r)) }
        }
        return join(stream(a, data, from: from, outermost: outermost), stream(b, data, from: from, outermost: outermost), combine)
    }

    private func join(_ l: [TimedValue], _ r: [TimedValue], _ combine: (ResultValue, ResultValue) -> ResultValue) -> [TimedValue] {
        var out: [TimedValue] = []
        var i = 0, j = 0
        while i < l.count || j < r.count {
            if j >= r.count || (i < l.count && l[i].time < r[j].time) {
                out.append(TimedValue(l[i].time, .null)); i += 1
            } else if i >= l.count || r[j].time < l[i].time {
                out.append(TimedValue(r[j].time, .null)); j += 1
            } else {
                out.append(TimedValue(l[i].time, combine(l[i].value, r[j].value))); i += 1; j += 1
            }
        }
        return out
    }

    /// An ungrouped count straight from the columns: the same answer as counting the merged
    /// samples, without merging them.
    private func count(_ columns: [FloatColumn], _ fc: FunctionCall, from: Int64) -> [TimedValue] {
        var n = 0
        var first = Int64.max
        for c in columns {
            let range = c.indices(from: from, through: end)
            if !range.isEmpty {
                n += c.weight(range)
                first = min(first, c.times[range.lowerBound])
            }
        }
        guard n > 0 else { return [] }
        let keepsTime = fc.keepsPointTime || (plan.selectorMode && !fc.isMultiRow)
        return [TimedValue(keepsTime ? first : startTime, .integer(Int64(n)))]
    }

    /// Reducers whose result depends on the order of their points: a float sum's rounding, and
    /// which of several equal values (Go's unstable sort) gives percentile its time and mode its run.
    static let orderSensitive: Set<String> = ["sum", "mean", "stddev", "percentile", "mode"]

    /// One aggregate/selector over a field: per bucket, then filled.
    private func aggregate(_ fc: FunctionCall, _ samples: ArraySlice<Sample>, from: Int64) -> [TimedValue] {
        let window = plan.window
        if fc.name == "integral" {
            // Ungrouped under ORDER BY time DESC, InfluxDB integrates newest first: a negative area.
            let newestFirst = plan.statement.orderDescending && !window.isGrouped
            let points = Integral.compute(newestFirst ? samples.reversed() : Array(samples),
                                          unit: fc.unit == 0 ? 1_000_000_000 : fc.unit, window: window)
            // InfluxDB does not re-time ungrouped integrals: they always show the epoch.
            guard window.isGrouped else { return points.map { TimedValue(0, $0.value) } }
            // InfluxDB 1.6.7 fills no integral bucket, whatever fill() asks for.
            return points
        }
        // ORDER BY time DESC: InfluxDB reads points newest first, and a float sum's rounding
        // depends on the order.
        let reversed = plan.statement.orderDescending && Self.orderSensitive.contains(fc.name)
        func reduce(_ part: ArraySlice<Sample>) -> [TimedValue] {
            if fc.name == "distinct" && plan.statement.orderDescending {
                // Rows are reversed for DESC afterwards; InfluxDB's own order must survive that.
                return Reducers.distinct(part, newestFirst: true).reversed()
            }
            return reversed ? Reducers.reduce(fc, ArraySlice(part.reversed())) : Reducers.reduce(fc, part)
        }
        guard window.isGrouped else {
            let points = reduce(samples)
            if fc.keepsPointTime || (plan.selectorMode && !fc.isMultiRow) { return points }
            return points.map { TimedValue(startTime, $0.value) }
        }
        var out: [TimedValue] = []
        var i = samples.startIndex
        while i < samples.endIndex {
            let b = window.start(of: samples[i].time)
            let bucketEnd = window.end(of: samples[i].time)
            var j = i
            while j < samples.endIndex && samples[j].time < bucketEnd { j += 1 }
            let points = reduce(samples[i..<j])
            if fc.keepsPointTime {
                out += points
            } else {
                out += points.map { TimedValue(b, $0.value) }
            }
            i = j
        }
        if fc.isMultiRow { return out }
        var integer = false
        if case .integer = out.first?.value { integer = true }
        if fc.name == "count" || fc.name == "count_distinct" { integer = true }
        return fill(out, from: from, fc: fc, integer: integer)
    }

    private func fill(_ points: [TimedValue], from: Int64, fc: FunctionCall, integer: Bool) -> [TimedValue] {
        if case .none = plan.fill { return points }
        guard Window.bucketCount(plan.window.start(of: from), plan.window.start(of: end), plan.window.interval) <= Window.maxBuckets else { return points }
        return Filler.fill(points, window: plan.window, from: from, through: end, mode: plan.fill,
                           isCount: fc.name == "count" || fc.name == "count_distinct", integerStream: integer,
                           ascending: !plan.statement.orderDescending)
    }
}
