/// A reference to one field of one series in one open database, handed out by
/// `SeriesAppender.resolve` and valid for appends to the same store.
///
/// Eight bytes: ingest carries these instead of measurement names and tag strings.
public struct FieldRef: Sendable, Hashable {
    /// The store's token for the open database the ref belongs to.
    public var database: UInt32
    /// The store's slot for the series field inside that database.
    public var slot: UInt32

    public init(database: UInt32, slot: UInt32) {
        self.database = database
        self.slot = slot
    }
}

/// Samples to append, as parallel columns: one row per value (ref, time, value bits).
///
/// A row's value bits are read with the type the ref was resolved with: a float's bit
/// pattern, an integer's two's complement, an unsigned value, 0/1 for a boolean, or the index
/// of a string in `strings`. Arrays keep their capacity across `removeAll`, so a pooled batch
/// allocates nothing in the steady state.
public struct ColumnBatch: Sendable {
    public private(set) var refs: [FieldRef] = []
    public private(set) var times: [Int64] = []
    public private(set) var values: [UInt64] = []
    public private(set) var strings: [String] = []
    /// Rows whose value is a string index (so merging batches can rebase them).
    private var stringRows: [Int] = []

    /// Bytes one row takes in memory (ref, time, value), for byte-bounded queues.
    public static let bytesPerRow = MemoryLayout<FieldRef>.stride + 2 * MemoryLayout<UInt64>.stride

    public init() {}

    /// A batch with room for `rows` rows.
    public init(capacity rows: Int) {
        reserveCapacity(rows)
    }

    public var count: Int { refs.count }
    public var isEmpty: Bool { refs.isEmpty }

    /// Bytes the rows take (strings not counted).
    public var byteCount: Int { refs.count * Self.bytesPerRow }

    public mutating func reserveCapacity(_ rows: Int) {
        refs.reserveCapacity(rows)
        times.reserveCapacity(rows)
        values.reserveCapacity(rows)
    }

    /// Appends a float row (the collectd path).
    @inline(__always)
    public mutating func append(_ ref: FieldRef, time: Int64, float value: Double) {
        refs.append(ref)
        times.append(time)
        values.append(value.bitPattern)
    }

    /// Appends a row of any type; the ref must have been resolved with `value.type`.
    public mutating func append(_ ref: FieldRef, time: Int64, value: FieldValue) {
        let bits: UInt64
        switch value {
        case .float(let v): bits = v.bitPattern
        case .integer(let v): bits = UInt64(bitPattern: v)
        case .unsigned(let v): bits = v
        case .boolean(let v): bits = v ? 1 : 0
        case .string(let v):
            bits = UInt64(strings.count)
            strings.append(v)
            stringRows.append(refs.count)
        }
        refs.append(ref)
        times.append(time)
        values.append(bits)
    }

    /// Appends every row of `other` (its string indexes are rebased).
    public mutating func append(contentsOf other: ColumnBatch) {
        let rowBase = refs.count
        let stringBase = UInt64(strings.count)
        refs.append(contentsOf: other.refs)
        times.append(contentsOf: other.times)
        values.append(contentsOf: other.values)
        if !other.strings.isEmpty {
            strings.append(contentsOf: other.strings)
            for row in other.stringRows {
                values[rowBase + row] &+= stringBase
                stringRows.append(rowBase + row)
            }
        }
    }

    /// Empties the batch and keeps its capacity.
    public mutating func removeAll() {
        refs.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        strings.removeAll(keepingCapacity: true)
        stringRows.removeAll(keepingCapacity: true)
    }

    /// The value of row `row` read as `type`.
    @inline(__always)
    public func value(at row: Int, as type: FieldType) -> FieldValue {
        Self.decode(values[row], as: type, strings: strings)
    }

    @inline(__always)
    static func decode(_ bits: UInt64, as type: FieldType, strings: [String]) -> FieldValue {
        switch type {
        case .float: .float(Double(bitPattern: bits))
        case .integer: .integer(Int64(bitPattern: bits))
        case .unsigned: .unsigned(bits)
        case .boolean: .boolean(bits != 0)
        case .string: .string(Int(bits) < strings.count ? strings[Int(bits)] : "")
        }
    }
}
