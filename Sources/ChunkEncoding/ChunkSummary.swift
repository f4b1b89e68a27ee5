/// What a float chunk's aggregates need without decoding it: its first, last, smallest and
/// largest value (the count and the first and last times are in the header and the chunk row).
///
/// `min` and `max` are the first such value in time order, with its exact bits (so -0.0 and 0.0
/// stay apart as a sample-by-sample pass that keeps the first of equal values leaves them).
///
/// Byte layout (see Docs/storage-format.md, "Chunk summaries"): `flags u8 | first | last | min |
/// max`, each value a zigzag varint of an integral value when flag bit 0 is set (every one of
/// the four is a whole number within ±2^53 and not -0.0), else its 8-byte little-endian bit pattern.
public struct ChunkSummary: Sendable, Hashable {
    public var first: Double
    public var last: Double
    public var min: Double
    public var max: Double

    public init(first: Double, last: Double, min: Double, max: Double) {
        self.first = first
        self.last = last
        self.min = min
        self.max = max
    }

    /// The summary of float `values` in time order, or nil when there are none or one is NaN (a
    /// NaN has no place in an order, so such chunks are always decoded).
    public init?(values: [ChunkValue]) {
        guard case .float(let head)? = values.first, !head.isNaN else { return nil }
        var lo = head, hi = head, last = head
        for value in values.dropFirst() {
            guard case .float(let v) = value, !v.isNaN else { return nil }
            if v < lo { lo = v }
            if v > hi { hi = v }
            last = v
        }
        self.init(first: head, last: last, min: lo, max: hi)
    }

    static let integralFlag: UInt8 = 0x01

    /// The stored bytes.
    public var encoded: [UInt8] {
        let values = [first, last, min, max]
        let integers = values.compactMap(ChunkAppender.integral)
        var bytes: [UInt8] = []
        if integers.count == values.count {
            bytes.append(Self.integralFlag)
            for i in integers { ChunkLayout.appendUVarint(UInt64(bitPattern: (i << 1) ^ (i >> 63)), to: &bytes) }
        } else {
            bytes.append(0)
            for v in values {
                let bits = v.bitPattern
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            }
        }
        return bytes
    }

    /// Reads stored bytes; throws on anything `encoded` cannot have written.
    public init(decoding bytes: [UInt8]) throws(ChunkError) {
        let parsed: Result<[Double], ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in
                var cursor = ByteCursor(raw)
                let flags = try cursor.byte()
                guard flags & ~Self.integralFlag == 0 else { throw .corrupt(reason: "summary flags \(flags)") }
                var values: [Double] = []
                for _ in 0..<4 {
                    if flags & Self.integralFlag != 0 {
                        let zigzag = try cursor.uvarint()
                        let i = Int64(bitPattern: zigzag >> 1) ^ (0 &- Int64(bitPattern: zigzag & 1))
                        guard i.magnitude <= 1 << 53 else { throw .corrupt(reason: "summary value out of range") }
                        values.append(Double(i))
                    } else {
                        var bits: UInt64 = 0
                        for shift in stride(from: 0, to: 64, by: 8) { bits |= UInt64(try cursor.byte()) << UInt64(shift) }
                        values.append(Double(bitPattern: bits))
                    }
                }
                guard cursor.offset == raw.count else { throw .corrupt(reason: "summary has trailing bytes") }
                return values
            }
        }
        let v = try parsed.get()
        guard !v.contains(where: \.isNaN), v[2] <= v[3], v[2] <= v[0], v[2] <= v[1], v[3] >= v[0], v[3] >= v[1] else {
            throw .corrupt(reason: "summary values out of order")
        }
        self.init(first: v[0], last: v[1], min: v[2], max: v[3])
    }
}
