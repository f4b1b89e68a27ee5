import InfluxQL
import TimeSeries

extension SelectRunner {
    /// Raw rows of one group: each series' fields joined on time, series merged in time order.
    mutating func rawRows(_ g: Group, condition: Condition, fieldSet: Set<String>) throws -> [[ResultValue]] {
        var selected = Array(Set(plan.columns.flatMap(\.fields))).sorted()
        if selected.isEmpty && plan.tagOnlyRows { selected = fieldSet.sorted() }
        let needed = Array(Set(selected + condition.filterFields)).sorted()
        let range = TimeRange(min: condition.min, max: condition.max)
        struct Row {
            var time: Int64
            var series: Int
            var values: [String: FieldValue]
        }
        var rows: [Row] = []
        for (si, s) in g.series.enumerated() {
            var byTime: [Int64: [String: FieldValue]] = [:]
            for f in needed {
                var cursor = try store.scan(database: s.database, policy: s.policy, series: s.id, field: f, range: range, descending: false)
                var n = 0
                while let x = try cursor.next() {
                    byTime[x.time, default: [:]][f] = x.value
                    n += 1
                }
                try budget.addPoints(n)
            }
            for (t, values) in byTime {
                guard selected.contains(where: { values[$0] != nil }) else { continue }
                if let filter = condition.rowFilter {
                    guard RowEval(key: s.key, fields: fieldSet, lookup: { values[$0] }).truth(filter) else { continue }
                }
                rows.append(Row(time: t, series: si, values: values))
            }
        }
        if let w = plan.rowWindow {
            rows.sort { a, b in
                let wa = w.start(of: a.time), wb = w.start(of: b.time)
                if wa != wb { return wa < wb }
                return a.series != b.series ? a.series < b.series : a.time < b.time
            }
        } else {
            rows.sort { $0.time != $1.time ? $0.time < $1.time : $0.series < $1.series }
        }
        return rows.map { row in
            let eval = RowEval(key: g.series[row.series].key, fields: fieldSet, lookup: { row.values[$0] })
            return [.time(row.time)] + plan.columns.map { column(eval, $0, row.values) }
        }
    }

    private func column(_ eval: RowEval, _ c: Column, _ values: [String: FieldValue]) -> ResultValue {
        switch c {
        case .field(let f, _): return values[f].map(ResultValue.init) ?? .null
        case .tag(let t): return eval.key[tag: t].map(ResultValue.string) ?? .null
        case .literal(let v): return v
        case .binary(let op, let a, let b):
            return RowEval.arithmetic(op, column(eval, a, values), column(eval, b, values))
        default: return .null
        }
    }
}
