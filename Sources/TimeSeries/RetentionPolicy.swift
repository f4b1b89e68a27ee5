/// A retention policy of a database, as InfluxDB 1.x keeps it: how long its samples live.
/// Each policy of a database has its own samples (a series written to two policies has two
/// independent histories); the series index and field types are the database's.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    public var name: String
    /// Nanoseconds a sample is kept after its time; 0 keeps it forever.
    public var duration: Int64
    /// InfluxDB's shard group duration (reported by SHOW RETENTION POLICIES; collectlite
    /// expires whole chunks, not shard groups).
    public var shardGroupDuration: Int64
    public var replication: Int

    public init(name: String, duration: Int64 = 0, shardGroupDuration: Int64 = 0, replication: Int = 1) {
        self.name = name
        self.duration = duration
        self.shardGroupDuration = Self.normalisedShardGroupDuration(shardGroupDuration, duration: duration)
        self.replication = replication
    }

    /// The oldest time the policy keeps at `now` (nil: it keeps everything).
    public func oldestKept(now: Int64) -> Int64? {
        guard duration > 0 else { return nil }
        let (oldest, overflow) = now.subtractingReportingOverflow(duration)
        return overflow ? nil : oldest
    }

    public static let hour: Int64 = 3_600_000_000_000
    /// The shortest finite duration InfluxDB accepts.
    public static let minimumDuration: Int64 = hour

    /// InfluxDB's default shard group duration for a policy duration: 7 days for 6 months or
    /// more (and infinite), 1 day for 2 days or more, else 1 hour.
    public static func defaultShardGroupDuration(for duration: Int64) -> Int64 {
        if duration == 0 || duration >= 180 * 24 * hour { return 7 * 24 * hour }
        if duration >= 2 * 24 * hour { return 24 * hour }
        return hour
    }

    /// A given shard group duration as InfluxDB stores it: 0 means the default, anything below
    /// an hour becomes an hour.
    public static func normalisedShardGroupDuration(_ value: Int64, duration: Int64) -> Int64 {
        if value == 0 { return defaultShardGroupDuration(for: duration) }
        if value < minimumDuration { return defaultShardGroupDuration(for: minimumDuration) }
        return value
    }
}

/// The retention policies of one database and which one is the default (where writes and
/// queries without a policy go). Its mutations apply InfluxDB 1.x's meta-store rules and fail
/// with InfluxDB's texts.
public struct RetentionPolicies: Sendable, Hashable, Codable {
    /// In creation order (SHOW RETENTION POLICIES lists them so).
    public private(set) var policies: [RetentionPolicy]
    /// The default policy's name; empty when there is none.
    public private(set) var defaultName: String

    public init(policies: [RetentionPolicy] = [], defaultName: String = "") {
        self.policies = policies
        self.defaultName = defaultName
    }

    /// What a new database gets: `autogen`, the default, keeping samples for `duration` (0: forever).
    public static func initial(duration: Int64 = 0) -> RetentionPolicies {
        RetentionPolicies(policies: [RetentionPolicy(name: "autogen", duration: duration)], defaultName: "autogen")
    }

    public func policy(named name: String) -> RetentionPolicy? {
        policies.first { $0.name == name }
    }

    public var defaultPolicy: RetentionPolicy? { policy(named: defaultName) }

    /// The policy `name` names, or the default for nil/empty; nil when there is no such policy.
    public func resolve(_ name: String?) -> RetentionPolicy? {
        policy(named: wanted(name))
    }

    /// The policy `name` names (nil or empty: the default), or InfluxDB's "retention policy not
    /// found" naming what was asked for (the default's name when none was given).
    public func require(_ name: String?) throws(SeriesStoreError) -> RetentionPolicy {
        let wanted = wanted(name)
        guard let policy = policy(named: wanted) else { throw .retentionPolicyNotFound(wanted) }
        return policy
    }

    /// The name `name` stands for: itself, or the default's name for nil or empty.
    public func wanted(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return defaultName }
        return name
    }

    /// `CREATE RETENTION POLICY`: creating an identical policy again is not an error.
    public mutating func create(_ policy: RetentionPolicy, makeDefault: Bool) throws(RetentionPolicyError) {
        if policy.name.isEmpty { throw .nameRequired }
        if policy.replication < 1 { throw .replicationTooLow }
        if policy.duration != 0 && policy.duration < RetentionPolicy.minimumDuration { throw .durationTooLow }
        if policy.duration > 0 && policy.duration < policy.shardGroupDuration { throw .incompatibleDurations }
        if let existing = self.policy(named: policy.name) {
            if existing != policy { throw .exists }
            if makeDefault && defaultName != policy.name { throw .conflict }
            return
        }
        policies.append(policy)
        if makeDefault { defaultName = policy.name }
    }

    /// `ALTER RETENTION POLICY`: changes the given properties (nil: unchanged).
    public mutating func alter(_ name: String, duration: Int64?, shardGroupDuration: Int64?, replication: Int?,
                               makeDefault: Bool) throws(RetentionPolicyError) {
        guard let index = policies.firstIndex(where: { $0.name == name }) else { throw .notFound(name) }
        let current = policies[index]
        if let duration, duration != 0, duration < RetentionPolicy.minimumDuration { throw .durationTooLow }
        if let duration, duration > 0, duration < (shardGroupDuration ?? current.shardGroupDuration) { throw .incompatibleDurations }
        if duration == nil, current.duration > 0, let shardGroupDuration, current.duration < shardGroupDuration {
            throw .incompatibleDurations
        }
        if let replication, replication < 1 { throw .replicationTooLow }
        var updated = current
        if let duration { updated.duration = duration }
        if let replication { updated.replication = replication }
        if let shardGroupDuration {
            updated.shardGroupDuration = RetentionPolicy.normalisedShardGroupDuration(shardGroupDuration, duration: updated.duration)
        }
        policies[index] = updated
        if makeDefault { defaultName = name }
    }

    /// `DROP RETENTION POLICY`: dropping a missing policy is not an error. Returns whether one
    /// was removed. Dropping the default keeps its name as the default, as InfluxDB does:
    /// writes and reads without a policy then fail until a policy of that name exists again.
    @discardableResult
    public mutating func drop(_ name: String) -> Bool {
        guard let index = policies.firstIndex(where: { $0.name == name }) else { return false }
        policies.remove(at: index)
        return true
    }
}

/// InfluxDB 1.x's meta-store errors for retention policies (texts identical).
public enum RetentionPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    case nameRequired
    case replicationTooLow
    case durationTooLow
    case incompatibleDurations
    case exists
    case conflict
    case notFound(String)

    public var description: String {
        switch self {
        case .nameRequired: "retention policy name required"
        case .replicationTooLow: "replication factor must be greater than 0"
        case .durationTooLow: "retention policy duration must be at least 1h0m0s"
        case .incompatibleDurations: "retention policy duration must be greater than the shard duration"
        case .exists: "retention policy already exists"
        case .conflict: "retention policy conflicts with an existing policy"
        case .notFound(let name): "retention policy not found: \(name)"
        }
    }
}
