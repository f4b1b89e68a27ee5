import InfluxQL
import TimeSeries

extension SelectRunner {
    /// Points of the selector's field for each group, each joined with the other fields of its
    /// series at the same time (fields of the select list and of the WHERE filter).
    mutating func auxiliaryRecords(_ g: Group, call: FunctionCall, condition: Condition, fieldSet: Set<String>) throws -> [AuxiliarySelector.Record] {
        let selected = Array(Set(plan.columns.flatMap(\.fields) + [call.field])).sorted()
        let needed = Array(Set(selected + condition.filterFields)).sorted().filter { fieldSet.contains($0) }
        var maxTime = condition.max
        if plan.window.isGrouped && !condition.hasMax { maxTime = options.now }
        let range = bounded(TimeRange(min: scanStart(condition), max: maxTime))
        var records: [(record: AuxiliarySelector.Record, series: Int)] = []
        for (si, s) in g.series.enumerated() {
            var byTime: [Int64: [String: FieldValue]] = [:]
            for f in needed {
                let home = g.home(of: s)
                var cursor = try store.scan(database: home.database, policy: home.policy, series: s.id, field: f, range: range, descending: false)
                var n = 0
                while let x = try cursor.next() {
                    byTime[x.time, default: [:]][f] = x.value
                    n += 1
                }
                try budget.addPoints(n)
            }
            for (t, var values) in byTime where values[call.field] != nil {
                if let type = call.cast {
                    // The call reads the field under its cast; a column of the field itself does not.
                    guard let v = values[call.field]!.cast(to: type) else { continue }
                    values[call.dataKey] = v
                }
                if let filter = condition.rowFilter {
                    guard RowEval(key: s.key, fields: fieldSet, lookup: { values[$0] }).truth(filter) else { continue }
                }
                records.append((AuxiliarySelector.Record(time: t, key: s.key, values: values), si))
            }
        }
        records.sort { $0.record.time != $1.record.time ? $0.record.time < $1.record.time : $0.series < $1.series }
        return records.map(\.record)
    }

    /// Result series of a selector with auxiliary fields, one per group with rows.
    mutating func auxiliarySeries(_ groups: [Group], conditions: [String: Condition], fieldSets: [String: Set<String>]) throws -> [ResultSeries] {
        guard let call = plan.columns.flatMap(\.calls).first else { return [] }
        var loaded: [(Group, [AuxiliarySelector.Record])] = []
        var dataMin = Int64.max
        var early = Set<String>()
        for g in groups {
            let records = try auxiliaryRecords(g, call: call, condition: conditions[g.measurement]!, fieldSet: fieldSets[g.measurement]!)
            if let t = records.first?.time {
                dataMin = min(dataMin, t)
                if t < conditions[g.measurement]!.min { early.insert(g.measurement) }
            }
            loaded.append((g, records))
        }
        var out: [ResultSeries] = []
        for (g, records) in loaded {
            if endsReduce(at: g.measurement, early: early) { break }
            let bounds = AggregateEvaluator(plan: plan, condition: conditions[g.measurement]!, now: options.now, dataMin: dataMin)
            let selector = AuxiliarySelector(plan: plan, call: call, start: bounds.start, end: bounds.end)
            let rows = try selector.rows(records)
            if !rows.isEmpty { out.append(ResultSeries(name: g.measurement, tags: g.tags, columns: plan.columnNames, values: rows)) }
        }
        return out
    }
}
