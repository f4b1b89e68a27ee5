// Retention-policy and continuous-query statements, after their leading keywords:
//
//   create_rp_stmt = "CREATE" "RETENTION" "POLICY" ident "ON" ident "DURATION" duration
//                    "REPLICATION" int [ "SHARD" "DURATION" duration ] [ "DEFAULT" ] .
//   alter_rp_stmt  = "ALTER" "RETENTION" "POLICY" ( ident | "DEFAULT" ) "ON" ident rp_option { rp_option } .
//   rp_option      = "DURATION" duration | "REPLICATION" int | "SHARD" "DURATION" duration | "DEFAULT" .
//   drop_rp_stmt   = "DROP" "RETENTION" "POLICY" ident "ON" ident .
//   create_cq_stmt = "CREATE" "CONTINUOUS" "QUERY" ident "ON" ident
//                    [ "RESAMPLE" [ "EVERY" duration ] [ "FOR" duration ] ] "BEGIN" select_stmt "END" .
//   drop_cq_stmt   = "DROP" "CONTINUOUS" "QUERY" ident "ON" ident .

extension Parser {
    /// `create_rp_stmt` (after `CREATE RETENTION POLICY`).
    mutating func parseCreateRetentionPolicyStatement() throws(ParseError) -> CreateRetentionPolicyStatement {
        let name = try parseIdent()
        try expect(.keyword(.on))
        let database = try parseIdent()
        try expect(.keyword(.duration))
        let duration = try parseDurationValue()
        try expect(.keyword(.replication))
        var stmt = CreateRetentionPolicyStatement(
            name: name, database: database, duration: duration, replication: try parseInt(min: 1, max: Int(Int32.max)))
        if accept(.keyword(.shard)) { stmt.shardGroupDuration = try parseShardDuration() }
        stmt.isDefault = accept(.keyword(.default))
        return stmt
    }

    /// `alter_rp_stmt` (after `ALTER RETENTION POLICY`): options in any order, each once.
    mutating func parseAlterRetentionPolicyStatement() throws(ParseError) -> AlterRetentionPolicyStatement {
        let l = scanIgnoringWhitespace()
        let name: String
        switch l.token {
        case .keyword(.default): name = "default"
        case .ident: name = l.lit
        default: throw ParseError.unexpected(l, expected: ["identifier"])
        }
        try expect(.keyword(.on))
        var stmt = AlterRetentionPolicyStatement(name: name, database: try parseIdent())
        var found: Set<Keyword> = []
        while true {
            let option = scanIgnoringWhitespace()
            guard case .keyword(let k) = option.token, [.duration, .replication, .shard, .default].contains(k) else {
                if found.isEmpty {
                    throw ParseError.unexpected(option, expected: ["DURATION", "REPLICATION", "SHARD", "DEFAULT"])
                }
                unscan()
                return stmt
            }
            if found.contains(k) { throw ParseError.at("found duplicate \(k.rawValue) option", option.pos) }
            found.insert(k)
            switch k {
            case .duration: stmt.duration = try parseDurationValue()
            case .replication: stmt.replication = try parseInt(min: 1, max: Int(Int32.max))
            case .shard: stmt.shardGroupDuration = try parseShardDuration()
            default: stmt.isDefault = true
            }
        }
    }

    /// `"DURATION" duration` after `SHARD`, where `INF` is refused.
    private mutating func parseShardDuration() throws(ParseError) -> Int64 {
        try expect(.keyword(.duration))
        let l = scanIgnoringWhitespace()
        if l.token == .keyword(.inf) { throw ParseError.at("invalid duration INF for shard duration", l.pos) }
        unscan()
        return try parseDurationValue()
    }

    /// `ident "ON" ident` of DROP RETENTION POLICY / DROP CONTINUOUS QUERY: (name, database).
    mutating func parseNameOnDatabase() throws(ParseError) -> (String, String) {
        let name = try parseIdent()
        try expect(.keyword(.on))
        return (name, try parseIdent())
    }

    /// `create_cq_stmt` (after `CREATE CONTINUOUS QUERY`), with InfluxDB's checks: INTO is
    /// required, an aggregate needs `GROUP BY time(d)` (reported at the token before the last
    /// one read, as InfluxDB rewinds its buffer), then `END`, then the RESAMPLE FOR check.
    mutating func parseCreateContinuousQueryStatement() throws(ParseError) -> CreateContinuousQueryStatement {
        let (name, database) = try parseNameOnDatabase()
        var every: Int64 = 0
        var forDuration: Int64 = 0
        if accept(.keyword(.resample)) { (every, forDuration) = try parseResample() }
        try expect(.keyword(.begin), .keyword(.select))
        let select = try parseSelectStatement(intoRequired: true)
        if !select.isRawQuery {
            var interval: Int64 = 0
            var problem: String?
            do {
                interval = try select.groupByInterval()
            } catch {
                problem = error.message
            }
            if interval == 0 || problem != nil {
                unscan()
                unscan()
                let l = scanIgnoringWhitespace()
                throw ParseError.unexpected(l, expected: ["GROUP BY time(...)"] + (problem.map { [$0] } ?? []))
            }
        }
        try expect(.keyword(.end))
        let stmt = CreateContinuousQueryStatement(
            name: name, database: database, resampleEvery: every == 0 ? nil : every,
            resampleFor: forDuration == 0 ? nil : forDuration, select: select)
        try stmt.validate()
        return stmt
    }

    /// `[ "EVERY" duration ] [ "FOR" duration ]` after RESAMPLE; at least one non-zero.
    private mutating func parseResample() throws(ParseError) -> (Int64, Int64) {
        let every = accept(.keyword(.every)) ? try parseResampleDuration() : 0
        let forDuration = accept(.keyword(.for)) ? try parseResampleDuration() : 0
        if every == 0 && forDuration == 0 {
            throw ParseError.unexpected(scanIgnoringWhitespace(), expected: ["EVERY", "FOR"])
        }
        return (every, forDuration)
    }

    /// A duration literal (no `INF`) with its error at the literal's position.
    private mutating func parseResampleDuration() throws(ParseError) -> Int64 {
        let l = scanIgnoringWhitespace()
        guard l.token == .durationVal else { throw ParseError.unexpected(l, expected: ["duration"]) }
        do {
            return try InfluxDuration.parse(l.lit)
        } catch {
            throw ParseError.at(error.message, l.pos)
        }
    }
}
