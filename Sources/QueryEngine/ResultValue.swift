import InfluxQL
import TimeSeries

/// One cell of a result row.
public enum ResultValue: Sendable, Hashable {
    case null
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case boolean(Bool)
    /// A timestamp in ns since the epoch (the `time` column), written per the `epoch` parameter.
    case time(Int64)

    init(_ value: FieldValue) {
        switch value {
        case .float(let v): self = .float(v)
        case .integer(let v): self = .integer(v)
        case .unsigned(let v): self = .unsigned(v)
        case .boolean(let v): self = .boolean(v)
        case .string(let v): self = .string(v)
        }
    }

    /// A field's value read as `field::type`, as InfluxDB 1.6.7 reads it (recorded): floats and
    /// integers convert into each other (a float truncated toward zero, as Go converts), a value of another type
    /// is missing (null); without a type, or `::field`, the value as it is.
    static func cast(_ value: FieldValue, to type: DataType?) -> ResultValue {
        guard let type else { return ResultValue(value) }
        return value.cast(to: type).map(ResultValue.init) ?? .null
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a Double when numeric.
    var double: Double? {
        switch self {
        case .float(let v): v
        case .integer(let v): Double(v)
        case .unsigned(let v): Double(v)
        default: nil
        }
    }
}

extension FieldValue {
    /// This value read as `::type` (see `ResultValue.cast`); nil when it is missing under it.
    func cast(to type: DataType) -> FieldValue? {
        switch (type, self) {
        case (.field, _), (.float, .float), (.integer, .integer), (.unsigned, .unsigned), (.string, .string), (.boolean, .boolean):
            return self
        case (.float, .integer(let i)): return .float(Double(i))
        case (.integer, .float(let f)):
            // Go's int64(f) on amd64: out of range (or NaN) is the "integer indefinite" 1 << 63.
            return .integer(f >= -9_223_372_036_854_775_808.0 && f < 9_223_372_036_854_775_808.0 ? Int64(f) : Int64.min)
        default: return nil
        }
    }
}
