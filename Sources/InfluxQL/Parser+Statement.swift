extension Parser {
    /// `query = [ statement ] { ";" [ statement ] } .`
    mutating func parseQuery() throws(ParseError) -> [Statement] {
        var statements: [Statement] = []
        var semi = true
        while true {
            let l = scanIgnoringWhitespace()
            switch l.token {
            case .eof:
                return statements
            case .semicolon:
                semi = true
            default:
                guard semi else { throw ParseError.unexpected(l, expected: [";"]) }
                unscan()
                statements.append(try parseStatement())
                semi = false
            }
        }
    }

    /// `statement = select_stmt | show_stmt | create_db_stmt | drop_stmt | delete_stmt .`
    ///
    /// Dispatches on leading keywords like InfluxDB's statement tree, so unknown keywords
    /// yield InfluxDB's lists of expected keywords. Statements InfluxDB knows but collectlite
    /// does not serve (subscriptions, shards, EXPLAIN) are rejected
    /// with `<KEYWORDS> is not supported`.
    mutating func parseStatement() throws(ParseError) -> Statement {
        let first = scanIgnoringWhitespace()
        switch first.token {
        case .keyword(.select):
            return .select(try parseSelectStatement())
        case .keyword(.delete):
            return .delete(try parseDeleteSeries())
        case .keyword(.show):
            return try parseShowStatement(first)
        case .keyword(.create):
            let l = try next(in: [.continuous, .database, .user, .retention, .subscription])
            if l == .database { return .createDatabase(try parseCreateDatabaseStatement()) }
            if l == .user { return try parseCreateUserStatement() }
            if l == .continuous {
                try expect(.keyword(.query))
                return .createContinuousQuery(try parseCreateContinuousQueryStatement())
            }
            if l == .retention {
                try expect(.keyword(.policy))
                return .createRetentionPolicy(try parseCreateRetentionPolicyStatement())
            }
            throw unsupported("CREATE \(l.rawValue)", first)
        case .keyword(.drop):
            let l = try next(in: [.continuous, .database, .measurement, .retention, .series, .shard, .subscription, .user])
            switch l {
            case .database: return .dropDatabase(name: try parseIdent())
            case .measurement: return .dropMeasurement(name: try parseIdent())
            case .series: return .dropSeries(try parseDeleteSeries())
            case .user: return .dropUser(name: try parseIdent())
            case .continuous:
                try expect(.keyword(.query))
                let (name, database) = try parseNameOnDatabase()
                return .dropContinuousQuery(name: name, database: database)
            case .retention:
                try expect(.keyword(.policy))
                let (name, database) = try parseNameOnDatabase()
                return .dropRetentionPolicy(name: name, database: database)
            default: throw unsupported("DROP \(l.rawValue)", first)
            }
        case .keyword(.explain):
            try expect(.keyword(.select))
            throw unsupported("EXPLAIN", first)
        case .keyword(.alter):
            _ = try next(in: [.retention])
            try expect(.keyword(.policy))
            return .alterRetentionPolicy(try parseAlterRetentionPolicyStatement())
        case .keyword(.set):
            _ = try next(in: [.password])
            return try parseSetPasswordStatement()
        case .keyword(.kill):
            _ = try next(in: [.query])
            return try parseKillQueryStatement()
        case .keyword(.grant):
            return try parseGrantOrRevoke(grant: true)
        case .keyword(.revoke):
            return try parseGrantOrRevoke(grant: false)
        default:
            throw ParseError.unexpected(first, expected: [
                "SELECT", "DELETE", "SHOW", "CREATE", "DROP", "EXPLAIN", "GRANT", "REVOKE", "ALTER", "SET", "KILL",
            ])
        }
    }

    /// `KILL QUERY qid [ON host]` (KILL QUERY consumed) — InfluxDB's `ParseUInt64`, then an optional host.
    mutating func parseKillQueryStatement() throws(ParseError) -> Statement {
        let l = scanIgnoringWhitespace()
        guard l.token == .integer else { throw ParseError.unexpected(l, expected: ["integer"]) }
        guard let id = UInt64(l.lit) else {
            throw ParseError.at("strconv.ParseUint: parsing \"\(l.lit)\": value out of range", l.pos)
        }
        guard accept(.keyword(.on)) else { return .killQuery(id: id, host: nil) }
        return .killQuery(id: id, host: try parseIdent())
    }

    /// `show_stmt` — see the grammar at the top of Parser.swift.
    mutating func parseShowStatement(_ show: Lexeme) throws(ParseError) -> Statement {
        let k = try next(in: [
            .continuous, .databases, .diagnostics, .field, .grants, .measurement, .measurements, .queries,
            .retention, .series, .shard, .shards, .stats, .subscriptions, .tag, .users,
        ])
        switch k {
        case .continuous:
            _ = try next(in: [.queries])
            return .showContinuousQueries
        case .databases: return .showDatabases
        case .diagnostics: return .showDiagnostics(module: try parseOptionalFor())
        case .field:
            if try next(in: [.key, .keys]) == .key { return .showCardinality(try parseShowCardinality(.fieldKey)) }
            return .showFieldKeys(try parseShowFieldKeysStatement())
        case .grants:
            try expect(.keyword(.for))
            return .showGrants(user: try parseIdent())
        case .measurement: return .showCardinality(try parseShowCardinality(.measurement))
        case .measurements: return .showMeasurements(try parseShowMeasurementsStatement())
        case .queries: return .showQueries
        case .retention:
            _ = try next(in: [.policies])
            return .showRetentionPolicies(database: accept(.keyword(.on)) ? try parseIdent() : nil)
        case .series:
            // InfluxDB accepts a lone EXACT here and ignores it unless CARDINALITY follows.
            let exact = accept(.keyword(.exact))
            if accept(.keyword(.cardinality)) {
                var stmt = try parseShowCardinalityClauses(.series)
                stmt.exact = exact
                return .showCardinality(stmt)
            }
            return .showSeries(try parseShowSeriesStatement())
        case .shard:
            _ = try next(in: [.groups])
            return .showShardGroups
        case .shards: return .showShards
        case .stats: return .showStats(module: try parseOptionalFor())
        case .subscriptions: return .showSubscriptions
        case .tag:
            switch try next(in: [.key, .keys, .values]) {
            case .key: return .showCardinality(try parseShowCardinality(.tagKey))
            case .keys: return .showTagKeys(try parseShowTagKeysStatement())
            default:
                let exact = accept(.keyword(.exact))
                if exact { _ = try next(in: [.cardinality]) }
                if exact || accept(.keyword(.cardinality)) {
                    var stmt = try parseShowCardinalityClauses(.tagValues)
                    stmt.exact = exact
                    return .showCardinality(stmt)
                }
                return .showTagValues(try parseShowTagValuesStatement())
            }
        default: return .showUsers
        }
    }

    /// The next keyword, which must be one of `allowed` (InfluxDB's statement-tree error otherwise).
    private mutating func next(in allowed: [Keyword]) throws(ParseError) -> Keyword {
        let l = scanIgnoringWhitespace()
        if case .keyword(let k) = l.token, allowed.contains(k) { return k }
        throw ParseError.unexpected(l, expected: allowed.map(\.rawValue))
    }

    /// `[ "FOR" string ]`
    private mutating func parseOptionalFor() throws(ParseError) -> String? {
        accept(.keyword(.for)) ? try parseString() : nil
    }

    /// `( "EXACT" "CARDINALITY" | "CARDINALITY" ) cardinality_clauses` after MEASUREMENT / TAG KEY / FIELD KEY.
    private mutating func parseShowCardinality(_ kind: ShowCardinalityStatement.Kind) throws(ParseError) -> ShowCardinalityStatement {
        let exact = try next(in: [.exact, .cardinality]) == .exact
        if exact { _ = try next(in: [.cardinality]) }
        var stmt = try parseShowCardinalityClauses(kind)
        stmt.exact = exact
        return stmt
    }

    private func unsupported(_ what: String, _ at: Lexeme) -> ParseError {
        ParseError.at("\(what) is not supported", at.pos)
    }

}
