import Synchronization
import TimeSeries

extension StoreDatabase {
    /// Applies `change` to the database's retention policies and persists the result in one
    /// transaction (`fresh`: the database was just created, so `change` starts from none).
    /// Policies it removes lose their chunks, heads, field rows and refs; their series stay in
    /// the index, as in InfluxDB 1.6 (whose index outlives the shards of a dropped policy).
    /// - Returns: whether refs may now point elsewhere (a policy dropped, or the default changed).
    func updatePolicies(fresh: Bool, _ change: (inout RetentionPolicies) throws -> Void) throws -> Bool {
        try writer.withLock { w in
            guard let connection = w.connection, !w.closed else { throw SQLiteStoreError.closed(directory: path) }
            // Pending series and field rows reach the file first, so the deletes below see them.
            try flushLocked(&w, .due)
            let index = registry.withLock { $0.index }
            var policies = fresh ? RetentionPolicies() : index.policies
            try change(&policies)
            if fresh && policies.policies.isEmpty { policies = .initial(duration: options.defaultRetention ?? 0) }
            var ids: [String: Int64] = [:]
            var nextID = index.nextPolicyID
            for policy in policies.policies {
                if let id = index.policyIDs[policy.name] {
                    ids[policy.name] = id
                } else {
                    ids[policy.name] = nextID
                    nextID += 1
                }
            }
            let removedPolicies = Set(index.policyIDs.filter { ids[$0.key] == nil }.map(\.value))
            let removedFields = Set(removedPolicies.flatMap { (index.fields[$0] ?? [:]).values.flatMap { $0.values.map(\.id) } })
            let list = removedFields.sorted().map(String.init).joined(separator: ",")
            var removedChunks = 0
            try connection.transaction { () throws(SQLiteStoreError) in
                try Self.writePolicies(policies, ids: ids, connection)
                if !removedFields.isEmpty {
                    var uses: [Int64: Int64] = [:]
                    try clockUses(connection, where: "field_id IN (\(list))", into: &uses)
                    try connection.execute("DELETE FROM chunks WHERE field_id IN (\(list))")
                    removedChunks = connection.changes
                    try connection.execute("DELETE FROM sealed WHERE field_id IN (\(list)); DELETE FROM fields WHERE id IN (\(list))")
                    try setMeta("chunks", Int64(w.chunkCount - removedChunks), connection)
                    try releaseClocks(&w, connection, uses)
                }
                try connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
            }
            w.chunkCount -= removedChunks
            registry.withLock { r in
                r.index.policies = policies
                r.index.policyIDs = ids
                r.index.nextPolicyID = nextID
                for id in removedPolicies { r.index.fields[id] = nil }
                r.newFields.removeAll { removedPolicies.contains($0.info.policy) }
                forget(&r) { removedFields.contains($0.field) }
            }
            w.overlapping = w.overlapping.filter { !removedFields.contains($0.field) }
            indexChanged()
            return !removedPolicies.isEmpty || policies.defaultName != index.policies.defaultName
        }
    }

    /// Replaces the `policies` rows with `policies` (in order, ids from `ids`); the caller holds
    /// a transaction.
    static func writePolicies(_ policies: RetentionPolicies, ids: [String: Int64], _ connection: SQLiteConnection) throws(SQLiteStoreError) {
        try connection.execute("DELETE FROM policies")
        let insert = try connection.prepare("""
            INSERT INTO policies(id, name, position, duration, shard_duration, replication, is_default)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, policy) in policies.policies.enumerated() {
            try insert.bind(1, ids[policy.name] ?? 0)
            try insert.bind(2, policy.name)
            try insert.bind(3, Int64(position))
            try insert.bind(4, policy.duration)
            try insert.bind(5, policy.shardGroupDuration)
            try insert.bind(6, Int64(policy.replication))
            try insert.bind(7, policy.name == policies.defaultName ? 1 : 0)
            try insert.run()
        }
    }

    /// The table of continuous queries (created with the first one).
    static let continuousQueriesTable = """
        CREATE TABLE continuous_queries(name TEXT PRIMARY KEY, position INTEGER NOT NULL, query TEXT NOT NULL, last_run INTEGER)
            WITHOUT ROWID
        """

    /// Applies `change` to the continuous queries and persists them in one transaction.
    func updateContinuousQueries(_ change: (inout ContinuousQueries) throws -> Void) throws {
        try writer.withLock { w in
            guard let connection = w.connection, !w.closed else { throw SQLiteStoreError.closed(directory: path) }
            var queries = registry.withLock { $0.index.continuousQueries }
            try change(&queries)
            try connection.transaction { () throws(SQLiteStoreError) in
                // The table exists only while there are continuous queries (a 16 KiB page less
                // in every file that has none).
                try connection.execute("DROP TABLE IF EXISTS continuous_queries")
                guard !queries.queries.isEmpty else {
                    try connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
                    return
                }
                try connection.execute(Self.continuousQueriesTable)
                let insert = try connection.prepare("INSERT INTO continuous_queries(name, position, query, last_run) VALUES (?, ?, ?, ?)")
                for (position, cq) in queries.queries.enumerated() {
                    try insert.bind(1, cq.name)
                    try insert.bind(2, Int64(position))
                    try insert.bind(3, cq.query)
                    if let lastRun = cq.lastRun { try insert.bind(4, lastRun) }
                    try insert.run()
                }
                try connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
            }
            registry.withLock { $0.index.continuousQueries = queries }
            indexChanged()
        }
    }
}
