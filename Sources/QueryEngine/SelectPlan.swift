import InfluxQL
import TimeSeries

/// Where a source's samples are: a database and one of its retention policies (resolved when
/// the plan is made: the source's, the `rp` parameter's, or the database's default).
struct Home: Hashable {
    var database: String
    var policy: String
}

/// A SELECT resolved against one database: measurements, columns, grouping and options.
struct SelectPlan {
    /// The first source's database.
    var database: String
    var measurements: [String]
    /// The databases (and retention policies) each measurement is read from (FROM may name several).
    var databases: [String: [Home]]
    /// Each measurement's field keys across its homes, as the plan read them (the runner's
    /// conditions use the same set instead of reading the index again).
    var fieldNames: [String: Set<String>]
    var columns: [Column]
    var columnNames: [String]
    var window: Window
    /// The zone of `tz()` (nil: UTC): buckets, time strings in WHERE and RFC 3339 output follow it.
    var zone: ZoneInfo?
    var groupTags: [String]
    var groupAll = false
    var groupRegex: PatternRegex?
    var fill: Fill
    var isAggregate: Bool
    /// Exactly one call and it is a selector: rows keep the selected point's time.
    var selectorMode: Bool
    /// A selector with fields or tags beside it: rows are the selected points with their other fields.
    var hasAuxiliaryFields = false
    var statement: SelectStatement
    /// A raw select of tags alone yields a row wherever the series has any field (outer
    /// statements over aggregating subqueries, as InfluxDB answers them).
    var tagOnlyRows = false
    /// Raw rows ordered by this window's buckets, then by series, then by time (outer
    /// statements over aggregating subqueries); nil orders by time, then series.
    var rowWindow: Window?
    /// Rows before the time range's start still count (outer statements over subqueries):
    /// InfluxDB bounds the inner statement by the outer range and reads every row it returns,
    /// so an inner bucket that starts before the outer start keeps its own time.
    var keepsRowsBeforeStart = false

    /// A tag no statement can name: it keeps the series of a raw subquery apart in the
    /// scratch store without showing up in `*` or `GROUP BY *`.
    /// It sorts after every real tag key, so such series follow the one they split from.
    static let seriesTag = "\u{10FFFF}series"

    /// top/bottom/sample beside fields or tags list buckets newest first under ORDER BY time
    /// DESC but keep each bucket's points ascending (InfluxDB 1.6.7); the selector orders them.
    var ordersOwnRows: Bool {
        hasAuxiliaryFields && columns.flatMap(\.calls).contains(where: \.isMultiRow)
    }
}

