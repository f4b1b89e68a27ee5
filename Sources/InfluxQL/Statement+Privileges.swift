extension Statement {
    /// The privileges a non-admin user needs to run the statement, in InfluxDB 1.6.7's order
    /// (measured against it: the estimated SERIES/MEASUREMENT cardinalities need READ, the
    /// exact ones and the TAG KEY / TAG VALUES / FIELD KEY cardinalities need nothing, DROP
    /// MEASUREMENT needs admin).
    public var requiredPrivileges: [RequiredPrivilege] {
        switch self {
        case .select(let s): s.requiredPrivileges
        case .showDatabases: [RequiredPrivilege()]
        case .showMeasurements(let s): [.read(s.database)]
        case .showTagKeys(let s): [.read(s.database)]
        case .showTagValues(let s): [.read(s.database)]
        case .showFieldKeys(let s): [.read(s.database)]
        case .showSeries(let s): [.read(s.database)]
        case .showCardinality(let s):
            (s.kind == .series || s.kind == .measurement) && !s.exact ? [.read(s.database)] : [RequiredPrivilege()]
        case .showRetentionPolicies(let db): [.read(db)]
        case .showContinuousQueries, .showQueries: [.read(nil)]
        case .dropSeries, .delete: [.write(nil)]
        case .showStats, .showDiagnostics, .killQuery, .showUsers, .showShards, .showShardGroups, .showSubscriptions,
             .createDatabase, .dropDatabase, .dropMeasurement, .createUser, .dropUser, .setPassword,
             .grant, .grantAdmin, .revoke, .revokeAdmin, .showGrants, .createRetentionPolicy, .alterRetentionPolicy:
            [.admin]
        case .dropRetentionPolicy(_, let db): [.write(db)]
        case .createContinuousQuery(let s):
            // InfluxDB's CreateContinuousQueryStatement: READ on the CQ's database, WRITE on
            // INTO's database when it names one (checked before the executor qualifies it).
            [.read(s.database)] + (s.select.into?.database.map { [.write($0)] } ?? [])
        case .dropContinuousQuery(_, let db): [.write(db)]
        }
    }

    /// Whether InfluxDB warns about running the statement from a GET request ("read only
    /// context"): every statement that changes data or users.
    public var changesState: Bool {
        switch self {
        case .createDatabase, .dropDatabase, .dropMeasurement, .dropSeries, .delete, .createUser, .dropUser,
             .setPassword, .grant, .grantAdmin, .revoke, .revokeAdmin, .createRetentionPolicy, .alterRetentionPolicy,
             .dropRetentionPolicy, .createContinuousQuery, .dropContinuousQuery, .killQuery:
            true
        case .select(let s): s.into != nil
        default: false
        }
    }
}

extension SelectStatement {
    /// READ on each source's database (nil: the `db` parameter), subqueries' in place; WRITE on INTO's.
    public var requiredPrivileges: [RequiredPrivilege] {
        var out: [RequiredPrivilege] = []
        for source in sources {
            switch source {
            case .measurement(let m): out.append(.read(m.database))
            case .subquery(let inner): out += inner.requiredPrivileges
            }
        }
        if let into { out.append(.write(into.database)) }
        return out
    }
}
