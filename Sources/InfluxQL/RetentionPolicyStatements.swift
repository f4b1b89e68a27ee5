/// `CREATE RETENTION POLICY name ON db DURATION d REPLICATION n [SHARD DURATION d] [DEFAULT]`
public struct CreateRetentionPolicyStatement: Sendable, Hashable {
    /// The policy name.
    public var name: String
    /// The database the policy belongs to.
    public var database: String
    /// `DURATION d` in nanoseconds; `0` means `INF`.
    public var duration: Int64
    /// `REPLICATION n` (1 … Int32.max).
    public var replication: Int
    /// `SHARD DURATION d` in nanoseconds; `0` when absent (InfluxDB then derives it from the duration).
    public var shardGroupDuration: Int64
    /// `DEFAULT`: make it the database's default policy.
    public var isDefault: Bool

    public init(name: String, database: String, duration: Int64, replication: Int, shardGroupDuration: Int64 = 0, isDefault: Bool = false) {
        self.name = name
        self.database = database
        self.duration = duration
        self.replication = replication
        self.shardGroupDuration = shardGroupDuration
        self.isDefault = isDefault
    }
}

/// `ALTER RETENTION POLICY name ON db [DURATION d] [REPLICATION n] [SHARD DURATION d] [DEFAULT]`
/// (options in any order, each at most once, at least one).
public struct AlterRetentionPolicyStatement: Sendable, Hashable {
    /// The policy name (`DEFAULT` written as the name gives `default`, as InfluxDB).
    public var name: String
    /// The database the policy belongs to.
    public var database: String
    /// New duration in nanoseconds (`0` = `INF`), if given.
    public var duration: Int64?
    /// New replication factor, if given.
    public var replication: Int?
    /// New shard group duration in nanoseconds, if given.
    public var shardGroupDuration: Int64?
    /// `DEFAULT`: make it the database's default policy.
    public var isDefault: Bool

    public init(name: String, database: String, duration: Int64? = nil, replication: Int? = nil, shardGroupDuration: Int64? = nil, isDefault: Bool = false) {
        self.name = name
        self.database = database
        self.duration = duration
        self.replication = replication
        self.shardGroupDuration = shardGroupDuration
        self.isDefault = isDefault
    }
}

extension CreateRetentionPolicyStatement: CustomStringConvertible {
    /// InfluxDB's rendering (`INF` prints as `0s`, an absent shard duration is omitted).
    public var description: String {
        var s = "CREATE RETENTION POLICY " + Render.ident(name) + " ON " + Render.ident(database)
            + " DURATION " + InfluxDuration.format(duration) + " REPLICATION \(replication)"
        if shardGroupDuration > 0 { s += " SHARD DURATION " + InfluxDuration.format(shardGroupDuration) }
        if isDefault { s += " DEFAULT" }
        return s
    }
}

extension AlterRetentionPolicyStatement: CustomStringConvertible {
    /// InfluxDB's rendering: the given options in the order DURATION, REPLICATION, SHARD DURATION, DEFAULT.
    public var description: String {
        var s = "ALTER RETENTION POLICY " + Render.ident(name) + " ON " + Render.ident(database)
        if let duration { s += " DURATION " + InfluxDuration.format(duration) }
        if let replication { s += " REPLICATION \(replication)" }
        if let shardGroupDuration { s += " SHARD DURATION " + InfluxDuration.format(shardGroupDuration) }
        if isDefault { s += " DEFAULT" }
        return s
    }
}