extension SelectPlan {
    static func make(_ statement: SelectStatement, store: any SeriesStore, options: QueryOptions, zone: ZoneInfo? = nil) throws -> SelectPlan {
        var s = statement
        let timeName = try removeTimeFields(&s.fields)
        // Each source reads its own database (or the default one); one name in several
        // databases is one measurement of the answer.
        var named: [(database: String, policy: String?, name: MeasurementName)] = []
        for source in s.sources {
            guard case .measurement(let m) = source else {
                throw QueryError("subqueries are not supported")
            }
            guard let db = m.database ?? options.database, !db.isEmpty else { throw QueryError.databaseRequired }
            named.append((db, m.retentionPolicy ?? options.retentionPolicy, m.name))
        }
        guard let db = named.first?.database ?? options.database, !db.isEmpty else { throw QueryError.databaseRequired }
        // Every database must exist before any policy is looked for (InfluxDB's order of errors).
        for source in named where try !store.databaseExists(source.database) { throw QueryError.databaseNotFound(source.database) }
        let sources = try named.map { source in
            let policy = try QueryExecutor.existingPolicy(source.policy, database: source.database, store: store)
            return (home: Home(database: source.database, policy: policy.name), name: source.name)
        }
        var databases: [String: [Home]] = [:]
        func add(_ m: String, _ home: Home) {
            if !(databases[m] ?? []).contains(home) { databases[m, default: []].append(home) }
        }
        for source in sources {
            switch source.name {
            case .name(let n): add(n, source.home)
            case .regex(let p):
                for m in try store.measurements(database: source.home.database, filter: .regex(try Condition.regex(p))) { add(m, source.home) }
            }
        }
        let names = databases.keys.sorted()

        // Field keys and tag keys across the measurements (for wildcards and identifier kinds).
        var fieldTypes: [String: FieldType] = [:]
        var fieldNames: [String: Set<String>] = [:]
        for m in names {
            var own = Set<String>()
            for home in databases[m]! {
                for f in try store.fieldKeys(database: home.database, policy: home.policy, measurement: m) {
                    fieldTypes[f.name] = f.type
                    own.insert(f.name)
                }
            }
            fieldNames[m] = own
        }
        // Tag keys are only needed to expand `SELECT *`; reading the series index costs time.
        var tagKeys: Set<String> = []
        if s.fields.contains(where: { if case .wildcard = $0.expr { return true } else { return false } }) {
            for d in Set(databases.values.joined().map(\.database)) {
                for entry in try store.series(database: d, filter: .names(names.filter { databases[$0]!.contains { $0.database == d } }), where: .always) {
                    for t in entry.key.tags where t.key != seriesTag { tagKeys.insert(t.key) }
                }
            }
        }

        var window = Window(interval: 0)
        var groupTags: [String] = []
        var groupAll = false
        var groupRegex: PatternRegex?
        for d in s.dimensions {
            switch d {
            case .time(let interval, let offset):
                guard case .duration(let i) = interval, i > 0 else { throw QueryError("time dimension must have duration argument") }
                var o: Int64 = 0
                if let offset {
                    switch offset {
                    case .duration(let d): o = d
                    case .call("now", _): o = options.now
                    case .integer(let x): o = x
                    default: throw QueryError("time dimension offset must be duration or now()")
                    }
                }
                if window.isGrouped { throw QueryError("multiple time dimensions not allowed") }
                window = Window(interval: i, offset: o, zone: zone)
            case .tag(let t): groupTags.append(t)
            case .wildcard: groupAll = true
            case .regex(let p): groupRegex = try Condition.regex(p)
            case .expr: throw QueryError("only time() calls allowed in dimensions")
            }
        }

        // Expand wildcards, then plan each field.
        var planned: [(expr: Expr, alias: String?, column: Column)] = []
        var operandTags: Set<String>?
        let excluded = Set(groupTags)
        for f in s.fields {
            switch f.expr {
            case .wildcard(let kind):
                var names: [(String, Column)] = []
                if kind != .tag { names += fieldTypes.keys.map { ($0, Column.field($0, nil)) } }
                if kind != .field && !groupAll { names += tagKeys.subtracting(excluded).map { ($0, Column.tag($0)) } }
                for (n, c) in names.sorted(by: { $0.0 < $1.0 }) { planned.append((.varRef(n, type: nil), nil, c)) }
            case .regex(let p):
                let re = try Condition.regex(p)
                for n in fieldTypes.keys.sorted() where re.matches(n) { planned.append((.varRef(n, type: nil), nil, .field(n, nil))) }
            case .call(let name, let args) where args.count >= 1 && isWildcardArg(args[0]):
                if name == "distinct" { throw QueryError("expected field argument in distinct()") }
                if name == "top" || name == "bottom" {
                    throw QueryError("expected first argument to be a field in \(name)(), found \(args[0])")
                }
                var pattern: PatternRegex?
                if case .regex(let p) = args[0] { pattern = try Condition.regex(p) }
                for n in fieldTypes.keys.sorted() where pattern?.matches(n) ?? true {
                    guard Self.wildcardIncludes(name, fieldTypes[n]) else { continue }
                    var a = args
                    a[0] = .varRef(n, type: nil)
                    let e = Expr.call(name, a)
                    planned.append((e, f.alias ?? "\(name)_\(n)", try planColumn(e, fields: Set(fieldTypes.keys))))
                }
            default:
                guard Self.hasVariable(f.expr) else {
                    // InfluxDB folds what it can first: `1 + 1` is a literal, `1 + 'x'` stays two.
                    if case .binary = f.expr, Self.literalType(f.expr) == nil {
                        throw QueryError("cannot perform a binary expression on two literals")
                    }
                    throw QueryError("field must contain at least one variable")
                }
                if Self.hasUnresolvedOperand(f.expr, fields: fieldTypes), operandTags == nil {
                    // A name beside an operator that is no field may be a tag (`f + host` is refused).
                    var keys = tagKeys
                    for d in Set(databases.values.joined().map(\.database)) {
                        let here = names.filter { databases[$0]!.contains { $0.database == d } }
                        for (_, k) in try store.tagKeys(database: d, filter: .names(here), where: .always) { keys.formUnion(k) }
                    }
                    operandTags = keys
                }
                try checkOperatorTypes(f.expr, fields: fieldTypes, tags: operandTags ?? tagKeys)
                let column = try planColumn(f.expr, fields: Set(fieldTypes.keys))
                planned.append((f.expr, f.alias, column))
                // top/bottom with tag arguments add one column per tag after the values.
                if case .call(let fc) = column {
                    for tag in fc.tags { planned.append((.varRef(tag, type: nil), nil, .selectorTag(fc, tag))) }
                }
            }
        }
        // Measurements without any field (never written: `SELECT * FROM nosuch`) answer nothing.
        if planned.isEmpty && !names.isEmpty && !fieldTypes.isEmpty {
            throw QueryError("statement must have at least one field in select clause")
        }
        let columns = planned.map(\.column)
        for c in columns { try checkTypes(c, fieldTypes) }
        let isAggregate = columns.contains { $0.hasCall }
        let allCalls = columns.flatMap(\.calls)
        let hasAuxiliaryFields = isAggregate && columns.contains(where: \.isAuxiliary)
        try validate(columns, calls: allCalls, isAggregate: isAggregate, auxiliary: hasAuxiliaryFields, window: window, fill: s.fill)
        for c in allCalls where (c.name == "top" || c.name == "bottom") && s.limit > 0 && c.count > s.limit {
            throw QueryError("limit (\(c.count)) in \(c.name) function can not be larger than the LIMIT (\(s.limit)) in the select statement")
        }
        let outer = columns.compactMap { c -> FunctionCall? in
            if case .call(let fc) = c { return fc }
            switch c {
            case .binary, .math:
                if Set(c.calls).count == 1, case .some(let fc) = c.calls.first, !fc.isTransformation { return fc }
            default: break
            }
            return nil
        }
        // One selector, however often the same call is written (`max(value) * 8, max(value)`):
        // InfluxDB 1.6 computes a call once per text, and its points keep their own times.
        // (With one distinct call, `outer` covering every column with a call makes it that call.)
        let selectorMode = Set(allCalls).count == 1 && outer.count == columns.filter(\.hasCall).count && outer[0].isSelector
        return SelectPlan(
            database: db, measurements: names, databases: databases, fieldNames: fieldNames, columns: columns,
            columnNames: [timeName] + Column.resolveNames(planned.map { ($0.expr, $0.alias) }),
            window: window, zone: zone.flatMap { $0 == .utc ? nil : $0 }, groupTags: groupTags, groupAll: groupAll, groupRegex: groupRegex, fill: s.fill,
            isAggregate: isAggregate, selectorMode: selectorMode,
            // top/bottom/sample alone (or with tag arguments) pick points, as auxiliary rows do.
            hasAuxiliaryFields: hasAuxiliaryFields || allCalls.contains { !$0.tags.isEmpty }
                || (allCalls.count == 1 && allCalls[0].keepsPointTime && !columns.contains { if case .transform = $0 { return true } else { return false } }),
            statement: s)
    }

