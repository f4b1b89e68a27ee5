import InfluxQL
import TimeSeries

extension SelectPlan {
    /// InfluxDB 1.6.7's type check of a selected expression's operators, before anything is
    /// read (each rule recorded from influxd): arithmetic (`+ - * / %`) takes numbers only, and
    /// the bitwise operators (`& | ^`) take two integers or a boolean on the left. A side whose
    /// type is unknown (a name that is neither a field nor a tag, a call whose type is not
    /// derived here) passes. The error names the expression with each variable's type, as
    /// `type error: f::float + s::string: incompatible types: float and string`.
    static func checkOperatorTypes(_ e: Expr, fields: [String: FieldType], tags: Set<String>) throws {
        _ = try operatorType(e, fields: fields, tags: tags)
    }

    /// The type a literal expression folds to as InfluxDB reduces it (numbers with arithmetic,
    /// `'a' + 'b'`, integers or booleans with bitwise operators); nil when it does not fold.
    static func literalType(_ e: Expr) -> DataType? {
        if let type = constantType(e) { return type }
        switch e {
        case .paren(let inner): return literalType(inner)
        case .binary(let op, let lhs, let rhs):
            guard let l = literalType(lhs), let r = literalType(rhs) else { return nil }
            switch op {
            case .add where l == .string && r == .string: return .string
            case .add, .subtract, .multiply, .divide, .modulo:
                guard numeric.contains(l), numeric.contains(r) else { return nil }
                return l == .float || r == .float ? .float : l
            case .bitwiseAnd, .bitwiseOr, .bitwiseXor:
                return l == r && (l == .integer || l == .boolean) ? l : nil
            default: return .boolean
            }
        default: return .float  // a call of literals (`abs(1)`): left to the other checks
        }
    }

    /// Whether an arithmetic or bitwise operator has a variable operand that is not a field
    /// (it may be a tag, which the check needs to know).
    static func hasUnresolvedOperand(_ e: Expr, fields: [String: FieldType]) -> Bool {
        func operand(_ x: Expr) -> Bool {
            switch x {
            case .varRef(let name, let cast): return (cast == nil || cast == .tag) && fields[name] == nil
            case .paren(let inner): return operand(inner)
            default: return hasUnresolvedOperand(x, fields: fields)
            }
        }
        switch e {
        case .binary(let op, let lhs, let rhs):
            let typed: Set<BinaryOperator> = [.add, .subtract, .multiply, .divide, .modulo, .bitwiseAnd, .bitwiseOr, .bitwiseXor]
            guard typed.contains(op) else { return false }
            return operand(lhs) || operand(rhs)
        case .paren(let inner): return hasUnresolvedOperand(inner, fields: fields)
        case .call(_, let args): return args.contains { hasUnresolvedOperand($0, fields: fields) }
        default: return false
        }
    }

    private static let numeric: Set<DataType> = [.float, .integer, .unsigned]

    /// A literal's type; nil for anything else.
    private static func constantType(_ e: Expr) -> DataType? {
        switch e {
        case .integer, .duration: .integer
        case .number: .float
        case .unsigned: .unsigned
        case .string: .string
        case .boolean: .boolean
        default: nil
        }
    }

    /// The type `e` evaluates to, nil when unknown; throws on an operator InfluxDB refuses.
    private static func operatorType(_ e: Expr, fields: [String: FieldType], tags: Set<String>) throws -> DataType? {
        if let type = constantType(e) { return type }
        switch e {
        case .varRef(let name, let type):
            return resolvedType(name, type, fields: fields, tags: tags)
        case .paren(let inner): return try operatorType(inner, fields: fields, tags: tags)
        case .call(let name, let args):
            var argument: DataType?
            for (i, a) in args.enumerated() {
                let t = try operatorType(a, fields: fields, tags: tags)
                if i == 0 { argument = t }
            }
            switch name {
            case "count", "elapsed": return .integer
            case "mean", "median", "stddev", "integral", "derivative", "non_negative_derivative", "moving_average": return .float
            case "sum", "min", "max", "first", "last", "mode", "spread", "percentile", "top", "bottom", "sample", "distinct",
                 "difference", "non_negative_difference", "cumulative_sum", "abs":
                return argument
            default: return nil
            }
        case .binary(let op, let lhs, let rhs):
            let l = try operatorType(lhs, fields: fields, tags: tags)
            let r = try operatorType(rhs, fields: fields, tags: tags)
            guard let l, let r else { return nil }
            switch op {
            case .add, .subtract, .multiply, .divide, .modulo:
                guard numeric.contains(l), numeric.contains(r) else { throw typeError(e, l, r, fields: fields, tags: tags) }
                if l == .unsigned || r == .unsigned { return nil }
                return l == .float || r == .float ? .float : .integer
            case .bitwiseAnd, .bitwiseOr, .bitwiseXor:
                if l == .boolean { return .boolean }
                guard l == .integer, r == .integer else { throw typeError(e, l, r, fields: fields, tags: tags) }
                return .integer
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A variable's type as InfluxDB resolves it: its cast, else the field's type, else `tag`.
    private static func resolvedType(_ name: String, _ cast: DataType?, fields: [String: FieldType], tags: Set<String>) -> DataType? {
        if let cast, cast != .field { return cast }
        if let type = fields[name] {
            switch type {
            case .float: return .float
            case .integer: return .integer
            case .unsigned: return .unsigned
            case .boolean: return .boolean
            case .string: return .string
            }
        }
        return cast == nil && tags.contains(name) ? .tag : nil
    }

    private static func typeError(_ e: Expr, _ l: DataType, _ r: DataType, fields: [String: FieldType], tags: Set<String>) -> QueryError {
        QueryError("type error: \(typed(e, fields: fields, tags: tags)): incompatible types: \(l.rawValue) and \(r.rawValue)")
    }

    /// The expression as InfluxDB writes it in a type error: variables with their types, numbers
    /// with three decimals, parentheses as written, a unary minus as the `-1 * x` it parses to.
    private static func typed(_ e: Expr, fields: [String: FieldType], tags: Set<String>) -> String {
        switch e {
        case .varRef(let name, let cast):
            return Expr.varRef(name, type: resolvedType(name, cast, fields: fields, tags: tags) ?? cast).description
        case .number(let v): return threeDecimals(v)
        case .paren(let inner): return "(" + typed(inner, fields: fields, tags: tags) + ")"
        case .call(let name, let args):
            return name + "(" + args.map { typed($0, fields: fields, tags: tags) }.joined(separator: ", ") + ")"
        case .binary(let op, let lhs, let rhs):
            return typed(lhs, fields: fields, tags: tags) + " " + op.rawValue + " " + typed(rhs, fields: fields, tags: tags)
        default:
            return e.description
        }
    }
}
