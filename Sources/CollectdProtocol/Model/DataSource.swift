/// The kind of a data source, as declared in types.db and tagged in a values part.
public enum DataSourceKind: Sendable, Hashable, CaseIterable {
    case gauge, counter, derive, absolute

    /// Parses a types.db kind name, case-insensitively.
    public init?(typesDBName: some StringProtocol) {
        switch typesDBName.uppercased() {
        case "GAUGE": self = .gauge
        case "COUNTER": self = .counter
        case "DERIVE": self = .derive
        case "ABSOLUTE": self = .absolute
        default: return nil
        }
    }

    /// The name used in types.db (upper case).
    public var typesDBName: String {
        switch self {
        case .gauge: "GAUGE"
        case .counter: "COUNTER"
        case .derive: "DERIVE"
        case .absolute: "ABSOLUTE"
        }
    }

    /// The type byte of this kind in a values part.
    var wireType: UInt8 {
        switch self {
        case .counter: 0
        case .gauge: 1
        case .derive: 2
        case .absolute: 3
        }
    }
}

/// One data source of a type: `name:KIND:min:max` in types.db.
public struct DataSource: Sendable, Hashable {
    public var name: String
    public var kind: DataSourceKind
    /// Lower bound, `nil` when types.db says `U`.
    public var min: Double?
    /// Upper bound, `nil` when types.db says `U`.
    public var max: Double?

    public init(name: String, kind: DataSourceKind, min: Double?, max: Double?) {
        self.name = name
        self.kind = kind
        self.min = min
        self.max = max
    }

    /// The data source in types.db notation, e.g. `rx:DERIVE:0:U`.
    public var typesDBNotation: String {
        "\(name):\(kind.typesDBName):\(Self.bound(min)):\(Self.bound(max))"
    }

    private static func bound(_ value: Double?) -> String {
        guard let value else { return "U" }
        // 2^63 and 2^64 are how the C limits INT64_MAX and UINT64_MAX arrive as doubles;
        // write them as types.db does (they parse back to the same double).
        if value == 18_446_744_073_709_551_616 { return "18446744073709551615" }
        if value == 9_223_372_036_854_775_808 { return "9223372036854775807" }
        if value == value.rounded(), abs(value) < 9e18 { return String(Int64(value)) }
        return String(value)
    }
}
