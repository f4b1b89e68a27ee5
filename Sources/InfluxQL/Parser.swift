// InfluxQL grammar accepted by this parser (InfluxDB 1.x; keywords are case-insensitive).
//
//   query          = [ statement ] { ";" [ statement ] } .
//   statement      = select_stmt | show_stmt | create_db_stmt | drop_stmt | delete_stmt
//                  | create_user_stmt | set_password_stmt | grant_stmt | revoke_stmt .
//   select_stmt    = "SELECT" fields [ "INTO" into_target ] "FROM" sources [ "WHERE" expr ]
//                    [ "GROUP" "BY" dimensions ] [ fill ] [ "ORDER" "BY" sort_fields ]
//                    [ "LIMIT" int ] [ "OFFSET" int ] [ "SLIMIT" int ] [ "SOFFSET" int ]
//                    [ "tz" "(" string ")" ] .
//   fields         = field { "," field } .
//   field          = ( regex | expr ) [ "AS" ident ] .
//   sources        = source { "," source } .
//   source         = regex | "(" select_stmt ")" | segmented_ident [ "." regex ] .
//   segmented_ident= ident { "." [ ident ] } .                      (at most 3 segments)
//   dimensions     = dimension { "," dimension } .
//   dimension      = regex | expr .
//   fill           = "fill" "(" ( "null" | "none" | "previous" | "linear" | int | float ) ")" .
//   sort_fields    = ( "ASC" | "DESC" | "time" [ "ASC" | "DESC" ] ) .
//   expr           = unary_expr { binary_op unary_expr } .          (precedence climbing)
//   binary_op      = "OR" | "AND" | "=" | "!=" | "<>" | "=~" | "!~" | "<" | "<=" | ">" | ">="
//                  | "+" | "-" | "|" | "^" | "*" | "/" | "%" | "&" .
//   unary_expr     = "(" expr ")" | ident "(" [ call_args ] ")" | var_ref | "DISTINCT" ident
//                  | "DISTINCT" "(" call_args ")" | string | number | int | duration
//                  | "true" | "false" | "*" [ "::" ( "field" | "tag" ) ] | ( "+" | "-" ) unary_expr .
//   var_ref        = segmented_ident [ "::" ( "float" | "integer" | "unsigned" | "string"
//                  | "boolean" | "field" | "tag" ) ] .
//   call_args      = ( regex | expr ) { "," ( regex | expr ) } .
//   show_stmt      = "SHOW" ( "DATABASES" | "MEASUREMENTS" show_meas | "TAG" "KEYS" show_tag_keys
//                  | "TAG" "VALUES" show_tag_values | "FIELD" "KEYS" show_field_keys
//                  | "SERIES" show_series | "RETENTION" "POLICIES" [ "ON" ident ]
//                  | "STATS" [ "FOR" string ] | "DIAGNOSTICS" [ "FOR" string ] | "USERS"
//                  | "CONTINUOUS" "QUERIES" | "QUERIES" | "SHARDS" | "SHARD" "GROUPS"
//                  | "SUBSCRIPTIONS" | "GRANTS" "FOR" ident | cardinality ) .
//   cardinality    = ( "SERIES" | "MEASUREMENT" | "TAG" "KEY" | "TAG" "VALUES" | "FIELD" "KEY" )
//                    [ "EXACT" ] "CARDINALITY" cardinality_clauses .
//   create_db_stmt = "CREATE" "DATABASE" ident [ "WITH" [ "DURATION" duration ]
//                    [ "REPLICATION" int ] [ "SHARD" "DURATION" duration ] [ "NAME" ident ] ] .
//   drop_stmt      = "DROP" ( "DATABASE" ident | "MEASUREMENT" ident | "USER" ident
//                  | "SERIES" [ "FROM" sources ] [ "WHERE" expr ] ) .
//   create_user_stmt = "CREATE" "USER" ident "WITH" "PASSWORD" string [ "WITH" "ALL" "PRIVILEGES" ] .
//   set_password_stmt = "SET" "PASSWORD" "FOR" ident "=" string .
//   grant_stmt     = "GRANT" privilege ( "ON" ident "TO" ident | "TO" ident ) .   (TO alone: ALL only)
//   revoke_stmt    = "REVOKE" privilege ( "ON" ident "FROM" ident | "FROM" ident ) . (FROM alone: ALL only)
//   privilege      = "READ" | "WRITE" | "ALL" [ "PRIVILEGES" ] .
//   delete_stmt    = "DELETE" [ "FROM" sources ] [ "WHERE" expr ] .

