import InfluxQL

extension QueryExecutor {
    /// InfluxDB 1.6.7's query authorizer: nil when the statements may run, else the reason
    /// (the text after "error authorizing query: "). Checked for the whole query before any
    /// statement runs.
    func authorize(_ statements: [Statement], _ options: QueryOptions) -> String? {
        switch options.authorization {
        case .open:
            return nil
        case .anonymous:
            guard (users?.users().count ?? 0) == 0 else { return "no user provided" }
            // Without any user, the only way in is creating the first admin.
            if case .createUser(_, _, true)? = statements.first { return nil }
            return "create admin user first or disable authentication"
        case .user(let user):
            if user.admin { return nil }
            let name = user.name
            for statement in statements {
                for required in statement.requiredPrivileges {
                    if required.admin {
                        return "\(name) not authorized to execute statement '\(statement)', requires admin privilege"
                    }
                    let database = required.database ?? options.database ?? ""
                    if !user.authorizes(required.privilege, on: database) {
                        return "\(name) not authorized to execute statement '\(statement)', requires \(required.privilege.text) on \(database)"
                    }
                }
            }
            return nil
        }
    }

    /// `SHOW DATABASES`: a non-admin user sees the databases it may read or write.
    func visibleDatabases(_ options: QueryOptions) throws -> [String] {
        let all = try store.databases()
        guard case .user(let user) = options.authorization, !user.admin else { return all }
        return all.filter { user.authorizes(.read, on: $0) || user.authorizes(.write, on: $0) }
    }

    /// InfluxDB's warning for a statement that changes state in a GET request, naming it as
    /// InfluxDB's executor has rewritten it: SELECT … INTO and CREATE CONTINUOUS QUERY with every
    /// measurement qualified by database and retention policy. DELETE gets none (InfluxDB 1.6.7
    /// answers it before warning; measured).
    func readOnlyWarning(_ statement: Statement, _ options: QueryOptions) -> [ResultMessage]? {
        guard options.readOnly, statement.changesState else { return nil }
        let text: String
        switch statement {
        case .delete: return nil
        case .select(let s) where options.database.map({ !$0.isEmpty }) == true:
            text = s.qualified(database: options.database!, retentionPolicy: options.retentionPolicy.flatMap { $0.isEmpty ? nil : $0 },
                               defaultRetentionPolicy: defaultPolicyName).description
        case .createContinuousQuery(let s):
            text = storedQuery(s, options)
        case .createDatabase(let s) where s.retentionPolicyCreate:
            // InfluxDB prints this statement's durations as Go does (`24h0m0s`, INF as `0s`).
            func ident(_ name: String) -> String { Expr.varRef(name, type: nil).description }
            var t = "CREATE DATABASE " + ident(s.name) + " WITH"
            if let d = s.retentionPolicyDuration { t += " DURATION " + Self.goDuration(d) }
            if let r = s.retentionPolicyReplication { t += " REPLICATION \(r)" }
            if s.retentionPolicyShardGroupDuration > 0 { t += " SHARD DURATION " + Self.goDuration(s.retentionPolicyShardGroupDuration) }
            if let n = s.retentionPolicyName { t += " NAME " + ident(n) }
            text = t
        default:
            text = statement.description
        }
        return [ResultMessage(level: "warning",
                              text: "deprecated use of '\(text)' in a read only context, please use a POST request instead")]
    }
}
