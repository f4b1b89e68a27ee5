extension Statement: CustomStringConvertible {
    /// Canonical InfluxQL text as InfluxDB renders it; `InfluxQLParser.parse(description)` yields
    /// `[self]`, except for the statements with a password, which InfluxDB prints `[REDACTED]`.
    public var description: String {
        switch self {
        case .select(let s): s.description
        case .showDatabases: "SHOW DATABASES"
        case .showMeasurements(let s):
            "SHOW MEASUREMENTS" + Clauses.on(s.database) + (s.source.map(Statement.withMeasurement) ?? "")
                + Clauses.where(s.condition) + Clauses.limits(limit: s.limit, offset: s.offset)
        case .showTagKeys(let s):
            "SHOW TAG KEYS" + Clauses.on(s.database) + Clauses.from(s.sources) + Clauses.where(s.condition)
                + Clauses.limits(limit: s.limit, offset: s.offset, slimit: s.slimit, soffset: s.soffset)
        case .showTagValues(let s):
            "SHOW TAG VALUES" + Clauses.on(s.database) + Clauses.from(s.sources) + " WITH KEY "
                + s.key.description + Clauses.where(s.condition) + Clauses.limits(limit: s.limit, offset: s.offset)
        case .showFieldKeys(let s):
            "SHOW FIELD KEYS" + Clauses.on(s.database) + Clauses.from(s.sources)
                + Clauses.limits(limit: s.limit, offset: s.offset)
        case .showSeries(let s):
            "SHOW SERIES" + Clauses.on(s.database) + Clauses.from(s.sources) + Clauses.where(s.condition)
                + Clauses.limits(limit: s.limit, offset: s.offset)
        case .showCardinality(let s): s.description
        case .showRetentionPolicies(let db): "SHOW RETENTION POLICIES" + Clauses.on(db)
        case .showStats(let module): "SHOW STATS" + (module.map { " FOR " + Render.string($0) } ?? "")
        case .showDiagnostics(let module): "SHOW DIAGNOSTICS" + (module.map { " FOR " + Render.string($0) } ?? "")
        case .showUsers: "SHOW USERS"
        case .showContinuousQueries: "SHOW CONTINUOUS QUERIES"
        case .showQueries: "SHOW QUERIES"
        case .killQuery(let id, let host): "KILL QUERY \(id)" + (host.map { " ON " + Render.ident($0) } ?? "")
        case .showShards: "SHOW SHARDS"
        case .showShardGroups: "SHOW SHARD GROUPS"
        case .showSubscriptions: "SHOW SUBSCRIPTIONS"
        case .createDatabase(let s): s.description
        case .dropDatabase(let name): "DROP DATABASE " + Render.ident(name)
        case .dropMeasurement(let name): "DROP MEASUREMENT " + Render.ident(name)
        case .dropSeries(let s): "DROP SERIES" + Clauses.from(s.sources) + Clauses.where(s.condition)
        case .delete(let s): "DELETE" + Clauses.from(s.sources) + Clauses.where(s.condition)
        case .createUser(let name, _, let admin):
            "CREATE USER " + Render.ident(name) + " WITH PASSWORD [REDACTED]" + (admin ? " WITH ALL PRIVILEGES" : "")
        case .dropUser(let name): "DROP USER " + Render.ident(name)
        case .setPassword(let user, _): "SET PASSWORD FOR " + Render.ident(user) + " = [REDACTED]"
        case .grant(let p, let db, let user): "GRANT \(p.text) ON " + Render.ident(db) + " TO " + Render.ident(user)
        case .grantAdmin(let user): "GRANT ALL PRIVILEGES TO " + Render.ident(user)
        case .revoke(let p, let db, let user): "REVOKE \(p.text) ON " + Render.ident(db) + " FROM " + Render.ident(user)
        case .revokeAdmin(let user): "REVOKE ALL PRIVILEGES FROM " + Render.ident(user)
        case .showGrants(let user): "SHOW GRANTS FOR " + Render.ident(user)
        case .createRetentionPolicy(let s): s.description
        case .alterRetentionPolicy(let s): s.description
        case .dropRetentionPolicy(let name, let db): "DROP RETENTION POLICY " + Render.ident(name) + " ON " + Render.ident(db)
        case .createContinuousQuery(let s): s.description
        case .dropContinuousQuery(let name, let db): "DROP CONTINUOUS QUERY " + Render.ident(name) + " ON " + Render.ident(db)
        }
    }

    private static func withMeasurement(_ m: Measurement) -> String {
        if case .regex = m.name { return " WITH MEASUREMENT =~ " + m.description }
        return " WITH MEASUREMENT = " + m.description
    }
}

extension TagKeyMatch: CustomStringConvertible {
    /// The operator and operand of `WITH KEY`.
    public var description: String {
        switch self {
        case .equal(let k): "= " + Render.ident(k)
        case .notEqual(let k): "!= " + Render.ident(k)
        case .matches(let r): "=~ " + Render.regex(r)
        case .notMatches(let r): "!~ " + Render.regex(r)
        case .in(let keys): "IN (" + keys.map(Render.ident).joined(separator: ", ") + ")"
        }
    }
}

extension CreateDatabaseStatement: CustomStringConvertible {
    /// `CREATE DATABASE name [WITH …]`.
    public var description: String {
        var s = "CREATE DATABASE " + Render.ident(name)
        guard retentionPolicyCreate else { return s }
        s += " WITH"
        if let d = retentionPolicyDuration { s += " DURATION " + (d == 0 ? "INF" : InfluxDuration.format(d)) }
        if let r = retentionPolicyReplication { s += " REPLICATION \(r)" }
        let nothingElse = retentionPolicyDuration == nil && retentionPolicyReplication == nil && retentionPolicyName == nil
        if retentionPolicyShardGroupDuration != 0 || nothingElse {
            s += " SHARD DURATION " + InfluxDuration.format(retentionPolicyShardGroupDuration)
        }
        if let n = retentionPolicyName { s += " NAME " + Render.ident(n) }
        return s
    }
}

extension InfluxQLParser {
    /// Renders statements as one query text, separated by `;`.
    public static func render(_ statements: [Statement]) -> String {
        statements.map(\.description).joined(separator: "; ")
    }
}
