import InfluxQL
import TimeSeries

/// One selector with other fields or tags beside it (`SELECT max(rx), tx, host`), as InfluxDB
/// 1.x answers it: each row is a point the selector picked, and the other columns are read
/// from that same point of the same series.
struct AuxiliarySelector {
    /// A point of the selector's field with the other fields its series has at that time.
    struct Record {
        var time: Int64
        var key: SeriesKey
        var values: [String: FieldValue]
    }

    let plan: SelectPlan
    let call: FunctionCall
    let start: Int64
    let end: Int64

    /// Rows of one group; `records` ascending by time (ties in series order).
    func rows(_ records: [Record]) throws(QueryError) -> [[ResultValue]] {
        let from = plan.keepsRowsBeforeStart ? Int64.min : start
        let key = call.dataKey
        let inRange = records.filter { $0.time >= from && $0.time <= end && $0.values[key] != nil }
        if inRange.isEmpty || start > end { return [] }
        let samples = inRange.map { Sample(time: $0.time, value: $0.values[key]!) }
        let window = plan.window
        guard window.isGrouped else {
            return select(samples[...], inRange).map { row(samples[$0].time, inRange[$0], samples[$0].value) }
        }
        let first = window.start(of: start)
        let n = Window.bucketCount(first, window.start(of: end), window.interval)
        if n > Window.maxBuckets { throw QueryError("max-select-buckets limit exceeded: (\(n)/\(Window.maxBuckets))") }
        var real: [(bucket: Int64, row: [ResultValue])] = []
        var i = 0
        while i < samples.count {
            let b = window.start(of: samples[i].time)
            var j = i
            let bucketEnd = window.end(of: samples[i].time)
            while j < samples.count && samples[j].time < bucketEnd { j += 1 }
            for k in select(samples[i..<j], inRange) {
                real.append((b, row(call.keepsPointTime ? samples[k].time : b, inRange[k], samples[k].value)))
            }
            i = j
        }
        if call.isMultiRow {
            guard plan.statement.orderDescending else { return real.map(\.row) }
            var buckets: [[[ResultValue]]] = []
            for (k, r) in real.enumerated() {
                if k > 0 && real[k - 1].bucket == r.bucket { buckets[buckets.count - 1].append(r.row) } else { buckets.append([r.row]) }
            }
            return buckets.reversed().flatMap { $0 }
        }
        if case .none = plan.fill { return real.map(\.row) }
        return fill(real)
    }

    /// Empty buckets as InfluxDB fills them beside auxiliary fields: a number fills every
    /// column, `previous` repeats the previous row, `linear` interpolates only the selector.
    private func fill(_ real: [(bucket: Int64, row: [ResultValue])]) -> [[ResultValue]] {
        let selectorColumn = plan.columns.firstIndex { if case .call = $0 { return true } else { return false } }
        var integer = false
        if let c = selectorColumn, case .integer = real.first?.row[c + 1] { integer = true }
        var linear: [Int64: ResultValue] = [:]
        if case .linear = plan.fill, let c = selectorColumn {
            let points = real.map { TimedValue($0.bucket, $0.row[c + 1]) }
            for p in Filler.fill(points, window: plan.window, from: start, through: end, mode: .linear, isCount: false, integerStream: integer) {
                linear[p.time] = p.value
            }
        }
        let width = plan.columns.count
        var out: [[ResultValue]] = []
        var i = 0
        var previous: [ResultValue]?
        var stepper = BucketStepper(plan.window, from: start, to: end, ascending: true)
        while true {
            // As InfluxDB's fill iterator: a row at or before the expected bucket is emitted as
            // it is and moves the expectation on by one bucket (so does a subquery's row before
            // the range start); otherwise the expected bucket is filled.
            if i < real.count && (stepper.overflowed || real[i].bucket <= stepper.time) {
                out.append(real[i].row)
                previous = real[i].row
                i += 1
                stepper.advance()
                continue
            }
            if i >= real.count && !stepper.inRange { break }
            let b = stepper.time
            stepper.advance()
            var row = [ResultValue](repeating: .null, count: width)
            switch plan.fill {
            case .previous:
                if let p = previous { row = Array(p.dropFirst()) }
            case .integer(let v):
                row = [ResultValue](repeating: integer ? .integer(v) : .float(Double(v)), count: width)
            case .number(let x):
                row = [ResultValue](repeating: integer ? .integer(Int64(x)) : .float(x), count: width)
            case .linear:
                if let c = selectorColumn { row[c] = linear[b] ?? .null }
            default: break
            }
            out.append([.time(b)] + row)
            if case .previous = plan.fill { previous = out.last }
        }
        return out
    }

    /// The selected points of one bucket; `top`/`bottom` with tag arguments first keep the best
    /// point of each distinct combination of those tags.
    private func select(_ samples: ArraySlice<Sample>, _ records: [Record]) -> [Int] {
        guard !call.tags.isEmpty else { return Reducers.selectIndices(call, samples, grouped: plan.window.isGrouped) }
        var best: [[String]: Int] = [:]
        var order: [[String]] = []
        let single = FunctionCall(name: call.name == "top" ? "max" : "min", field: call.field)
        for i in samples.indices {
            let combo = call.tags.map { records[i].key[tag: $0] ?? "" }
            guard let b = best[combo] else {
                best[combo] = i
                order.append(combo)
                continue
            }
            let pair = [samples[b], samples[i]]
            if Reducers.selectIndices(single, pair[...]) == [1] { best[combo] = i }
        }
        let winners = order.map { best[$0]! }
        let picked = Reducers.selectIndices(call, ArraySlice(winners.map { samples[$0] }))
        return picked.map { winners[$0] }
    }

    private func row(_ time: Int64, _ r: Record, _ selected: FieldValue) -> [ResultValue] {
        [.time(time)] + plan.columns.map { cell($0, r, ResultValue(selected)) }
    }

    private func cell(_ c: Column, _ r: Record, _ selected: ResultValue) -> ResultValue {
        switch c {
        case .call: return selected
        case .field(let f, let type): return r.values[f].map { ResultValue.cast($0, to: type) } ?? .null
        case .tag(let t), .selectorTag(_, let t): return r.key[tag: t].map(ResultValue.string) ?? .null
        case .literal(let v): return v
        case .binary(let op, let a, let b): return RowEval.arithmetic(op, cell(a, r, selected), cell(b, r, selected))
        case .math(let function, let args):
            return function.apply(cell(args[0], r, selected), args.count > 1 ? cell(args[1], r, selected) : .null)
        case .transform: return .null
        }
    }
}
