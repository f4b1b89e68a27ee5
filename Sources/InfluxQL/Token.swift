/// A lexical token kind of InfluxQL, as InfluxDB 1.x's scanner distinguishes them.
///
/// `description` is InfluxDB's token name (used in "found X, expected Y" messages).
enum Token: Hashable, Sendable, CustomStringConvertible {
    case illegal, eof, ws, comment
    case ident, boundParam, number, integer, durationVal, string, badString, badEscape
    case `true`, `false`, regex, badRegex
    case add, sub, mul, div, mod, bitwiseAnd, bitwiseOr, bitwiseXor
    case and, or
    case eq, neq, eqRegex, neqRegex, lt, lte, gt, gte
    case lparen, rparen, comma, colon, doubleColon, semicolon, dot
    case keyword(Keyword)

    var description: String {
        switch self {
        case .illegal: "ILLEGAL"
        case .eof: "EOF"
        case .ws: "WS"
        case .comment: "COMMENT"
        case .ident: "IDENT"
        case .boundParam: "BOUNDPARAM"
        case .number: "NUMBER"
        case .integer: "INTEGER"
        case .durationVal: "DURATIONVAL"
        case .string: "STRING"
        case .badString: "BADSTRING"
        case .badEscape: "BADESCAPE"
        case .true: "TRUE"
        case .false: "FALSE"
        case .regex: "REGEX"
        case .badRegex: "BADREGEX"
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .mod: "%"
        case .bitwiseAnd: "&"
        case .bitwiseOr: "|"
        case .bitwiseXor: "^"
        case .and: "AND"
        case .or: "OR"
        case .eq: "="
        case .neq: "!="
        case .eqRegex: "=~"
        case .neqRegex: "!~"
        case .lt: "<"
        case .lte: "<="
        case .gt: ">"
        case .gte: ">="
        case .lparen: "("
        case .rparen: ")"
        case .comma: ","
        case .colon: ":"
        case .doubleColon: "::"
        case .semicolon: ";"
        case .dot: "."
        case .keyword(let k): k.rawValue
        }
    }

    /// The binary operator this token denotes, if any.
    var binaryOperator: BinaryOperator? {
        switch self {
        case .add: .add
        case .sub: .subtract
        case .mul: .multiply
        case .div: .divide
        case .mod: .modulo
        case .bitwiseAnd: .bitwiseAnd
        case .bitwiseOr: .bitwiseOr
        case .bitwiseXor: .bitwiseXor
        case .and: .and
        case .or: .or
        case .eq: .equal
        case .neq: .notEqual
        case .eqRegex: .matchesRegex
        case .neqRegex: .notMatchesRegex
        case .lt: .less
        case .lte: .lessOrEqual
        case .gt: .greater
        case .gte: .greaterOrEqual
        default: nil
        }
    }

    /// Maps an identifier to its keyword token (case-insensitively), or `.ident`.
    static func lookup(_ ident: String) -> Token {
        // Keywords are ASCII and at most 13 letters long.
        guard ident.utf8.count <= 13 else { return .ident }
        let lower = String(decoding: ident.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        switch lower {
        case "and": return .and
        case "or": return .or
        case "true": return .true
        case "false": return .false
        default: break
        }
        if let k = Keyword.byLowercase[lower] { return .keyword(k) }
        return .ident
    }
}

/// InfluxQL's reserved words (InfluxDB 1.6); an unquoted identifier spelled like one is a keyword.
enum Keyword: String, CaseIterable, Sendable {
    case all = "ALL", alter = "ALTER", analyze = "ANALYZE", any = "ANY", `as` = "AS", asc = "ASC"
    case begin = "BEGIN", by = "BY", cardinality = "CARDINALITY", create = "CREATE"
    case continuous = "CONTINUOUS", database = "DATABASE", databases = "DATABASES"
    case `default` = "DEFAULT", delete = "DELETE", desc = "DESC", destinations = "DESTINATIONS"
    case diagnostics = "DIAGNOSTICS", distinct = "DISTINCT", drop = "DROP", duration = "DURATION"
    case end = "END", every = "EVERY", exact = "EXACT", explain = "EXPLAIN", field = "FIELD"
    case `for` = "FOR", from = "FROM", grant = "GRANT", grants = "GRANTS", group = "GROUP"
    case groups = "GROUPS", `in` = "IN", inf = "INF", insert = "INSERT", into = "INTO", key = "KEY"
    case keys = "KEYS", kill = "KILL", limit = "LIMIT", measurement = "MEASUREMENT"
    case measurements = "MEASUREMENTS", name = "NAME", offset = "OFFSET", on = "ON", order = "ORDER"
    case password = "PASSWORD", policy = "POLICY", policies = "POLICIES", privileges = "PRIVILEGES"
    case queries = "QUERIES", query = "QUERY", read = "READ", replication = "REPLICATION"
    case resample = "RESAMPLE", retention = "RETENTION", revoke = "REVOKE", select = "SELECT"
    case series = "SERIES", set = "SET", show = "SHOW", shard = "SHARD", shards = "SHARDS"
    case slimit = "SLIMIT", soffset = "SOFFSET", stats = "STATS", subscription = "SUBSCRIPTION"
    case subscriptions = "SUBSCRIPTIONS", tag = "TAG", to = "TO", user = "USER", users = "USERS"
    case values = "VALUES", `where` = "WHERE", with = "WITH", write = "WRITE"

    static let byLowercase: [String: Keyword] = {
        var map: [String: Keyword] = [:]
        for k in allCases { map[k.rawValue.lowercased()] = k }
        return map
    }()
}

/// A scanned token with its position and literal text (InfluxDB's `tok, pos, lit`).
struct Lexeme: Sendable {
    var token: Token
    var pos: Position
    var lit: String

    /// InfluxDB's `tokstr`: the literal when non-empty, otherwise the token's name.
    var found: String { lit.isEmpty ? token.description : lit }
}

/// A 0-based line/character position (characters are Unicode scalars).
struct Position: Hashable, Sendable {
    var line: Int
    var char: Int
}
