/// The value of a bound parameter (`$name` in a query; `params={"name": …}` on `/query`), as
/// InfluxDB 1.6 binds it: the parser reads `$name` as the token the value stands for.
public enum BoundParameter: Sendable, Hashable {
    /// `{"identifier": "cpu"}`: a name (measurement, field, tag).
    case identifier(String)
    /// A JSON string, or `{"string": …}`: a string literal.
    case string(String)
    /// A JSON number without a `.`, or `{"integer": …}`.
    case integer(Int64)
    /// A JSON number with a `.`, or `{"float": …}` / `{"number": …}`.
    case number(Double)
    case boolean(Bool)
    /// `{"duration": "10m"}`: a duration literal.
    case duration(String)
    /// A value InfluxDB cannot bind; using it fails with `missing parameter: <reason>`.
    case invalid(String)

    /// The token `$name` becomes, nil when it stays a bound parameter (an invalid value).
    func lexeme(at pos: Position) -> Lexeme? {
        switch self {
        case .identifier(let name): Lexeme(token: .ident, pos: pos, lit: name)
        case .string(let text): Lexeme(token: .string, pos: pos, lit: text)
        case .integer(let value): Lexeme(token: .integer, pos: pos, lit: String(value))
        case .number(let value): Lexeme(token: .number, pos: pos, lit: "\(value)")
        case .boolean(let value): Lexeme(token: value ? .true : .false, pos: pos, lit: value ? "true" : "false")
        case .duration(let text): Lexeme(token: .durationVal, pos: pos, lit: text)
        case .invalid: nil
        }
    }
}
