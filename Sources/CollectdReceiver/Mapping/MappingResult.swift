/// What mapping one value list did, for the counters.
public struct MappingResult: Sendable, Hashable {
    /// How the value list's type matched the types database.
    public enum TypeMatch: Sendable, Hashable {
        case known
        /// The type is not in the types database.
        case unknown
        /// The type is known but declares a different number of data sources.
        case countMismatch(expected: Int)
    }

    /// Values that became fields of appended points.
    public var mapped: Int = 0
    /// NaN or infinite values left out (InfluxDB cannot store them either).
    public var skippedNonFinite: Int = 0
    /// Values dropped because of an unknown type under `UnknownTypePolicy.drop`.
    public var droppedUnknown: Int = 0
    public var typeMatch: TypeMatch = .known

    public init() {}
}
