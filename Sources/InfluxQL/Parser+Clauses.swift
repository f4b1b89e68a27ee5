extension Parser {
    /// `[ "GROUP" "BY" dimensions ]`, `dimensions = dimension { "," dimension } .`
    mutating func parseDimensions() throws(ParseError) -> [Dimension] {
        guard accept(.keyword(.group)) else { return [] }
        let by = scanIgnoringWhitespace()
        guard by.token == .keyword(.by) else { throw ParseError.unexpected(by, expected: ["BY"]) }
        var dims: [Dimension] = []
        while true {
            dims.append(try parseDimension())
            if scan().token != .comma {
                unscan()
                return dims
            }
        }
    }

    /// `dimension = regex | expr .` — classified into time, tag, regex, `*` or other.
    mutating func parseDimension() throws(ParseError) -> Dimension {
        if let re = try parseRegex() { return .regex(re) }
        let expr = try parseExpr()
        consumeWhitespace()
        switch expr {
        case .call("time", let args) where args.count == 1: return .time(interval: args[0], offset: nil)
        case .call("time", let args) where args.count == 2: return .time(interval: args[0], offset: args[1])
        case .varRef(let name, nil): return .tag(name)
        case .wildcard(nil): return .wildcard
        default: return .expr(expr)
        }
    }

    /// `fill = "fill" "(" ( "null" | "none" | "previous" | "linear" | int | float ) ")" .`
    /// Parsed as an expression first, as InfluxDB does, so its error texts match.
    mutating func parseFill() throws(ParseError) -> Fill {
        let l = scanIgnoringWhitespace()
        unscan()
        guard l.token == .ident, l.lit.lowercased() == "fill" else { return .null }
        let expr = try parseExpr()
        guard case .call(_, let args) = expr else { throw ParseError.bare("fill must be a function call") }
        guard args.count == 1 else {
            throw ParseError.bare("fill requires an argument, e.g.: 0, null, none, previous, linear")
        }
        switch args[0] {
        case .varRef("null", nil): return .null
        case .varRef("none", nil): return .none
        case .varRef("previous", nil): return .previous
        case .varRef("linear", nil): return .linear
        case .integer(let v): return .integer(v)
        case .number(let v): return .number(v)
        default: throw ParseError.bare("expected number argument in fill()")
        }
    }

    /// `[ "ORDER" "BY" sort_fields ]`, `sort_fields = ( "ASC" | "DESC" | "time" [ "ASC" | "DESC" ] ) .`
    /// Returns whether the order is descending.
    mutating func parseOrderBy() throws(ParseError) -> Bool {
        guard accept(.keyword(.order)) else { return false }
        let by = scanIgnoringWhitespace()
        guard by.token == .keyword(.by) else { throw ParseError.unexpected(by, expected: ["BY"]) }
        var count = 1
        var descending = false
        let l = scanIgnoringWhitespace()
        switch l.token {
        case .keyword(.asc): descending = false
        case .keyword(.desc): descending = true
        case .ident:
            unscan()
            descending = try parseSortField()
            if l.lit != "time" { throw ParseError.bare("only ORDER BY time supported at this time") }
        default:
            throw ParseError.unexpected(l, expected: ["identifier", "ASC", "DESC"])
        }
        while accept(.comma) {
            _ = try parseSortField()
            count += 1
        }
        if count > 1 { throw ParseError.bare("only ORDER BY time supported at this time") }
        return descending
    }

    /// `ident [ "ASC" | "DESC" ]` — returns whether it is descending.
    private mutating func parseSortField() throws(ParseError) -> Bool {
        _ = try parseIdent()
        let l = scanIgnoringWhitespace()
        switch l.token {
        case .keyword(.asc): return false
        case .keyword(.desc): return true
        default:
            unscan()
            return false
        }
    }

    /// `[ "tz" "(" string ")" ]` — parsed as an expression, as InfluxDB does.
    mutating func parseLocation() throws(ParseError) -> String? {
        let l = scanIgnoringWhitespace()
        unscan()
        guard l.token == .ident, l.lit.lowercased() == "tz" else { return nil }
        let expr = try parseExpr()
        guard case .call(_, let args) = expr else { throw ParseError.bare("tz must be a function call") }
        guard args.count == 1 else { throw ParseError.bare("tz requires exactly one argument") }
        guard case .string(let name) = args[0] else { throw ParseError.bare("expected string argument in tz()") }
        if let zoneExists, !zoneExists(name) { throw ParseError.bare("unable to find time zone \(name)") }
        return name
    }
}