    /// Takes `time` out of the select list as InfluxDB 1.6 does, returning the time column's name
    /// (the alias of the last `time` removed, or "time").
    ///
    /// InfluxDB removes while walking the list by index without stepping back, so of two
    /// adjacent `time` fields the second stays, as a column that is always null.
    static func removeTimeFields(_ fields: inout [SelectField]) throws -> String {
        func isTime(_ f: SelectField) -> Bool {
            if case .varRef("time", _) = f.expr { return true }
            return false
        }
        if fields.allSatisfy(isTime) && !fields.isEmpty { throw QueryError("at least 1 non-time field must be queried") }
        var name = "time"
        var i = 0
        while i < fields.count {
            if isTime(fields[i]) {
                if let alias = fields[i].alias { name = alias }
                fields.remove(at: i)
            }
            i += 1
        }
        return name
    }

    /// Rejects functions InfluxDB 1.6 has no iterator for on string/boolean fields, with its text.
    private static func checkTypes(_ c: Column, _ types: [String: FieldType]) throws {
        func reject(_ name: String, _ field: String, allowsBoolean: Bool) throws {
            switch types[field] {
            case .string: throw QueryError("unsupported \(name) iterator type: *query.stringInterruptIterator")
            case .boolean where !allowsBoolean: throw QueryError("unsupported \(name) iterator type: *query.booleanInterruptIterator")
            default: break
            }
        }
        switch c {
        case .call(let fc):
            switch fc.name {
            case "mean", "median", "stddev", "sum", "spread", "integral", "percentile", "top", "bottom":
                try reject(fc.name, fc.field, allowsBoolean: false)
            case "min", "max":
                try reject(fc.name, fc.field, allowsBoolean: true)
            default: break
            }
        case .transform(let fc, let inner):
            if case .field(let f, _) = inner, fc.name != "elapsed" {
                try reject(fc.name, f, allowsBoolean: false)
            }
            try checkTypes(inner, types)
        case .binary(_, let a, let b):
            try checkTypes(a, types)
            try checkTypes(b, types)
        case .math(_, let args):
            for a in args { try checkTypes(a, types) }
        default: break
        }
    }

