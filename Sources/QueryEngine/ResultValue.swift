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
