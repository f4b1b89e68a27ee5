// The InfluxQL abstract syntax tree. Every node is a Sendable, Hashable value.
// Index: Statement, CreateDatabaseStatement, DeleteSeriesStatement (this file);
// SelectStatement, SelectField, Source, Measurement, MeasurementName, Dimension, Fill
// (SelectStatement.swift); Expr, DataType, WildcardType, BinaryOperator (Expr.swift);
// Show*Statement, TagKeyMatch (ShowStatements.swift); CreateRetentionPolicyStatement,
// AlterRetentionPolicyStatement (RetentionPolicyStatements.swift); CreateContinuousQueryStatement,
// ShowCardinalityStatement, Privilege (their own files). Canonical rendering: `description`
// (AST+Rendering files); parse(render(ast)) == ast for every parsed ast.

/// One parsed InfluxQL statement.
///
/// The set of statements is the subset of InfluxDB 1.x's language that collectlite serves.
/// Cases may be added over time (always additively): switch over it with a `default:` branch.
public enum Statement: Sendable, Hashable {
    /// `SELECT …`
    case select(SelectStatement)
    /// `SHOW DATABASES`
    case showDatabases
    /// `SHOW MEASUREMENTS [ON db] [WITH MEASUREMENT =~ /re/ | = name] [WHERE …] [LIMIT n] [OFFSET n]`
    case showMeasurements(ShowMeasurementsStatement)
    /// `SHOW TAG KEYS [ON db] [FROM …] [WHERE …] [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n]`
    case showTagKeys(ShowTagKeysStatement)
    /// `SHOW TAG VALUES [ON db] [FROM …] WITH KEY … [WHERE …] [LIMIT n] [OFFSET n]`
    case showTagValues(ShowTagValuesStatement)
    /// `SHOW FIELD KEYS [ON db] [FROM …] [LIMIT n] [OFFSET n]`
    case showFieldKeys(ShowFieldKeysStatement)
    /// `SHOW SERIES [ON db] [FROM …] [WHERE …] [LIMIT n] [OFFSET n]`
    case showSeries(ShowSeriesStatement)
    /// `SHOW SERIES|MEASUREMENT|TAG KEY|TAG VALUES|FIELD KEY [EXACT] CARDINALITY …`
    case showCardinality(ShowCardinalityStatement)
    /// `SHOW RETENTION POLICIES [ON db]`; the associated value is the database, if named.
    case showRetentionPolicies(database: String?)
    /// `SHOW STATS [FOR 'module']`; the associated value is the module, if named.
    case showStats(module: String?)
    /// `SHOW DIAGNOSTICS [FOR 'module']`
    case showDiagnostics(module: String?)
    /// `SHOW USERS`
    case showUsers
    /// `SHOW CONTINUOUS QUERIES`
    case showContinuousQueries
    /// `SHOW QUERIES`
    case showQueries
    /// `KILL QUERY qid [ON host]`; InfluxDB's OSS server ignores the host.
    case killQuery(id: UInt64, host: String?)
    /// `SHOW SHARDS`
    case showShards
    /// `SHOW SHARD GROUPS`
    case showShardGroups
    /// `SHOW SUBSCRIPTIONS`
    case showSubscriptions
    /// `CREATE DATABASE name [WITH [DURATION d] [REPLICATION n] [SHARD DURATION d] [NAME rp]]`
    case createDatabase(CreateDatabaseStatement)
    /// `DROP DATABASE name`; the associated value is the database name.
    case dropDatabase(name: String)
    /// `DROP MEASUREMENT name`; the associated value is the measurement name.
    case dropMeasurement(name: String)
    /// `DROP SERIES [FROM …] [WHERE …]` (at least one of the two).
    case dropSeries(DeleteSeriesStatement)
    /// `DELETE [FROM …] [WHERE …]` (at least one of the two).
    case delete(DeleteSeriesStatement)
    /// `CREATE USER name WITH PASSWORD 'password' [WITH ALL PRIVILEGES]`
    case createUser(name: String, password: String, admin: Bool)
    /// `DROP USER name`
    case dropUser(name: String)
    /// `SET PASSWORD FOR name = 'password'`
    case setPassword(user: String, password: String)
    /// `GRANT READ|WRITE|ALL [PRIVILEGES] ON db TO user`
    case grant(privilege: Privilege, database: String, user: String)
    /// `GRANT ALL [PRIVILEGES] TO user` (admin)
    case grantAdmin(user: String)
    /// `REVOKE READ|WRITE|ALL [PRIVILEGES] ON db FROM user`
    case revoke(privilege: Privilege, database: String, user: String)
    /// `REVOKE ALL [PRIVILEGES] FROM user` (admin)
    case revokeAdmin(user: String)
    /// `SHOW GRANTS FOR user`
    case showGrants(user: String)
    /// `CREATE RETENTION POLICY name ON db DURATION d REPLICATION n [SHARD DURATION d] [DEFAULT]`
    case createRetentionPolicy(CreateRetentionPolicyStatement)
    /// `ALTER RETENTION POLICY name ON db [DURATION d] [REPLICATION n] [SHARD DURATION d] [DEFAULT]`
    case alterRetentionPolicy(AlterRetentionPolicyStatement)
    /// `DROP RETENTION POLICY name ON db`
    case dropRetentionPolicy(name: String, database: String)
    /// `CREATE CONTINUOUS QUERY name ON db [RESAMPLE …] BEGIN select END`
    case createContinuousQuery(CreateContinuousQueryStatement)
    /// `DROP CONTINUOUS QUERY name ON db`
    case dropContinuousQuery(name: String, database: String)
}

/// `CREATE DATABASE` with its optional default retention policy.
public struct CreateDatabaseStatement: Sendable, Hashable {
    /// The database name.
    public var name: String
    /// Whether a `WITH` clause was given (InfluxDB then creates the policy it describes).
    public var retentionPolicyCreate: Bool
    /// `DURATION d` in nanoseconds; `0` means `INF`.
    public var retentionPolicyDuration: Int64?
    /// `REPLICATION n`.
    public var retentionPolicyReplication: Int?
    /// `SHARD DURATION d` in nanoseconds (0 when absent or `INF`).
    public var retentionPolicyShardGroupDuration: Int64
    /// `NAME rp`.
    public var retentionPolicyName: String?

    public init(
        name: String, retentionPolicyCreate: Bool = false, retentionPolicyDuration: Int64? = nil,
        retentionPolicyReplication: Int? = nil, retentionPolicyShardGroupDuration: Int64 = 0,
        retentionPolicyName: String? = nil
    ) {
        self.name = name
        self.retentionPolicyCreate = retentionPolicyCreate
        self.retentionPolicyDuration = retentionPolicyDuration
        self.retentionPolicyReplication = retentionPolicyReplication
        self.retentionPolicyShardGroupDuration = retentionPolicyShardGroupDuration
        self.retentionPolicyName = retentionPolicyName
    }
}

/// `DROP SERIES` and `DELETE`: which series (and, for DELETE, which time range) to remove.
public struct DeleteSeriesStatement: Sendable, Hashable {
    /// The measurements named after `FROM` (never with a database or retention policy).
    public var sources: [Source]
    /// The `WHERE` condition.
    public var condition: Expr?

    public init(sources: [Source] = [], condition: Expr? = nil) {
        self.sources = sources
        self.condition = condition
    }
}
