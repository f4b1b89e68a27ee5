extension Parser {
    /// `select_stmt = "SELECT" fields [ "INTO" into_target ] "FROM" sources [ "WHERE" expr ]
    ///   [ "GROUP" "BY" dimensions ] [ fill ] [ "ORDER" "BY" sort_fields ] [ "LIMIT" int ]
    ///   [ "OFFSET" int ] [ "SLIMIT" int ] [ "SOFFSET" int ] [ "tz" "(" string ")" ] .`
    /// (the leading `SELECT` has been consumed; `intoRequired` for a continuous query's SELECT)
    mutating func parseSelectStatement(intoRequired: Bool = false) throws(ParseError) -> SelectStatement {
        let fields = try parseFields()
        let into = try parseInto(required: intoRequired)
        let from = scanIgnoringWhitespace()
        guard from.token == .keyword(.from) else { throw ParseError.unexpected(from, expected: ["FROM"]) }
        var stmt = SelectStatement(fields: fields, into: into, sources: try parseSources(subqueries: true))
        stmt.condition = try parseCondition()
        stmt.dimensions = try parseDimensions()
        stmt.fill = try parseFill()
        stmt.orderDescending = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        stmt.slimit = try parseOptionalInt(after: .slimit)
        stmt.soffset = try parseOptionalInt(after: .soffset)
        stmt.timezone = try parseLocation()
        return stmt
    }

    /// `fields = field { "," field } .`
    mutating func parseFields() throws(ParseError) -> [SelectField] {
        var fields: [SelectField] = []
        while true {
            fields.append(try parseField())
            if scan().token != .comma {
                unscan()
                return fields
            }
        }
    }

    /// `field = ( regex | expr ) [ "AS" ident ] .` — comparisons and AND/OR are rejected here.
    mutating func parseField() throws(ParseError) -> SelectField {
        var field: SelectField
        if let re = try parseRegex() {
            field = SelectField(expr: .regex(re))
        } else {
            let start = scanIgnoringWhitespace().pos
            unscan()
            let expr = try parseExpr()
            if let bad = Parser.invalidFieldOperator(in: expr) {
                throw ParseError.bare(
                    "invalid operator \(bad.rawValue) in SELECT clause at line \(start.line + 1), char \(start.char + 1); operator is intended for WHERE clause")
            }
            field = SelectField(expr: expr)
        }
        if accept(.keyword(.as)) { field.alias = try parseIdent() }
        consumeWhitespace()
        return field
    }

    /// The WHERE-only operator InfluxDB reports for a SELECT field (the last one found in
    /// pre-order, not looking inside an offending operation).
    static func invalidFieldOperator(in expr: Expr) -> BinaryOperator? {
        var found: BinaryOperator?
        var stack = [expr]
        while let e = stack.popLast() {
            switch e {
            case .binary(let op, let l, let r):
                if op.isComparison || op == .and || op == .or {
                    found = op
                } else {
                    stack.append(r)
                    stack.append(l)
                }
            case .paren(let inner): stack.append(inner)
            case .call(_, let args): stack.append(contentsOf: args.reversed())
            default: break
            }
        }
        return found
    }

    /// `into_target = segmented_ident [ ":MEASUREMENT" ] .` (after `INTO`)
    mutating func parseInto(required: Bool = false) throws(ParseError) -> Measurement? {
        let l = scanIgnoringWhitespace()
        guard l.token == .keyword(.into) else {
            if required { throw ParseError.unexpected(l, expected: ["INTO"]) }
            unscan()
            return nil
        }
        var idents = try parseSegmentedIdents()
        if idents.count < 3 && peekRune() == 58 {
            try expect(.colon, .keyword(.measurement))
            idents.append("")
        }
        return Parser.measurement(from: idents, regex: nil)
    }

    /// `sources = source { "," source } .`
    mutating func parseSources(subqueries: Bool) throws(ParseError) -> [Source] {
        var sources: [Source] = []
        while true {
            sources.append(try parseSource(subqueries: subqueries))
            if !accept(.comma) { return sources }
        }
    }

    /// `source = regex | "(" select_stmt ")" | segmented_ident [ "." regex ] .`
    mutating func parseSource(subqueries: Bool) throws(ParseError) -> Source {
        if let re = try parseRegex() { return .measurement(Measurement(name: .regex(re))) }
        if subqueries {
            let l = scanIgnoringWhitespace()
            if l.token == .lparen {
                try expect(.keyword(.select))
                try enter(at: l.pos)
                let stmt = try parseSelectStatement()
                depth -= 1
                try expect(.rparen)
                return .subquery(stmt)
            }
            unscan()
        }
        let idents = try parseSegmentedIdents()
        if idents.count == 3 { return .measurement(Parser.measurement(from: idents, regex: nil)) }
        let re = try parseRegex()
        return .measurement(Parser.measurement(from: idents, regex: re))
    }

    /// Assigns 1–3 segments (and an optional trailing regex) to database, policy and name.
    static func measurement(from idents: [String], regex: String?) -> Measurement {
        func opt(_ s: String) -> String? { s.isEmpty ? nil : s }
        var parts = idents
        if let regex {
            parts.append("")
            var m = measurement(from: parts, regex: nil)
            m.name = .regex(regex)
            return m
        }
        switch parts.count {
        case 1: return Measurement(name: .name(parts[0]))
        case 2: return Measurement(retentionPolicy: opt(parts[0]), name: .name(parts[1]))
        default: return Measurement(database: opt(parts[0]), retentionPolicy: opt(parts[1]), name: .name(parts[2]))
        }
    }

    /// `segmented_ident = ident { "." [ ident ] } .` — stops before a regex or `:` segment;
    /// more than three segments is an error.
    mutating func parseSegmentedIdents() throws(ParseError) -> [String] {
        var idents = [try parseIdent()]
        while true {
            if scan().token != .dot {
                unscan()
                break
            }
            let ch = peekRune()
            if ch == 47 || ch == 58 { break }
            if ch == 46 {
                idents.append("")
                continue
            }
            idents.append(try parseIdent())
        }
        if idents.count > 3 {
            throw ParseError(message: "too many segments in \(Render.ident(segments: idents))", line: 1, char: 1)
        }
        return idents
    }

    /// `[ "WHERE" expr ]`
    mutating func parseCondition() throws(ParseError) -> Expr? {
        guard accept(.keyword(.where)) else { return nil }
        return try parseExpr()
    }
}
