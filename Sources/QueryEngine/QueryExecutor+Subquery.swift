import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// Runs `FROM (SELECT …)`: each inner result becomes a measurement of a scratch store
    /// (its columns as fields, its group tags as tags) that the outer statement then reads.
    func runSubquery(_ s: SelectStatement, options: QueryOptions, budget: inout ScanBudget) throws -> [ResultSeries] {
        let scratch = MemoryStore()
        let database = "subquery"
        try scratch.createDatabase(database)
        var sources: [Source] = []
        var names = Set<String>()
        for source in s.sources {
            guard case .subquery(var inner) = source else {
                sources.append(source)
                continue
            }
            // The outer time range applies to the inner statement when it has none of its own.
            if let outer = s.condition, Self.timeOnly(outer) != nil, inner.condition.map({ Self.timeOnly($0) == nil }) ?? true {
                let t = Self.timeOnly(outer)!
                inner.condition = inner.condition.map { .binary(.and, .paren($0), t) } ?? t
            }
            let series = try run(.select(inner), options: options, budget: &budget)
            var points: [Point] = []
            for r in series {
                names.insert(r.name)
                for row in r.values {
                    guard case .time(let t) = row.first else { continue }
                    var fields: [Field] = []
                    for (name, value) in zip(r.columns.dropFirst(), row.dropFirst()) {
                        if let v = Self.fieldValue(value) { fields.append(Field(name, v)) }
                    }
                    if !fields.isEmpty { points.append(Point(measurement: r.name, tags: r.tags, fields: fields, time: t)) }
                }
            }
            try? scratch.write(points, database: database)
        }
        guard sources.isEmpty else { throw QueryError("cannot mix subqueries with measurements") }
        var outer = s
        outer.sources = names.sorted().map { .measurement(Measurement(database: database, name: .name($0))) }
        if outer.sources.isEmpty { return [] }
        let plan = try SelectPlan.make(outer, store: scratch, options: options)
        var runner = SelectRunner(plan: plan, store: scratch, options: options, budget: budget)
        defer { budget = runner.budget }
        return try runner.run()
    }

    static func fieldValue(_ v: ResultValue) -> FieldValue? {
        switch v {
        case .float(let d): .float(d)
        case .integer(let i): .integer(i)
        case .unsigned(let u): .unsigned(u)
        case .string(let s): .string(s)
        case .boolean(let b): .boolean(b)
        case .time(let t): .integer(t)
        case .null: nil
        }
    }

    /// The time comparisons of a condition joined by AND (nil when there are none).
    static func timeOnly(_ e: Expr) -> Expr? {
        switch e {
        case .paren(let x): return timeOnly(x)
        case .binary(.and, let a, let b):
            switch (timeOnly(a), timeOnly(b)) {
            case (let x?, let y?): return .binary(.and, x, y)
            case (let x?, nil): return x
            case (nil, let y?): return y
            default: return nil
            }
        case .binary(let op, let l, let r) where op.isComparison:
            return Condition.isTime(l) || Condition.isTime(r) ? e : nil
        default: return nil
        }
    }
}
