import InfluxQL

/// A statement of an export's DDL section, read with the InfluxQL parser: what `import --file`
/// creates before the points arrive.
enum ExportStatement: Equatable {
    /// `CREATE DATABASE name [WITH … NAME policy]`: the database and the name of its default policy.
    case createDatabase(name: String, defaultPolicy: String?)
    /// `CREATE RETENTION POLICY name ON database DURATION d …`; duration 0 keeps forever.
    case createRetentionPolicy(name: String, database: String, duration: Int64, isDefault: Bool)
    /// A statement of another kind, or one that does not parse.
    case unknown(String)

    init(_ text: String) {
        guard let statements = try? InfluxQLParser.parse(text), statements.count == 1 else {
            self = .unknown(text)
            return
        }
        switch statements[0] {
        case .createDatabase(let create):
            self = .createDatabase(name: create.name, defaultPolicy: create.retentionPolicyName)
        case .createRetentionPolicy(let create):
            self = .createRetentionPolicy(name: create.name, database: create.database, duration: create.duration, isDefault: create.isDefault)
        default:
            self = .unknown(text)
        }
    }

    /// A duration as InfluxDB prints it (Go's `168h0m0s`, `0s`; `INF`) in nanoseconds, 0 for INF.
    static func duration(_ text: String) -> Int64? {
        text.lowercased() == "inf" ? 0 : try? InfluxDuration.parse(text)
    }
}
