/// The type of a field as InfluxDB names it (`SHOW FIELD KEYS` column `fieldType`).
public enum FieldType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float = 1
    case integer = 2
    case unsigned = 3
    case boolean = 4
    case string = 5

    /// InfluxDB's spelling: `float`, `integer`, `unsigned`, `boolean`, `string`.
    public var description: String {
        switch self {
        case .float: "float"
        case .integer: "integer"
        case .unsigned: "unsigned"
        case .boolean: "boolean"
        case .string: "string"
        }
    }
}

/// One field value, typed as InfluxDB types line-protocol values.
public enum FieldValue: Sendable, Hashable {
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case boolean(Bool)
    case string(String)

    public var type: FieldType {
        switch self {
        case .float: .float
        case .integer: .integer
        case .unsigned: .unsigned
        case .boolean: .boolean
        case .string: .string
        }
    }

    /// The value as a Double when it is numeric (used by aggregates such as `mean`).
    public var doubleValue: Double? {
        switch self {
        case .float(let v): v
        case .integer(let v): Double(v)
        case .unsigned(let v): Double(v)
        case .boolean, .string: nil
        }
    }

    /// Bit-exact equality (NaN payloads and -0.0 compare by bits), used by tests and dedup.
    public func isIdentical(to other: FieldValue) -> Bool {
        switch (self, other) {
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        default: self == other
        }
    }
}
