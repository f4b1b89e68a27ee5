import CollectdProtocol

/// Value lists whose identity the reader has not resolved yet, packed into one byte array: no
/// allocation per list. Each identity is numbered by the reader (`provisional`), and only its
/// first list carries the identity's key bytes; later lists of it name the number alone, so a
/// burst of new hosts sending several rounds before the writer catches up queues each key once.
///
/// Record layout (native byte order): provisional (UInt32), key length (UInt16, 0 for a list
/// without its key), value count (UInt16), hash (UInt64), time (Int64), the key bytes (each
/// part length-prefixed, then the value count, as `IdentityCache.key` makes them), then the
/// values as Double bit patterns.
///
/// Replaced two arrays and a 32-byte record per list: at 2 000 new hosts × 3 rounds queued
/// before their series existed, 36 MB of keys, values and records.
public struct PendingLists: Sendable {
    private(set) var bytes: [UInt8] = []
    public private(set) var count = 0

    static let headerSize = 24

    public init() {}

    public var isEmpty: Bool { count == 0 }
    /// Bytes the lists hold.
    var byteCount: Int { bytes.count }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Appends `list` as identity `provisional`, with its key bytes when `withKey`.
    mutating func append(_ list: borrowing ValueListView, provisional: UInt32, hash: UInt64, withKey: Bool) {
        let valueCount = list.count
        let keyLength = withKey ? IdentityCache.keyLength(list) : 0
        // No reserveCapacity here: reserving a little more before each list reallocates every
        // time (it does not grow geometrically), which made a large batch quadratic.
        append(provisional)
        append(UInt16(keyLength))
        append(UInt16(truncatingIfNeeded: valueCount))
        append(hash)
        append(list.time)
        if withKey { IdentityCache.appendKey(list, to: &bytes) }
        for position in 0..<valueCount { append(list.doubleValue(at: position).bitPattern) }
        count += 1
    }

    @inline(__always)
    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with each list in order (valid only during the call).
    func forEach(_ body: (PendingList) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { raw in
            var at = 0
            while at + Self.headerSize <= raw.count {
                let keyLength = Int(raw.loadUnaligned(fromByteOffset: at + 4, as: UInt16.self))
                let valueCount = Int(raw.loadUnaligned(fromByteOffset: at + 6, as: UInt16.self))
                let keyStart = at + Self.headerSize
                let valuesStart = keyStart + keyLength
                let end = valuesStart + 8 * valueCount
                try body(PendingList(
                    provisional: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self),
                    hash: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self),
                    time: raw.loadUnaligned(fromByteOffset: at + 16, as: Int64.self),
                    key: UnsafeRawBufferPointer(rebasing: raw[keyStart..<valuesStart]),
                    values: UnsafeRawBufferPointer(rebasing: raw[valuesStart..<end])))
                at = end
            }
        }
    }
}

/// One list of `PendingLists`, valid only inside `forEach`.
struct PendingList {
    var provisional: UInt32
    var hash: UInt64
    var time: Int64
    /// Empty when an earlier list of the identity carried the key.
    var key: UnsafeRawBufferPointer
    var values: UnsafeRawBufferPointer

    var hasKey: Bool { !key.isEmpty }
    var count: Int { values.count / 8 }

    func value(at position: Int) -> Double {
        Double(bitPattern: values.loadUnaligned(fromByteOffset: 8 * position, as: UInt64.self))
    }
}
