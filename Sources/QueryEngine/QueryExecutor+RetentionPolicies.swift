import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// `SHOW RETENTION POLICIES [ON db]`: every policy in creation order, durations as Go prints them.
    func showRetentionPolicies(_ named: String?, _ options: QueryOptions) throws -> [ResultSeries] {
        let db = try requireDatabase(named, options)
        let policies = try store.retentionPolicies(database: db)
        let rows: [[ResultValue]] = policies.policies.map { p in
            [.string(p.name), .string(Self.goDuration(p.duration)), .string(Self.goDuration(p.shardGroupDuration)),
             .integer(Int64(p.replication)), .boolean(p.name == policies.defaultName)]
        }
        return [ResultSeries(name: "", columns: ["name", "duration", "shardGroupDuration", "replicaN", "default"], values: rows)]
    }

    /// `CREATE DATABASE name [WITH …]`: a new database gets `autogen`, or with WITH the policy it
    /// describes as its default. On an existing database WITH must describe its default policy
    /// exactly (InfluxDB's rule), otherwise it conflicts.
    func createDatabase(_ s: CreateDatabaseStatement) throws {
        guard Self.isValidName(s.name), s.retentionPolicyName.map(Self.isValidName) ?? true else { throw QueryError("invalid name") }
        guard s.retentionPolicyCreate else { return try store.createDatabase(s.name) }
        let duration = s.retentionPolicyDuration ?? 0
        if duration != 0 && duration < RetentionPolicy.minimumDuration { throw RetentionPolicyError.durationTooLow }
        let spec = RetentionPolicy(name: s.retentionPolicyName ?? "autogen", duration: duration,
                                   shardGroupDuration: s.retentionPolicyShardGroupDuration,
                                   replication: s.retentionPolicyReplication ?? 1)
        try store.updateRetentionPolicies(database: s.name, createDatabase: true) { policies in
            if policies.policies.isEmpty { return try policies.create(spec, makeDefault: true) }
            guard policies.policy(named: spec.name) == spec, policies.defaultName == spec.name else {
                throw RetentionPolicyError.conflict
            }
        }
    }

    /// The policy `name` names (nil or empty: the database's default), which must exist;
    /// InfluxDB's errors otherwise.
    func existingPolicy(_ name: String?, database: String) throws -> RetentionPolicy {
        try Self.existingPolicy(name, database: database, store: store)
    }

    static func existingPolicy(_ name: String?, database: String, store: any SeriesStore) throws -> RetentionPolicy {
        let policies = try store.retentionPolicies(database: database)
        if policies.wanted(name).isEmpty { throw QueryError("default retention policy not set for: \(database)") }
        return try policies.require(name)
    }

    /// A duration in nanoseconds as Go's `time.Duration.String` prints it ("0s", "1h30m0s", "1.5s", "250ms").
    public static func goDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        var out: String
        func fraction(_ value: UInt64, _ scale: UInt64) -> String {
            var text = "\(value / scale)"
            var rest = value % scale
            if rest == 0 { return text }
            var digits = ""
            var s = scale
            while rest > 0 {
                s /= 10
                digits += "\(rest / s)"
                rest %= s
            }
            text += "." + digits
            return text
        }
        if u < 1_000 {
            out = "\(u)ns"
        } else if u < 1_000_000 {
            out = fraction(u, 1_000) + "µs"
        } else if u < 1_000_000_000 {
            out = fraction(u, 1_000_000) + "ms"
        } else {
            let hours = u / 3_600_000_000_000
            let minutes = u / 60_000_000_000 % 60
            let seconds = fraction(u % 60_000_000_000, 1_000_000_000) + "s"
            out = hours > 0 ? "\(hours)h\(minutes)m" + seconds : minutes > 0 ? "\(minutes)m" + seconds : seconds
        }
        return negative ? "-" + out : out
    }
}
