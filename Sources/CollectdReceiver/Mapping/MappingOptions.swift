/// How value lists with several data sources become points (InfluxDB's `parse-multivalue-plugin`).
public enum MultiValueMode: String, Sendable, Hashable, CaseIterable {
    /// One point per data source: measurement `<plugin>_<dsname>`, field `value`.
    case split
    /// One point per value list: measurement `<plugin>`, one field per data source.
    case join
}

/// What happens to value lists whose type is not in the types database.
public enum UnknownTypePolicy: String, Sendable, Hashable, CaseIterable {
    /// Stored under positional data-source names (`value`, or `value0`, `value1`, …).
    case keep
    /// Dropped and counted.
    case drop
}

/// The resolution collectd timestamps are stored with; finer digits are floored away.
public enum TimePrecision: String, Sendable, Hashable, CaseIterable {
    case ns, us, ms, s

    /// Nanoseconds per unit.
    public var nanoseconds: Int64 {
        switch self {
        case .ns: 1
        case .us: 1_000
        case .ms: 1_000_000
        case .s: 1_000_000_000
        }
    }

    /// `time` floored to a whole unit (towards minus infinity, also before 1970).
    public func floor(_ time: Int64) -> Int64 {
        let unit = nanoseconds
        guard unit > 1 else { return time }
        let remainder = time % unit
        return remainder < 0 ? time - remainder - unit : time - remainder
    }
}

/// Everything the pure mapping needs besides the types database.
public struct MappingOptions: Sendable, Hashable {
    public var multiValue: MultiValueMode
    public var unknownTypes: UnknownTypePolicy
    public var precision: TimePrecision

    public init(multiValue: MultiValueMode = .split, unknownTypes: UnknownTypePolicy = .keep, precision: TimePrecision = .ms) {
        self.multiValue = multiValue
        self.unknownTypes = unknownTypes
        self.precision = precision
    }
}
