import InfluxQL
import TimeSeries

/// Evaluates expressions on one row: tags from the series key, fields from the row's values.
struct RowEval {
    var key: SeriesKey
    var fields: Set<String>
    var lookup: (String) -> FieldValue?

    func value(_ e: Expr) -> ResultValue {
        switch e {
        case .paren(let x): return value(x)
        case .varRef(let name, let type):
            if Condition.isField(name, type, fields: fields) {
                return lookup(name).map(ResultValue.init) ?? .null
            }
            return key[tag: name].map(ResultValue.string) ?? .null
        case .number(let d): return .float(d)
        case .integer(let i): return .integer(i)
        case .unsigned(let u): return .unsigned(u)
        case .string(let s): return .string(s)
        case .boolean(let b): return .boolean(b)
        case .duration(let d): return .integer(d)
        case .binary(let op, let a, let b):
            if op == .and || op == .or || op.isComparison { return .boolean(truth(e)) }
            return Self.arithmetic(op, value(a), value(b))
        default: return .null
        }
    }

    func truth(_ e: Expr) -> Bool {
        switch e {
        case .paren(let x): return truth(x)
        case .boolean(let b): return b
        case .binary(.and, let a, let b): return truth(a) && truth(b)
        case .binary(.or, let a, let b): return truth(a) || truth(b)
        case .binary(let op, let lhs, let rhs) where op.isComparison:
            if Condition.isTime(lhs) || Condition.isTime(rhs) { return true }
            if op == .matchesRegex || op == .notMatchesRegex {
                guard case .regex(let p) = rhs, let re = try? PatternRegex(p) else { return false }
                let l = value(lhs)
                let text: String
                switch l {
                case .string(let s): text = s
                case .null: text = ""
                default: return false
                }
                return re.matches(text) == (op == .matchesRegex)
            }
            var l = value(lhs), r = value(rhs)
            // A missing tag compares as the empty string.
            if case .varRef(let n, let t) = lhs, !Condition.isField(n, t, fields: fields), l.isNull { l = .string("") }
            if case .varRef(let n, let t) = rhs, !Condition.isField(n, t, fields: fields), r.isNull { r = .string("") }
            return Self.compare(op, l, r)
        default:
            return value(e) == .boolean(true)
        }
    }

    static func compare(_ op: BinaryOperator, _ l: ResultValue, _ r: ResultValue) -> Bool {
        switch (l, r) {
        case (.string(let a), .string(let b)):
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            default: return false
            }
        case (.boolean(let a), .boolean(let b)):
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default: return false
            }
        default:
            guard let a = l.double, let b = r.double else { return false }
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            default: return false
            }
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ l: ResultValue, _ r: ResultValue) -> ResultValue {
        if case .integer(let a) = l, case .integer(let b) = r {
            switch op {
            case .add: return .integer(a &+ b)
            case .subtract: return .integer(a &- b)
            case .multiply: return .integer(a &* b)
            case .divide: return b == 0 ? .float(0) : .float(Double(a) / Double(b))
            // InfluxDB 1.6.7 answers 0 for an integer remainder by zero (recorded).
            case .modulo: return b == 0 ? .integer(0) : .integer(a.remainderReportingOverflow(dividingBy: b).partialValue)
            case .bitwiseAnd: return .integer(a & b)
            case .bitwiseOr: return .integer(a | b)
            case .bitwiseXor: return .integer(a ^ b)
            default: return .null
            }
        }
        if case .boolean(let a) = l, case .boolean(let b) = r {
            // `&`, `|`, `^` of booleans are logical in InfluxDB 1.6.7 (recorded).
            switch op {
            case .bitwiseAnd: return .boolean(a && b)
            case .bitwiseOr: return .boolean(a || b)
            case .bitwiseXor: return .boolean(a != b)
            default: return .null
            }
        }
        if op == .bitwiseAnd || op == .bitwiseOr || op == .bitwiseXor {
            // Beside a boolean a missing value is false, and a boolean with a value of another
            // type is false (InfluxDB 1.6.7, recorded: `b | nosuch` is b, `b & 1` false).
            switch (l, r) {
            case (.boolean(let a), .null): return arithmetic(op, .boolean(a), .boolean(false))
            case (.null, .boolean(let b)): return arithmetic(op, .boolean(false), .boolean(b))
            case (.boolean, _): return .boolean(false)
            default: break
            }
        }
        guard let a = l.double, let b = r.double else { return .null }
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide: return b == 0 ? .float(0) : .float(a / b)
        case .modulo: return .float(a.truncatingRemainder(dividingBy: b))
        default: return .null
        }
    }
}