/// Recursive-descent InfluxQL parser mirroring InfluxDB 1.x's `influxql.Parser`, including its
/// three-token unscan buffer and its direct peeks at the character stream, so that errors
/// (message and position) come out identical.
struct Parser {
    var scanner: Scanner
    private var buffer: [Lexeme] = Array(repeating: Lexeme(token: .eof, pos: Position(line: 0, char: 0), lit: ""), count: 3)
    private var slot = 0
    private var unscanned = 0
    /// The deepest nesting allowed (see `InfluxQLParser.parse(_:maxDepth:)`).
    let maxDepth: Int
    /// The current recursion depth of expression/subquery parsing.
    var depth = 0
    /// Whether `tz(name)` names a known zone; InfluxDB loads the zone while parsing.
    var zoneExists: ((String) -> Bool)?
    /// Bound parameters: `$name` is read as the token its value stands for.
    var params: [String: BoundParameter] = [:]

    init(_ text: String, maxDepth: Int) {
        scanner = Scanner(text)
        self.maxDepth = maxDepth
    }

    // MARK: token buffer

    /// Returns the next token, whitespace and comments included.
    mutating func scan() -> Lexeme {
        if unscanned > 0 {
            unscanned -= 1
            return buffer[(slot - unscanned + 3) % 3]
        }
        slot = (slot + 1) % 3
        var next = scanner.scan()
        if next.token == .boundParam, !params.isEmpty, next.lit.count > 1,
           let bound = params[String(next.lit.dropFirst())]?.lexeme(at: next.pos) {
            next = bound
        }
        buffer[slot] = next
        return buffer[slot]
    }

    /// Puts the last token back (up to three).
    mutating func unscan() {
        unscanned += 1
    }

    /// Returns the next token that is neither whitespace nor a comment.
    mutating func scanIgnoringWhitespace() -> Lexeme {
        while true {
            let l = scan()
            if l.token != .ws && l.token != .comment { return l }
        }
    }

    /// Peeks at the next character of the underlying input (past any unscanned tokens, as
    /// InfluxDB does); the end of input is consumed by the peek.
    mutating func peekRune() -> UInt32 {
        let (ch, atEOF) = scanner.reader.readRune()
        if !atEOF { scanner.reader.unread() }
        return ch
    }

    /// Skips one whitespace token (through the token buffer, so an unscanned token stays put).
    mutating func consumeWhitespace() {
        if scan().token != .ws { unscan() }
    }

    /// Scans a regex literal through the token buffer, as InfluxDB does: when a token was
    /// unscanned, that token is returned instead (and then fails as "expected regex").
    mutating func scanRegex() -> Lexeme {
        if unscanned > 0 {
            unscanned -= 1
            return buffer[(slot - unscanned + 3) % 3]
        }
        slot = (slot + 1) % 3
        buffer[slot] = scanner.scanRegex()
        return buffer[slot]
    }

    // MARK: small productions

    /// `ident` — a bare or double-quoted identifier.
    mutating func parseIdent() throws(ParseError) -> String {
        let l = scanIgnoringWhitespace()
        guard l.token == .ident else { throw ParseError.unexpected(l, expected: ["identifier"]) }
        return l.lit
    }

