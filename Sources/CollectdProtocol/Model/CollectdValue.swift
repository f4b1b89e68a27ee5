/// One value of a collectd value list, tagged with its data-source kind.
///
/// On the wire COUNTER, DERIVE and ABSOLUTE are big-endian integers and GAUGE is a
/// little-endian IEEE 754 double.
public enum CollectdValue: Sendable, Hashable {
    case counter(UInt64)
    case gauge(Double)
    case derive(Int64)
    case absolute(UInt64)

    /// The kind of data source this value belongs to.
    public var kind: DataSourceKind {
        switch self {
        case .counter: .counter
        case .gauge: .gauge
        case .derive: .derive
        case .absolute: .absolute
        }
    }

    /// The value as a double, as InfluxDB stores every collectd value.
    public var doubleValue: Double {
        switch self {
        case .counter(let v): Double(v)
        case .gauge(let v): v
        case .derive(let v): Double(v)
        case .absolute(let v): Double(v)
        }
    }

    /// The type byte of this value in a values part.
    var wireType: UInt8 { kind.wireType }

    /// The eight value bytes as written on the wire, as one integer in memory order
    /// matching `wireEndianness`.
    var wireBits: UInt64 {
        switch self {
        case .counter(let v): v
        case .gauge(let v): v.bitPattern
        case .derive(let v): UInt64(bitPattern: v)
        case .absolute(let v): v
        }
    }

    /// Builds a value from a values-part type byte and its eight bytes read big-endian
    /// (or little-endian for GAUGE); `nil` for an unknown type byte.
    @inline(__always)
    init?(wireType: UInt8, bits: UInt64) {
        switch wireType {
        case 0: self = .counter(bits)
        case 1: self = .gauge(Double(bitPattern: bits))
        case 2: self = .derive(Int64(bitPattern: bits))
        case 3: self = .absolute(bits)
        default: return nil
        }
    }
}
