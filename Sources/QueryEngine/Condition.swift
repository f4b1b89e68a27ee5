import InfluxQL
import TimeSeries

/// What a WHERE clause means for one measurement: a time range, a series (tag) predicate
/// and, when fields are compared, the residual condition to test on each row.
struct Condition {
    var min: Int64 = Int64.min
    var max: Int64 = Int64.max
    var hasMin = false
    var hasMax = false
    var tags: TagPredicate = .always
    /// The whole condition, kept when it compares fields (evaluated per row).
    var rowFilter: Expr?
    /// Fields the row filter reads.
    var filterFields: [String] = []

    /// - Parameters:
    ///   - fields: field keys of the measurement (an identifier that is not a field is a tag).
    ///   - zone: the statement's `tz()`: time strings without an offset are its wall-clock times.
    ///
    /// As in InfluxDB 1.x, time comparisons only bound the time range, wherever they stand: under
    /// OR too, where the ranges are intersected all the same ("there is no such thing as using OR
    /// with a time range"), and the rest of the clause is read without them.
    init(_ whole: Expr?, fields: Set<String>, now: Int64, zone: ZoneInfo? = nil) throws(QueryError) {
        guard let whole else { return }
        self = try Self.timeRange(of: whole, now: now, zone: zone)
        guard let expr = Self.withoutTime(whole) else { return }
        tags = try Self.tagPredicate(expr, fields: fields)
        var referenced: [String] = []
        Self.fieldRefs(expr, fields: fields, into: &referenced)
        if !referenced.isEmpty {
            rowFilter = expr
            filterFields = Array(Set(referenced)).sorted()
        } else if Self.comparesIdentifiers(expr) {
            // `host = host`, `host != region`: no index lookup can answer it, each row does.
            rowFilter = expr
        }
    }

    private init() {}

    /// The time range of `whole` alone (no tags, no row filter).
    static func timeRange(of whole: Expr?, now: Int64, zone: ZoneInfo?) throws(QueryError) -> Condition {
        var c = Condition()
        guard let whole else { return c }
        try c.collectTime(whole, now: now, zone: zone)
        // InfluxDB 1.6.7 reads a lower bound at or before its earliest time as no lower bound
        // (a GROUP BY time() then starts at the first point; recorded).
        if c.hasMin && c.min <= Window.minTime {
            c.hasMin = false
            c.min = Int64.min
        }
        return c
    }

    /// This condition with the time range of `other` (`timeRange(of:)` of a WHERE clause whose
    /// comparisons other than time's are this condition's: the rest is made from those alone).
    func retimed(_ other: Condition) -> Condition {
        var c = self
        (c.min, c.max, c.hasMin, c.hasMax) = (other.min, other.max, other.hasMin, other.hasMax)
        return c
    }

    /// Whether the condition compares two identifiers other than `time` with each other.
    static func comparesIdentifiers(_ e: Expr) -> Bool {
        switch e {
        case .paren(let x): return comparesIdentifiers(x)
        case .binary(let op, let a, let b) where op.isComparison:
            if case .varRef = a, case .varRef = b, !isTime(a), !isTime(b) { return true }
            return false
        case .binary(_, let a, let b): return comparesIdentifiers(a) || comparesIdentifiers(b)
        default: return false
        }
    }

    /// `e` without its time comparisons; an AND or OR with one side left empty is its other side,
    /// nil when nothing is left.
    static func withoutTime(_ e: Expr) -> Expr? {
        switch e {
        case .paren(let x): return withoutTime(x).map { .paren($0) }
        case .binary(let op, let a, let b) where op == .and || op == .or:
            let l = withoutTime(a), r = withoutTime(b)
            guard let l else { return r }
            guard let r else { return l }
            return .binary(op, l, r)
        case .binary(let op, let lhs, let rhs) where op.isComparison && (isTime(lhs) || isTime(rhs)):
            return nil
        default:
            return e
        }
    }

    private mutating func collectTime(_ e: Expr, now: Int64, zone: ZoneInfo?) throws(QueryError) {
        switch e {
        case .paren(let x): try collectTime(x, now: now, zone: zone)
        case .binary(.and, let a, let b), .binary(.or, let a, let b):
            try collectTime(a, now: now, zone: zone)
            try collectTime(b, now: now, zone: zone)
        case .binary(let op, let lhs, let rhs) where op.isComparison:
            var op = op
            let other: Expr
            if Self.isTime(lhs) {
                other = rhs
            } else if Self.isTime(rhs) {
                other = lhs
                switch op {
                case .less: op = .greater
                case .lessOrEqual: op = .greaterOrEqual
                case .greater: op = .less
                case .greaterOrEqual: op = .lessOrEqual
                default: break
                }
            } else {
                return
            }
            let t = try TimeLiteral.evaluate(other, now: now, zone: zone)
            switch op {
            case .greater: lower(t == Int64.max ? t : t + 1)
            case .greaterOrEqual: lower(t)
            case .less: upper(t == Int64.min ? t : t - 1)
            case .lessOrEqual: upper(t)
            case .equal: lower(t); upper(t)
            default: throw QueryError("invalid time comparison operator: \(op.rawValue)")
            }
        default:
            return
        }
    }

