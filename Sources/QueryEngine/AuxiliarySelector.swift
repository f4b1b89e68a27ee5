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
        let inRange = records.filter { $0.time >= start && $0.time <= end && $0.values[call.field] != nil }
        if inRange.isEmpty || start > end { return [] }
        let samples = inRange.map { Sample(time: $0.time, value: $0.values[call.field]!) }
        let window = plan.window
        guard window.isGrouped else {
            return Reducers.selectIndices(call, samples[...]).map { row(samples[$0].time, inRange[$0], samples[$0].value) }
        }
        let first = window.start(of: start)
        let n = Window.bucketCount(first, window.start(of: end), window.interval)
        if n > Window.maxBuckets { throw QueryError("max-select-buckets limit exceeded: (\(n)/\(Window.maxBuckets))") }
        var real: [(bucket: Int64, row: [ResultValue])] = []
        var i = 0
        while i < samples.count {
            let b = window.start(of: samples[i].time)
            var j = i
            while j < samples.count && samples[j].time < b &+ window.interval { j += 1 }
            for k in Reducers.selectIndices(call, samples[i..<j]) {
                real.append((b, row(call.keepsPointTime ? samples[k].time : b, inRange[k], samples[k].value)))
            }
            i = j
        }
        if call.isMultiRow { return real.map(\.row) }
        if case .none = plan.fill { return real.map(\.row) }
        return fill(real, buckets: window.buckets(min: start, max: end))
    }

    /// Empty buckets as InfluxDB fills them beside auxiliary fields: a number fills every
    /// column, `previous` repeats the previous row, `linear` interpolates only the selector.
    private func fill(_ real: [(bucket: Int64, row: [ResultValue])], buckets: StrideThrough<Int64>) -> [[ResultValue]] {
        let selectorColumn = plan.columns.firstIndex { if case .call = $0 { return true } else { return false } }
        var integer = false
        if let c = selectorColumn, case .integer = real.first?.row[c + 1] { integer = true }
        var linear: [Int64: ResultValue] = [:]
        if case .linear = plan.fill, let c = selectorColumn {
            let points = real.map { TimedValue($0.bucket, $0.row[c + 1]) }
            for p in Filler.fill(points, buckets: buckets, mode: .linear, isCount: false, integerStream: integer) { linear[p.time] = p.value }
        }
        let width = plan.columns.count
        var out: [[ResultValue]] = []
        var i = 0
        var previous: [ResultValue]?
        for b in buckets {
            if i < real.count && real[i].bucket == b {
                out.append(real[i].row)
                previous = real[i].row
                i += 1
                continue
            }
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

    private func row(_ time: Int64, _ r: Record, _ selected: FieldValue) -> [ResultValue] {
        [.time(time)] + plan.columns.map { cell($0, r, ResultValue(selected)) }
    }

    private func cell(_ c: Column, _ r: Record, _ selected: ResultValue) -> ResultValue {
        switch c {
        case .call: return selected
        case .field(let f, _): return r.values[f].map(ResultValue.init) ?? .null
        case .tag(let t), .selectorTag(_, let t): return r.key[tag: t].map(ResultValue.string) ?? .null
        case .literal(let v): return v
        case .binary(let op, let a, let b): return RowEval.arithmetic(op, cell(a, r, selected), cell(b, r, selected))
        case .transform: return .null
        }
    }
}
