/// An InfluxQL expression.
///
/// Shapes follow InfluxDB 1.x's parser exactly: a unary minus before a literal negates the
/// literal, before anything else it becomes `.binary(.multiply, .integer(-1), x)`; parentheses
/// are kept as `.paren`; string literals stay strings (time strings such as
/// `'2020-01-01T00:00:00Z'` are only interpreted when planning); `now()` is `.call("now", [])`.
public indirect enum Expr: Sendable, Hashable {
    /// A field or tag reference with an optional `::type` cast. Dotted references such as
    /// `"a"."b"` are joined with `.` into one name, as InfluxDB does.
    case varRef(String, type: DataType?)
    /// A function call; the name is lower-cased (`MEAN(x)` is `mean`).
    case call(String, [Expr])
    /// A binary operation.
    case binary(BinaryOperator, Expr, Expr)
    /// A parenthesized expression.
    case paren(Expr)
    /// A float literal such as `1.5`.
    case number(Double)
    /// An integer literal such as `42` or `-7`.
    case integer(Int64)
    /// An integer literal above `Int64.max` (up to `UInt64.max`).
    case unsigned(UInt64)
    /// A single-quoted string literal, unescaped.
    case string(String)
    /// `true` or `false`.
    case boolean(Bool)
    /// A duration literal such as `5m` or `1h30m`, in nanoseconds.
    case duration(Int64)
    /// A `/regex/` literal: the pattern with `\/` unescaped (RE2 syntax).
    case regex(String)
    /// `*`, `*::field` or `*::tag`.
    case wildcard(WildcardType?)
    /// `DISTINCT name` (without parentheses); `DISTINCT(x)` is `.call("distinct", [x])`.
    case distinct(String)
}

/// The `::type` cast of a variable reference.
public enum DataType: String, Sendable, Hashable, CaseIterable {
    /// `::float`
    case float
    /// `::integer`
    case integer
    /// `::unsigned`
    case unsigned
    /// `::string`
    case string
    /// `::boolean`
    case boolean
    /// `::field`: any field type.
    case field
    /// `::tag`
    case tag
}

/// The restriction of a `*` wildcard.
public enum WildcardType: String, Sendable, Hashable {
    /// `*::field`
    case field
    /// `*::tag`
    case tag
}

/// A binary operator, with InfluxDB 1.x's precedence.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    /// `+`
    case add = "+"
    /// `-`
    case subtract = "-"
    /// `*`
    case multiply = "*"
    /// `/`
    case divide = "/"
    /// `%`
    case modulo = "%"
    /// `&`
    case bitwiseAnd = "&"
    /// `|`
    case bitwiseOr = "|"
    /// `^`
    case bitwiseXor = "^"
    /// `AND`
    case and = "AND"
    /// `OR`
    case or = "OR"
    /// `=`
    case equal = "="
    /// `!=` (also written `<>`)
    case notEqual = "!="
    /// `=~` (right-hand side is always a `.regex`)
    case matchesRegex = "=~"
    /// `!~` (right-hand side is always a `.regex`)
    case notMatchesRegex = "!~"
    /// `<`
    case less = "<"
    /// `<=`
    case lessOrEqual = "<="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterOrEqual = ">="

    /// Binding strength: OR 1, AND 2, comparisons 4, `+ - | ^` 5, `* / % &` 6.
    /// Operators of equal precedence associate to the left.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .matchesRegex, .notMatchesRegex,
             .less, .lessOrEqual, .greater, .greaterOrEqual: 4
        case .add, .subtract, .bitwiseOr, .bitwiseXor: 5
        case .multiply, .divide, .modulo, .bitwiseAnd: 6
        }
    }

    /// Whether this is a comparison (`= != =~ !~ < <= > >=`).
    public var isComparison: Bool { precedence == 4 }
}