    private mutating func lower(_ t: Int64) {
        min = hasMin ? Swift.max(min, t) : t
        hasMin = true
    }

    private mutating func upper(_ t: Int64) {
        max = hasMax ? Swift.min(max, t) : t
        hasMax = true
    }

    static func isTime(_ e: Expr) -> Bool {
        if case .varRef(let name, _) = e, name.lowercased() == "time" { return true }
        return false
    }

    static func isField(_ name: String, _ type: DataType?, fields: Set<String>) -> Bool {
        switch type {
        case .tag: false
        case .none: fields.contains(name)
        default: true
        }
    }

    static func tagPredicate(_ e: Expr, fields: Set<String>) throws(QueryError) -> TagPredicate {
        switch e {
        case .paren(let x): return try tagPredicate(x, fields: fields)
        case .binary(.and, let a, let b):
            let pa = try tagPredicate(a, fields: fields), pb = try tagPredicate(b, fields: fields)
            if case .always = pa { return pb }
            if case .always = pb { return pa }
            return .and(pa, pb)
        case .binary(.or, let a, let b):
            let pa = try tagPredicate(a, fields: fields), pb = try tagPredicate(b, fields: fields)
            if case .always = pa { return .always }
            if case .always = pb { return .always }
            return .or(pa, pb)
        case .binary(let op, let lhs, let rhs) where op.isComparison:
            var key: String?
            var other = rhs
            if case .varRef(let name, let type) = lhs, !isTime(lhs), !isField(name, type, fields: fields) {
                key = name
            } else if case .varRef(let name, let type) = rhs, !isTime(rhs), !isField(name, type, fields: fields) {
                key = name
                other = lhs
            }
            guard let key else { return .always }
            // Compared with another identifier: decided per row (see `comparesIdentifiers`).
            if case .varRef = other, !isTime(other) { return .always }
            switch (op, other) {
            case (.equal, .string(let v)): return .equal(key: key, value: v)
            case (.notEqual, .string(let v)): return .notEqual(key: key, value: v)
            case (.matchesRegex, .regex(let p)):
                if let literals = anchoredAlternatives(p) {
                    return literals.dropFirst().reduce(TagPredicate.equal(key: key, value: literals[0])) { .or($0, .equal(key: key, value: $1)) }
                }
                return .matches(key: key, try regex(p))
            case (.notMatchesRegex, .regex(let p)):
                if let literals = anchoredAlternatives(p) {
                    return literals.dropFirst().reduce(TagPredicate.notEqual(key: key, value: literals[0])) { .and($0, .notEqual(key: key, value: $1)) }
                }
                return .notMatches(key: key, try regex(p))
            case (.equal, _): return .never
            default: return .always
            }
        default:
            return .always
        }
    }

    /// The literals of a pattern Grafana builds from template variables, `^a$` or `^(a|b\.c)$`,
    /// so the common case is an index lookup instead of a regex run per series; nil otherwise.
    static func anchoredAlternatives(_ pattern: String) -> [String]? {
        // Scalars, not Characters: grapheme breaking cost more than the rest of the WHERE
        // clause. A literal is the same string either way.
        var body = Substring(pattern).unicodeScalars
        guard body.first == "^", body.last == "$", body.count >= 2 else { return nil }
        body = body.dropFirst().dropLast()
        if body.first == "(", body.last == ")" { body = body.dropFirst().dropLast() }
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        for scalar in body {
            if escaped {
                // Only escaped punctuation stands for itself; `\d` and friends are classes.
                guard Self.isPunctuationOrSymbol(scalar) || scalar == " " else { return nil }
                current.append(scalar)
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "|":
                out.append(String(current))
                current = String.UnicodeScalarView()
            case ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "^", "$": return nil
            default: current.append(scalar)
            }
        }
        if escaped { return nil }
        out.append(String(current))
        return out.contains(where: \.isEmpty) ? nil : out
    }

    /// `Character.isPunctuation || Character.isSymbol` for one scalar.
    static func isPunctuationOrSymbol(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    static func regex(_ pattern: String) throws(QueryError) -> PatternRegex {
        do {
            return try PatternRegex(pattern)
        } catch {
            throw QueryError("error parsing regex: \(pattern)")
        }
    }

    static func fieldRefs(_ e: Expr, fields: Set<String>, into out: inout [String]) {
        switch e {
        case .varRef(let name, let type):
            if !isTime(e) && isField(name, type, fields: fields) { out.append(name) }
        case .paren(let x): fieldRefs(x, fields: fields, into: &out)
        case .binary(_, let a, let b):
            fieldRefs(a, fields: fields, into: &out)
            fieldRefs(b, fields: fields, into: &out)
        case .call(_, let args):
            for a in args { fieldRefs(a, fields: fields, into: &out) }
        default: break
        }
    }
}