    /// `f(*)` and `f(/re/)`: one call per matching field.
    private static func isWildcardArg(_ e: Expr) -> Bool {
        switch e {
        case .wildcard, .regex: return true
        default: return false
        }
    }

    /// The field types `f(*)` expands to: every type for count, first, last, mode and sample,
    /// all but strings for min and max, numbers for everything else (InfluxDB 1.6.7).
    private static func wildcardIncludes(_ function: String, _ type: FieldType?) -> Bool {
        switch function {
        case "count", "first", "last", "mode", "sample": return true
        case "min", "max": return type != .string
        default: return type != .string && type != .boolean
        }
    }

    /// Whether an expression reads anything (a literal alone is not a column InfluxDB accepts).
    private static func hasVariable(_ e: Expr) -> Bool {
        switch e {
        case .call(let name, let args) where MathFunction(rawValue: name) != nil && !args.isEmpty: return args.contains(where: hasVariable)
        case .varRef, .call, .distinct, .wildcard, .regex: return true
        case .paren(let x): return hasVariable(x)
        case .binary(_, let a, let b): return hasVariable(a) || hasVariable(b)
        default: return false
        }
    }

    /// InfluxDB's field checks, in its order: top/bottom alone, distinct alone, then auxiliary
    /// fields only beside exactly one selector.
    private static func validate(_ columns: [Column], calls: [FunctionCall], isAggregate: Bool, auxiliary: Bool, window: Window, fill: Fill) throws {
        if isAggregate {
            for c in calls where c.name == "top" || c.name == "bottom" {
                if calls.count > 1 { throw QueryError("selector function \(c.name)() cannot be combined with other functions") }
            }
            if calls.contains(where: { $0.name == "distinct" }) && (calls.count != 1 || auxiliary) {
                throw QueryError("aggregate function distinct() cannot be combined with other functions or fields")
            }
            if auxiliary {
                if !calls.allSatisfy(\.isSelector) { throw QueryError("mixing aggregate and non-aggregate queries is not supported") }
                if calls.count > 1 { throw QueryError("mixing multiple selector functions with tags or fields is not supported") }
            }
        } else if fill == .none || fill == .linear {
            // InfluxDB 1.6 checks a raw query's fill before its GROUP BY.
            throw QueryError("fill(\(fill == .none ? "none" : "linear")) must be used with a function")
        } else if window.isGrouped {
            throw QueryError("GROUP BY requires at least one aggregate function")
        }
        for c in columns {
            try validateTransforms(c, window: window)
        }
    }

    private static func validateTransforms(_ c: Column, window: Window) throws {
        switch c {
        case .transform(let fc, let inner):
            // A math function of a raw field counts as a call here, as in InfluxDB.
            let innerMath: Bool = if case .math = inner { true } else { false }
            if (inner.isAggregate || innerMath) && !window.isGrouped {
                throw QueryError("\(fc.name) aggregate requires a GROUP BY interval")
            }
            if innerMath && !inner.isAggregate && window.isGrouped {
                throw QueryError("mixing aggregate and non-aggregate queries is not supported")
            }
            if !inner.isAggregate && window.isGrouped {
                throw QueryError("aggregate function required inside the call to \(fc.name)")
            }
        case .binary(_, let a, let b):
            try validateTransforms(a, window: window)
            try validateTransforms(b, window: window)
        case .math(_, let args):
            for a in args { try validateTransforms(a, window: window) }
        default: break
        }
    }
}
