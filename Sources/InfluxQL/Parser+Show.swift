extension Parser {
    /// `[ "ON" ident ]`
    private mutating func parseOn() throws(ParseError) -> String? {
        accept(.keyword(.on)) ? try parseIdent() : nil
    }

    /// `[ "FROM" sources ]` (no subqueries)
    private mutating func parseOptionalFrom() throws(ParseError) -> [Source] {
        accept(.keyword(.from)) ? try parseSources(subqueries: false) : []
    }

    /// `show_meas = [ "ON" ident ] [ "WITH" "MEASUREMENT" ( "=" | "=~" ) source ] [ "WHERE" expr ]
    ///   [ "ORDER" "BY" sort_fields ] [ "LIMIT" int ] [ "OFFSET" int ] .`
    mutating func parseShowMeasurementsStatement() throws(ParseError) -> ShowMeasurementsStatement {
        var stmt = ShowMeasurementsStatement(database: try parseOn())
        if accept(.keyword(.with)) {
            try expect(.keyword(.measurement))
            let op = scanIgnoringWhitespace()
            guard op.token == .eq || op.token == .eqRegex else {
                throw ParseError.unexpected(op, expected: ["=", "=~"])
            }
            if case .measurement(let m) = try parseSource(subqueries: false) { stmt.source = m }
        }
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        return stmt
    }

    /// `show_tag_keys = [ "ON" ident ] [ "FROM" sources ] [ "WHERE" expr ] [ "ORDER" "BY" sort_fields ]
    ///   [ "LIMIT" int ] [ "OFFSET" int ] [ "SLIMIT" int ] [ "SOFFSET" int ] .`
    mutating func parseShowTagKeysStatement() throws(ParseError) -> ShowTagKeysStatement {
        var stmt = ShowTagKeysStatement(database: try parseOn())
        stmt.sources = try parseOptionalFrom()
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        stmt.slimit = try parseOptionalInt(after: .slimit)
        stmt.soffset = try parseOptionalInt(after: .soffset)
        return stmt
    }

    /// `show_tag_values = [ "ON" ident ] [ "FROM" sources ] "WITH" "KEY" ( ( "=" | "!=" ) ident
    ///   | ( "=~" | "!~" ) regex | "IN" "(" ident { "," ident } ")" ) [ "WHERE" expr ]
    ///   [ "ORDER" "BY" sort_fields ] [ "LIMIT" int ] [ "OFFSET" int ] .`
    mutating func parseShowTagValuesStatement() throws(ParseError) -> ShowTagValuesStatement {
        let database = try parseOn()
        let sources = try parseOptionalFrom()
        var stmt = ShowTagValuesStatement(database: database, sources: sources, key: try parseTagKeyMatch())
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        return stmt
    }

    /// `"WITH" "KEY" ( ( "=" | "!=" ) ident | ( "=~" | "!~" ) regex | "IN" "(" ident { "," ident } ")" )`
    private mutating func parseTagKeyMatch() throws(ParseError) -> TagKeyMatch {
        try expect(.keyword(.with), .keyword(.key))
        let op = scanIgnoringWhitespace()
        switch op.token {
        case .keyword(.in):
            let open = scanIgnoringWhitespace()
            guard open.token == .lparen else { throw ParseError.unexpected(open, expected: ["("]) }
            let keys = try parseIdentList()
            let close = scanIgnoringWhitespace()
            guard close.token == .rparen else { throw ParseError.unexpected(close, expected: [")"]) }
            return .in(keys)
        case .eq: return .equal(try parseIdent())
        case .neq: return .notEqual(try parseIdent())
        case .eqRegex, .neqRegex:
            guard let re = try parseRegex() else {
                throw ParseError.unexpected(scanIgnoringWhitespace(), expected: ["regex"])
            }
            return op.token == .eqRegex ? .matches(regex: re) : .notMatches(regex: re)
        default:
            throw ParseError.unexpected(op, expected: ["IN", "=", "=~"])
        }
    }

    /// `show_field_keys = [ "ON" ident ] [ "FROM" sources ] [ "ORDER" "BY" sort_fields ]
    ///   [ "LIMIT" int ] [ "OFFSET" int ] .`
    mutating func parseShowFieldKeysStatement() throws(ParseError) -> ShowFieldKeysStatement {
        var stmt = ShowFieldKeysStatement(database: try parseOn())
        stmt.sources = try parseOptionalFrom()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        return stmt
    }

    /// `show_series = [ "ON" ident ] [ "FROM" sources ] [ "WHERE" expr ] [ "ORDER" "BY" sort_fields ]
    ///   [ "LIMIT" int ] [ "OFFSET" int ] .`
    mutating func parseShowSeriesStatement() throws(ParseError) -> ShowSeriesStatement {
        var stmt = ShowSeriesStatement(database: try parseOn())
        stmt.sources = try parseOptionalFrom()
        stmt.condition = try parseCondition()
        _ = try parseOrderBy()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        return stmt
    }

    /// `cardinality_clauses = [ "ON" ident ] [ "FROM" sources ] [ with_key ] [ "WHERE" expr ]
    ///   [ "GROUP" "BY" dimensions ] [ "LIMIT" int ] [ "OFFSET" int ] .` — `with_key` is required
    /// for TAG VALUES and absent otherwise.
    mutating func parseShowCardinalityClauses(_ kind: ShowCardinalityStatement.Kind) throws(ParseError) -> ShowCardinalityStatement {
        var stmt = ShowCardinalityStatement(kind: kind, database: try parseOn())
        stmt.sources = try parseOptionalFrom()
        if kind == .tagValues { stmt.key = try parseTagKeyMatch() }
        stmt.condition = try parseCondition()
        stmt.dimensions = try parseDimensions()
        stmt.limit = try parseOptionalInt(after: .limit)
        stmt.offset = try parseOptionalInt(after: .offset)
        return stmt
    }

    /// `create_db_stmt = "CREATE" "DATABASE" ident [ "WITH" [ "DURATION" duration ]
    ///   [ "REPLICATION" int ] [ "SHARD" "DURATION" duration ] [ "NAME" ident ] ] .`
    mutating func parseCreateDatabaseStatement() throws(ParseError) -> CreateDatabaseStatement {
        var stmt = CreateDatabaseStatement(name: try parseIdent())
        guard accept(.keyword(.with)) else { return stmt }
        let first = scanIgnoringWhitespace()
        guard [.keyword(.duration), .keyword(.name), .keyword(.replication), .keyword(.shard)].contains(first.token)
        else { throw ParseError.unexpected(first, expected: ["DURATION", "NAME", "REPLICATION", "SHARD"]) }
        unscan()
        stmt.retentionPolicyCreate = true
        if accept(.keyword(.duration)) { stmt.retentionPolicyDuration = try parseDurationValue() }
        if accept(.keyword(.replication)) { stmt.retentionPolicyReplication = try parseInt(min: 1, max: Int(Int32.max)) }
        if accept(.keyword(.shard)) {
            let d = scanIgnoringWhitespace()
            guard d.token == .keyword(.duration) else { throw ParseError.unexpected(d, expected: ["DURATION"]) }
            stmt.retentionPolicyShardGroupDuration = try parseDurationValue()
        }
        if accept(.keyword(.name)) { stmt.retentionPolicyName = try parseIdent() }
        return stmt
    }

    /// `[ "FROM" sources ] [ "WHERE" expr ]` of DROP SERIES / DELETE; at least one is required and
    /// sources may not name a database or retention policy.
    mutating func parseDeleteSeries() throws(ParseError) -> DeleteSeriesStatement {
        var stmt = DeleteSeriesStatement()
        let l = scanIgnoringWhitespace()
        if l.token == .keyword(.from) {
            stmt.sources = try parseSources(subqueries: false)
            var problem: String?
            for case .measurement(let m) in stmt.sources {
                if m.database != nil { problem = "database not supported" }
                if m.retentionPolicy != nil { problem = "retention policy not supported" }
            }
            if let problem { throw ParseError(message: problem, line: 1, char: 1) }
        } else {
            unscan()
        }
        stmt.condition = try parseCondition()
        if stmt.sources.isEmpty && stmt.condition == nil {
            throw ParseError.unexpected(l, expected: ["FROM", "WHERE"])
        }
        return stmt
    }
}
