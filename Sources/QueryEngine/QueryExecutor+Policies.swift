import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// CREATE/ALTER/DROP RETENTION POLICY and CREATE/DROP/SHOW CONTINUOUS QUERIES, with
    /// InfluxDB 1.6.7's rules and texts; nil for any other statement.
    func runAdministration(_ statement: Statement, options: QueryOptions) throws -> [ResultSeries]? {
        switch statement {
        case .createRetentionPolicy(let s):
            _ = try requireDatabase(s.database, options)
            let policy = RetentionPolicy(name: s.name, duration: s.duration, shardGroupDuration: s.shardGroupDuration,
                                         replication: s.replication)
            try store.updateRetentionPolicies(database: s.database, createDatabase: false) {
                try $0.create(policy, makeDefault: s.isDefault)
            }
        case .alterRetentionPolicy(let s):
            _ = try requireDatabase(s.database, options)
            try store.updateRetentionPolicies(database: s.database, createDatabase: false) {
                try $0.alter(s.name, duration: s.duration, shardGroupDuration: s.shardGroupDuration, replication: s.replication,
                             makeDefault: s.isDefault)
            }
        case .dropRetentionPolicy(let name, let database):
            // Dropping from a missing database, or a missing policy, is not an error.
            guard try store.databases().contains(database) else { return [] }
            try store.updateRetentionPolicies(database: database, createDatabase: false) { $0.drop(name) }
        case .createContinuousQuery(let s):
            _ = try requireDatabase(s.database, options)
            let text = storedQuery(s, options)
            try store.updateContinuousQueries(database: s.database) { try $0.create(name: s.name, query: text) }
        case .dropContinuousQuery(let name, let database):
            // As InfluxDB 1.6.7: neither a missing query nor a missing database is an error.
            guard try store.databases().contains(database) else { return [] }
            try store.updateContinuousQueries(database: database) { try? $0.drop(name: name) }
        case .showContinuousQueries:
            return try store.databases().map { db in
                let queries = (try? store.continuousQueries(database: db).queries) ?? []
                return ResultSeries(name: db, columns: ["name", "query"], values: queries.map { [.string($0.name), .string($0.query)] })
            }
        default:
            return nil
        }
        return []
    }

    /// The text of a CREATE CONTINUOUS QUERY as InfluxDB stores (and warns about) it: every
    /// measurement qualified with the request's `rp` or its database's default policy.
    func storedQuery(_ s: CreateContinuousQueryStatement, _ options: QueryOptions) -> String {
        s.storedQuery(retentionPolicy: options.retentionPolicy.flatMap { $0.isEmpty ? nil : $0 }, defaultRetentionPolicy: defaultPolicyName)
    }

    /// A database's default retention policy; nil when it has none or does not exist.
    func defaultPolicyName(_ database: String) -> String? {
        guard let name = try? store.retentionPolicies(database: database).defaultName, !name.isEmpty else { return nil }
        return name
    }
}
