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
        var innerAggregates = true
        var innerWindow = Window(interval: 0)
        for source in s.sources {
            guard case .subquery(var inner) = source else {
                sources.append(source)
                continue
            }
            var visible: Set<String>?
            for case .time(.duration(let interval), let offset) in inner.dimensions where interval > 0 {
                var o: Int64 = 0
                if case .duration(let d)? = offset { o = d }
                innerWindow = Window(interval: interval, offset: o, zone: try zone(of: inner))
            }
            if !inner.fields.contains(where: { Self.containsCall($0.expr) }) {
                innerAggregates = false
                // Raw points keep their own series inside an InfluxDB subquery, whatever the
                // GROUP BY says: points of different series at one time stay apart, and the
                // outer GROUP BY may name any of their tags. Other tags stay out of sight.
                if inner.limit == 0 && inner.offset == 0 && inner.slimit == 0 && inner.soffset == 0 {
                    visible = Self.tagDimensions(inner.dimensions).union(Self.tagDimensions(s.dimensions))
                    // Grouped by a pattern rather than `*`, the inner `*` still lists the tags.
                    inner.dimensions = [.regex("")]
                }
            }
            // The outer statement's GROUP BY tags group the inner aggregates too, as InfluxDB
            // propagates them (`max(mean) FROM (SELECT mean(value) … GROUP BY time(1m)) GROUP BY
            // host` is each host's largest mean); `*` and regexes are not propagated.
            let aggregating = inner.fields.contains { Self.containsAggregate($0.expr) }
            let byNamedTags = inner.dimensions.allSatisfy {
                switch $0 { case .tag, .time: return true; default: return false }
            }
            if aggregating && byNamedTags {
                let own = Self.tagDimensions(inner.dimensions)
                for case .tag(let t) in s.dimensions where !own.contains(t) { inner.dimensions.append(.tag(t)) }
            }
            // The inner statement reads the intersection of its time range and the outer one
            // (InfluxDB's newIteratorOptionsSubstatement).
            if let outer = s.condition, let t = Self.timeOnly(outer) {
                inner.condition = inner.condition.map { .binary(.and, .paren($0), t) } ?? t
            }
            // Null rows would be dropped below anyway; like InfluxDB, an aggregating subquery with
            // fill(null) does not make them (an inner GROUP BY time without an upper bound would
            // otherwise fill every bucket up to now).
            if aggregating, case .null = inner.fill { inner.fill = .none }
            var innerOptions = options
            if innerOptions.readBounds == nil { innerOptions.readBounds = try readBounds(s, now: options.now) }
            let series = try run(.select(inner), options: innerOptions, budget: &budget)
            var points: [Point] = []
            for (index, var r) in series.enumerated() {
                names.insert(r.name)
                if let visible {
                    r.tags = r.tags.filter { visible.contains($0.key) } + [Tag(SelectPlan.seriesTag, String(index))]
                }
                // Rows of one group at one time (top(), sample()) must not replace each other.
                var seen: [Int64: Int] = [:]
                for row in r.values {
                    guard case .time(let t) = row.first else { continue }
                    var fields: [Field] = []
                    for (name, value) in zip(r.columns.dropFirst(), row.dropFirst()) {
                        if let v = Self.fieldValue(value) { fields.append(Field(name, v)) }
                    }
                    guard !fields.isEmpty else { continue }
                    var tags = r.tags
                    if visible == nil, let n = seen[t] { tags.append(Tag(SelectPlan.seriesTag, String(n))) }
                    seen[t, default: 0] += 1
                    points.append(Point(measurement: r.name, tags: tags, fields: fields, time: t))
                }
            }
            try? scratch.write(points, database: database)
        }
        guard sources.isEmpty else { throw QueryError("cannot mix subqueries with measurements") }
        var outer = s
        outer.sources = names.sorted().map { .measurement(Measurement(database: database, name: .name($0))) }
        if outer.sources.isEmpty { return [] }
        var plan = try SelectPlan.make(outer, store: scratch, options: options, zone: try zone(of: outer))
        plan.tagOnlyRows = innerAggregates
        plan.keepsRowsBeforeStart = true
        // InfluxDB hands the outer statement an aggregating subquery's rows window by window,
        // each window group by group.
        if innerAggregates { plan.rowWindow = innerWindow }
        var runner = SelectRunner(plan: plan, store: scratch, options: options, budget: budget)
        defer { budget = runner.budget }
        return try runner.run()
    }

    /// The time range the outermost statement reads: its WHERE range, one interval earlier
    /// when it transforms an aggregate.
    func readBounds(_ s: SelectStatement, now: Int64) throws -> TimeRange? {
        guard let t = s.condition.flatMap(Self.timeOnly) else { return nil }
        let c = try Condition(t, fields: [], now: now, zone: try zone(of: s))
        var min = c.min
        for case .time(.duration(let interval), _) in s.dimensions where interval > 0 && c.hasMin {
            if s.fields.contains(where: { Self.transformsAggregate($0.expr) }) { min = Window.back(min, by: interval) }
        }
        return TimeRange(min: min, max: c.max)
    }

    static func transformsAggregate(_ e: Expr) -> Bool {
        switch e {
        case .call(let name, let args):
            return ["derivative", "non_negative_derivative", "difference", "non_negative_difference", "moving_average",
                    "elapsed"].contains(name.lowercased()) && args.contains(where: containsCall)
        case .paren(let x): return transformsAggregate(x)
        case .binary(_, let a, let b): return transformsAggregate(a) || transformsAggregate(b)
        default: return false
        }
    }

    static func tagDimensions(_ dimensions: [Dimension]) -> Set<String> {
        Set(dimensions.compactMap { if case .tag(let t) = $0 { return t } else { return nil } })
    }

    /// Whether an expression calls an aggregate, selector or transformation (not only math functions).
    static func containsAggregate(_ e: Expr) -> Bool {
        switch e {
        case .call(let name, let args):
            return MathFunction(rawValue: name.lowercased()) == nil || args.contains(where: containsAggregate)
        case .distinct: return true
        case .paren(let x): return containsAggregate(x)
        case .binary(_, let a, let b): return containsAggregate(a) || containsAggregate(b)
        default: return false
        }
    }

    static func containsCall(_ e: Expr) -> Bool {
        switch e {
        case .call, .distinct: return true
        case .paren(let x): return containsCall(x)
        case .binary(_, let a, let b): return containsCall(a) || containsCall(b)
        default: return false
        }
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