    /// `ident { "," ident }`
    mutating func parseIdentList() throws(ParseError) -> [String] {
        var idents = [try parseIdent()]
        while true {
            let l = scanIgnoringWhitespace()
            guard l.token == .comma else {
                unscan()
                return idents
            }
            idents.append(try parseIdent())
        }
    }

    /// `string`
    mutating func parseString() throws(ParseError) -> String {
        let l = scanIgnoringWhitespace()
        guard l.token == .string else { throw ParseError.unexpected(l, expected: ["string"]) }
        return l.lit
    }

    /// Requires the given tokens in order.
    mutating func expect(_ tokens: Token...) throws(ParseError) {
        for t in tokens {
            let l = scanIgnoringWhitespace()
            if l.token != t { throw ParseError.unexpected(l, expected: [t.description]) }
        }
    }

    /// Consumes `token` when it is next (ignoring whitespace); otherwise leaves input untouched.
    mutating func accept(_ token: Token) -> Bool {
        if scanIgnoringWhitespace().token == token { return true }
        unscan()
        return false
    }

    /// `[ keyword int ]` — InfluxDB's `ParseOptionalTokenAndInt`; absent gives 0.
    mutating func parseOptionalInt(after keyword: Keyword) throws(ParseError) -> Int {
        guard accept(.keyword(keyword)) else { return 0 }
        let l = scanIgnoringWhitespace()
        guard l.token == .integer else { throw ParseError.unexpected(l, expected: ["integer"]) }
        // InfluxDB ignores the conversion error and saturates at Int64.max.
        return Int(l.lit) ?? Int.max
    }

    /// `int` within `min...max` — InfluxDB's `ParseInt`.
    mutating func parseInt(min: Int, max: Int) throws(ParseError) -> Int {
        let l = scanIgnoringWhitespace()
        guard l.token == .integer else { throw ParseError.unexpected(l, expected: ["integer"]) }
        guard let n = Int(l.lit) else {
            throw ParseError.at("strconv.Atoi: parsing \"\(l.lit)\": value out of range", l.pos)
        }
        guard n >= min && n <= max else {
            throw ParseError.at("invalid value \(n): must be \(min) <= n <= \(max)", l.pos)
        }
        return n
    }

    /// `duration | "INF"` — InfluxDB's `ParseDuration` (INF is 0).
    mutating func parseDurationValue() throws(ParseError) -> Int64 {
        let l = scanIgnoringWhitespace()
        if l.token == .keyword(.inf) { return 0 }
        guard l.token == .durationVal else { throw ParseError.unexpected(l, expected: ["duration"]) }
        do {
            return try InfluxDuration.parse(l.lit)
        } catch {
            throw ParseError.at(error.message, l.pos)
        }
    }

    /// Enters one nesting level, failing beyond `maxDepth`.
    mutating func enter(at pos: Position) throws(ParseError) {
        depth += 1
        if depth > maxDepth { throw ParseError.tooDeep(maxDepth, pos) }
    }
}

extension ParseError {
    /// InfluxDB's `newParseError`: `found X, expected A, B` at the token's position.
    static func unexpected(_ l: Lexeme, expected: [String]) -> ParseError {
        at("found \(l.found), expected \(expected.joined(separator: ", "))", l.pos)
    }

    /// A message at a 0-based position.
    static func at(_ message: String, _ pos: Position) -> ParseError {
        ParseError(message: message, line: pos.line + 1, char: pos.char + 1)
    }

    /// A message InfluxDB reports without a position.
    static func bare(_ message: String) -> ParseError {
        ParseError(message: message, line: 0, char: 0)
    }

    /// Nesting beyond the parser's cap (collectlite's own message; InfluxDB has no cap).
    static func tooDeep(_ limit: Int, _ pos: Position) -> ParseError {
        at("query nesting exceeds the maximum depth of \(limit)", pos)
    }
}
