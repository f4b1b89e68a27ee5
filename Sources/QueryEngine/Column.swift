import InfluxQL

/// A planned projection: what one output column computes.
indirect enum Column: Sendable, Hashable {
    case field(String, DataType?)
    case tag(String)
    /// An aggregate or selector over a field.
    case call(FunctionCall)
    /// A transformation over a raw field or an aggregate.
    case transform(FunctionCall, Column)
    case literal(ResultValue)
    /// The tag value beside each point of a `top`/`bottom` call with tag arguments.
    case selectorTag(FunctionCall, String)
    case binary(BinaryOperator, Column, Column)
    /// A math function (`abs`, `round`, `pow` …) of its arguments, row by row.
    case math(MathFunction, [Column])

    var calls: [FunctionCall] {
        switch self {
        case .call(let c): [c]
        case .transform(let c, let inner): [c] + inner.calls
        case .binary(_, let a, let b): a.calls + b.calls
        case .math(_, let args): args.flatMap(\.calls)
        default: []
        }
    }

    /// Fields read by this column.
    var fields: [String] {
        switch self {
        case .field(let f, _): [f]
        case .call(let c): [c.field]
        case .selectorTag(let c, _): [c.field]
        case .transform(_, let inner): inner.fields
        case .binary(_, let a, let b): a.fields + b.fields
        case .math(_, let args): args.flatMap(\.fields)
        default: []
        }
    }

    /// The casts (`::type`, nil for none) under which the column reads each raw field.
    var fieldCasts: [(field: String, type: DataType?)] {
        switch self {
        case .field(let f, let t): [(f, t)]
        case .call(let c), .selectorTag(let c, _): [(c.field, nil)]
        case .transform(_, let inner): inner.fieldCasts
        case .binary(_, let a, let b): a.fieldCasts + b.fieldCasts
        case .math(_, let args): args.flatMap(\.fieldCasts)
        default: []
        }
    }

    /// The tags the column reads.
    var tags: [String] {
        switch self {
        case .tag(let t): [t]
        case .transform(_, let inner): inner.tags
        case .binary(_, let a, let b): a.tags + b.tags
        case .math(_, let args): args.flatMap(\.tags)
        default: []
        }
    }

    var isAggregate: Bool {
        switch self {
        case .call, .selectorTag: true
        case .transform(_, let inner): inner.isAggregate
        case .binary(_, let a, let b): a.isAggregate || b.isAggregate
        case .math(_, let args): args.contains(where: \.isAggregate)
        default: false
        }
    }

    var hasCall: Bool { !calls.isEmpty }

    /// A field or tag read beside an aggregate (InfluxDB's auxiliary fields): only a selector
    /// can give it a value, that of the selected point.
    var isAuxiliary: Bool {
        switch self {
        case .field, .tag: true
        case .binary(_, let a, let b): !hasCall && (a.isAuxiliary || b.isAuxiliary)
        case .math(_, let args): !hasCall && args.contains(where: \.isAuxiliary)
        default: false
        }
    }

    /// InfluxDB's default column name: the call name, the variable name, or for arithmetic
    /// the names of the calls and variables inside joined with `_`.
    static func name(of e: Expr) -> String {
        switch e {
        case .call(let n, _): return n
        case .varRef(let n, _): return n
        case .paren(let x): return name(of: x)
        case .distinct: return "distinct"
        case .binary:
            var names: [String] = []
            binaryNames(e, &names)
            return names.joined(separator: "_")
        default: return ""
        }
    }

    private static func binaryNames(_ e: Expr, _ out: inout [String]) {
        switch e {
        case .call(let n, _): out.append(n)
        case .varRef(let n, _): out.append(n)
        case .distinct: out.append("distinct")
        case .paren(let x): binaryNames(x, &out)
        case .binary(_, let a, let b):
            binaryNames(a, &out)
            binaryNames(b, &out)
        default: break
        }
    }

    /// Resolves names as InfluxDB does: aliases first, then generated names with `_1`, `_2` … on conflict.
    static func resolveNames(_ fields: [(expr: Expr, alias: String?)]) -> [String] {
        var result = [String](repeating: "", count: fields.count)
        var names: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            if let a = f.alias {
                result[i] = a
                names[a] = 1
            }
        }
        for (i, f) in fields.enumerated() where f.alias == nil {
            var name = name(of: f.expr)
            if var count = names[name] {
                while true {
                    let candidate = "\(name)_\(count)"
                    if names[candidate] == nil {
                        names[name] = count + 1
                        name = candidate
                        break
                    }
                    count += 1
                }
            }
            names[name, default: 0] += 1
            result[i] = name
        }
        return result
    }
}
