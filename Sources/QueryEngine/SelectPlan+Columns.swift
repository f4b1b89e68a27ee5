import InfluxQL

extension SelectPlan {
    /// Turns one projected expression into a column plan, checking call arguments as InfluxDB does.
    static func planColumn(_ e: Expr, fields: Set<String>) throws -> Column {
        switch e {
        case .paren(let x): return try planColumn(x, fields: fields)
        case .varRef("time", _):
            // A `time` left in the select list (see `removeTimeFields`) is a column of nulls.
            return .literal(.null)
        case .varRef(let name, let type):
            if type == .tag || (type == nil && !fields.contains(name)) { return .tag(name) }
            return .field(name, type)
        case .number(let d): return .literal(.float(d))
        case .integer(let i): return .literal(.integer(i))
        case .unsigned(let u): return .literal(.unsigned(u))
        case .string(let s): return .literal(.string(s))
        case .boolean(let b): return .literal(.boolean(b))
        case .duration(let d): return .literal(.integer(d))
        case .binary(let op, let a, let b):
            return .binary(op, try planColumn(a, fields: fields), try planColumn(b, fields: fields))
        case .distinct(let name):
            return .call(FunctionCall(name: "distinct", field: name))
        case .call(let name, let args):
            return try planCall(name, args, fields: fields)
        default:
            throw QueryError("unsupported expression: \(e)")
        }
    }

    /// Go's `strconv.FormatFloat(d, 'f', 3, 64)` for the values an argument can hold.
    static func threeDecimals(_ d: Double) -> String {
        guard d.isFinite, abs(d) < 1e15 else { return "\(d)" }
        let scaled = (abs(d) * 1000).rounded()
        let whole = Int64(scaled / 1000), frac = Int64(scaled) % 1000
        let digits = String(frac)
        return (d < 0 && scaled != 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    private static func fieldArg(_ name: String, _ e: Expr?) throws -> String {
        switch e {
        case .varRef(let f, _): return f
        case .distinct(let f) where name == "count": return f
        default: throw QueryError("expected field argument in \(name)()")
        }
    }

    /// A call of `name` over its field argument, with the argument's cast (`mean(f::integer)`;
    /// `::field` is no cast).
    private static func fieldCall(_ name: String, _ e: Expr?) throws -> FunctionCall {
        var fc = FunctionCall(name: name, field: try fieldArg(name, e))
        if case .varRef(_, let type?) = e, type != .field { fc.cast = type }
        return fc
    }

    private static func planCall(_ name: String, _ args: [Expr], fields: Set<String>) throws -> Column {
        func argCount(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                if range.lowerBound == range.upperBound {
                    throw QueryError("invalid number of arguments for \(name), expected \(range.lowerBound), got \(args.count)")
                }
                if range.upperBound > 2 || args.count < range.lowerBound {
                    throw QueryError("invalid number of arguments for \(name), expected at least \(range.lowerBound), got \(args.count)")
                }
                throw QueryError("invalid number of arguments for \(name), expected at least \(range.lowerBound) but no more than \(range.upperBound), got \(args.count)")
            }
        }
        switch name {
        case "count", "mean", "median", "mode", "spread", "stddev", "sum", "first", "last", "max", "min", "distinct":
            try argCount(1...1)
            if name == "count", case .call("distinct", let inner) = args[0] {
                return .call(FunctionCall(name: "count_distinct", field: try fieldArg("distinct", inner.first)))
            }
            if name == "count", case .distinct(let f) = args[0] {
                return .call(FunctionCall(name: "count_distinct", field: f))
            }
            return .call(try fieldCall(name, args[0]))
        case "integral":
            try argCount(1...2)
            var fc = try fieldCall(name, args[0])
            if args.count == 2 {
                guard case .duration(let d) = args[1] else { throw QueryError("second argument must be a duration") }
                fc.unit = d
            }
            return .call(fc)
        case "percentile":
            try argCount(2...2)
            var fc = try fieldCall(name, args[0])
            switch args[1] {
            case .integer(let i): fc.number = Double(i)
            case .number(let d): fc.number = d
            default: throw QueryError("expected float argument in percentile()")
            }
            return .call(fc)
        case "top", "bottom", "sample":
            try argCount(2...(name == "sample" ? 2 : 64))
            var fc = try fieldCall(name, args[0])
            guard case .integer(let n) = args[args.count - 1] else {
                var found = "\(args[args.count - 1])"
                // InfluxQL prints number literals with three decimals.
                if case .number(let d) = args[args.count - 1] { found = Self.threeDecimals(d) }
                throw QueryError("expected integer as last argument in \(name)(), found \(found)")
            }
            guard n > 0 else { throw QueryError("limit (\(n)) in \(name) function must be at least 1") }
            fc.count = Int(n)
            for a in args.dropFirst().dropLast() {
                guard case .varRef(let tag, _) = a else { throw QueryError("only fields or tags are allowed in \(name)(), found \(a)") }
                fc.tags.append(tag)
            }
            return .call(fc)
        case "derivative", "non_negative_derivative", "elapsed", "difference", "non_negative_difference", "cumulative_sum", "moving_average":
            let twoArgs = name == "derivative" || name == "non_negative_derivative" || name == "elapsed"
            if name == "moving_average" { try argCount(2...2) } else if twoArgs { try argCount(1...2) } else { try argCount(1...1) }
            var fc = FunctionCall(name: name, field: "")
            if args.count == 2 {
                switch (name, args[1]) {
                case ("moving_average", .integer(let n)):
                    guard n > 1 else { throw QueryError("moving_average window must be greater than 1, got \(n)") }
                    fc.count = Int(n)
                case (_, .duration(let d)) where name != "moving_average":
                    guard d > 0 else { throw QueryError("duration argument must be positive, got \(d)") }
                    fc.unit = d
                default:
                    throw QueryError("second argument to \(name) must be a duration, got \(args[1])")
                }
            }
            let inner: Column
            switch args[0] {
            case .varRef(let f, let t): inner = .field(f, t)
            case .call(let n, let a):
                inner = try planCall(n, a, fields: fields)
                if case .transform = inner { throw QueryError("\(name) cannot be applied to a transformation") }
            default: throw QueryError("expected field argument in \(name)()")
            }
            fc.field = inner.fields.first ?? ""
            return .transform(fc, inner)
        case _ where MathFunction(rawValue: name) != nil:
            let function = MathFunction(rawValue: name)!
            try argCount(function.arity...function.arity)
            return .math(function, try args.map { try planColumn($0, fields: fields) })
        default:
            throw QueryError("undefined function \(name)()")
        }
    }
}
