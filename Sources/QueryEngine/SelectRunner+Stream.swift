import TimeSeries

/// Raw rows handed out one at a time, in the order InfluxDB's iterators give them.
protocol RawRowSource: AnyObject {
    func next() throws -> RawRow?
}

/// One series' field values at one time, by the position of the field among those read: a row
/// of a raw answer looks its few fields up by name in place of hashing them into a dictionary.
struct FieldValues {
    let names: [String]
    var values: [FieldValue?]

    subscript(_ name: String) -> FieldValue? {
        for i in names.indices where names[i] == name { return values[i] }
        return nil
    }
}

/// Samples read by a stream's cursors since the budget last counted them.
final class PointTally {
    var count = 0
}

/// One series' rows, joined on time from its fields' cursors as they are read: what `rawRows`
/// builds for the series, without holding more than one sample per field.
final class SeriesRowSource: RawRowSource {
    private let fields: [String]
    private var cursors: [any SampleCursor]
    private var ahead: [Sample?]
    private let tally: PointTally
    private let build: (Int64, FieldValues) -> RawRow?

    init(fields: [String], cursors: [any SampleCursor], tally: PointTally, build: @escaping (Int64, FieldValues) -> RawRow?) throws {
        self.fields = fields
        self.cursors = cursors
        self.tally = tally
        self.build = build
        ahead = []
        for i in cursors.indices {
            let sample = try self.cursors[i].next()
            if sample != nil { tally.count += 1 }
            ahead.append(sample)
        }
    }

    func next() throws -> RawRow? {
        while true {
            var time: Int64?
            for case let sample? in ahead where time == nil || sample.time < time! { time = sample.time }
            guard let t = time else { return nil }
            var values = FieldValues(names: fields, values: Array(repeating: nil, count: fields.count))
            for i in ahead.indices {
                // A later sample at the same time replaces an earlier one.
                while let sample = ahead[i], sample.time == t {
                    values.values[i] = sample.value
                    ahead[i] = try cursors[i].next()
                    if ahead[i] != nil { tally.count += 1 }
                }
            }
            if let row = build(t, values) { return row }
        }
    }
}

/// `InfluxMerge.merge` kept open: the same heap operations in the same order over sources read
/// as the merge goes, so rows that tie come out in the order the whole merge gives them.
final class InfluxMergeSource: RawRowSource {
    private let sources: [any RawRowSource]
    private var heap = InfluxHeap<RawRow>(descending: false)

    init(_ sources: [any RawRowSource]) throws {
        self.sources = sources
        for (i, source) in sources.enumerated() {
            if let row = try source.next() { heap.heads.append((i, row)) }
        }
        heap.heapify()
    }

    func next() throws -> RawRow? {
        guard let (i, row) = heap.pop() else { return nil }
        if let following = try sources[i].next() { heap.push(i, following) }
        return row
    }
}

extension SelectRunner {
    /// An aggregate whose groups can be answered a few at a time (`QueryStream`): every group's
    /// rows depend on its own samples alone. Two rules of the whole answer look across groups,
    /// and statements they apply to are not streamed: the first bucket of a GROUP BY time()
    /// without a start time is the earliest sample of all groups (checked on the selected
    /// conditions, `groupsStandAlone(_:)`), and a reducing call without GROUP BY time() ends the
    /// answer at the first measurement with rows before the start (`endsReduce`). SLIMIT, SOFFSET
    /// and DESC order the series list as a whole; LIMIT and OFFSET each call takes per group.
    var streamsAggregates: Bool {
        let s = plan.statement
        guard plan.isAggregate, !plan.hasAuxiliaryFields, !s.orderDescending, s.slimit == 0, s.soffset == 0 else { return false }
        return !(plan.keepsRowsBeforeStart && !plan.window.isGrouped && plan.columns.contains(where: Self.reduces))
    }

    /// Whether the first bucket of every group is its condition's start, not the earliest
    /// sample of all groups (`AggregateEvaluator`'s `dataMin`).
    func groupsStandAlone(_ conditions: [String: Condition]) -> Bool {
        !plan.window.isGrouped || conditions.values.allSatisfy(\.hasMin)
    }

    /// A raw SELECT `rawSource` can answer: rows in ascending time, no per-series or series
    /// limits, no windows (`answer` does those on the whole result).
    var streamsRawRows: Bool {
        let s = plan.statement
        return !plan.isAggregate && !plan.hasAuxiliaryFields && plan.rowWindow == nil && !s.orderDescending
            && s.limit == 0 && s.offset == 0 && s.slimit == 0 && s.soffset == 0
    }

    /// The rows of one group as `rawRows` gives them, read as they are taken: each series' fields
    /// through open cursors, merged per home (database and policy) and then across homes.
    func rawSource(_ g: Group, condition: Condition, fieldSet: Set<String>, tally: PointTally) throws -> any RawRowSource {
        let layout = rawLayout(g, condition: condition, fieldSet: fieldSet)
        var homes: [[any RawRowSource]] = []
        let runner = self
        for (si, s) in g.series.enumerated() {
            let home = g.home(of: s)
            var cursors: [any SampleCursor] = []
            for f in layout.needed {
                cursors.append(try store.scan(database: home.database, policy: home.policy, series: s.id, field: f, range: layout.range, descending: false))
            }
            let key = s.key
            let source = try SeriesRowSource(fields: layout.needed, cursors: cursors, tally: tally) { t, values in
                runner.rawRow(time: t, series: si, key: key, values: values, layout: layout, condition: condition, fieldSet: fieldSet)
            }
            if si > 0 && g.series[si - 1].home == s.home { homes[homes.count - 1].append(source) } else { homes.append([source]) }
        }
        let merged = try homes.map { try InfluxMergeSource($0) }
        return merged.count == 1 ? merged[0] : try InfluxMergeSource(merged)
    }
}
