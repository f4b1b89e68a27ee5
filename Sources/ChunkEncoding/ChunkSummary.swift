/// What a float chunk's aggregates need without decoding it. The chunk's samples are its *body*
/// (all but the last) and its *tail* (the last sample): a chunk sealed because a sample crossed
/// into the next window ends with that one sample, so the body alone may lie in one bucket.
///
/// `bodyMin` and `bodyMax` are the first such value of the body in time order, with its exact
/// bits (so -0.0 and 0.0 stay apart as a sample-by-sample pass that keeps the first of equal
/// values leaves them). The count and the first and last times are in the header and the chunk
/// row; the body ends `tailGap` ns before the last time.
///
/// Byte layout (see Docs/storage-format.md, "Chunk summaries"): `flags u8 | first | bodyLast |
/// last | bodyMin | bodyMax | tailGap uvarint`, each value a zigzag varint of a whole number when
/// flag bit 0 is set (all five are whole, within ±2^53 and not -0.0), else its 8-byte
/// little-endian bit pattern. Flag bit 1 (schema 13, with bit 0): the varints after `first` are
/// the differences bodyLast − first, last − bodyLast, bodyMin − first and bodyMax − bodyLast (a
/// counter's or a level's summary is then a large number and four small ones). Flag bit 2
/// (schema 13): `tailGap` is in milliseconds.
public struct ChunkSummary: Sendable, Hashable {
    public var first: Double
    /// The last value of the body (the chunk's next-to-last sample).
    public var bodyLast: Double
    public var last: Double
    public var bodyMin: Double
    public var bodyMax: Double
    /// The last time minus the body's last time (> 0).
    public var tailGap: Int64

    public init(first: Double, bodyLast: Double, last: Double, bodyMin: Double, bodyMax: Double, tailGap: Int64) {
        self.first = first
        self.bodyLast = bodyLast
        self.last = last
        self.bodyMin = bodyMin
        self.bodyMax = bodyMax
        self.tailGap = tailGap
    }

    /// The summary of float `values` at ascending `times`, or nil with fewer than two samples, a
    /// NaN (a NaN has no place in an order, so such chunks are always decoded) or a tail gap
    /// beyond Int64 (last times more than 292 years apart, which no store window holds).
    public init?(times: [Int64], values: [ChunkValue]) {
        guard values.count >= 2, times.count == values.count, times[times.count - 2] < times[times.count - 1],
              case .float(let head) = values[0], !head.isNaN else { return nil }
        let gap = times[times.count - 1].subtractingReportingOverflow(times[times.count - 2])
        guard !gap.overflow else { return nil }
        // One pass: each value is the body's until the next one arrives.
        var lo = head, hi = head, previous = head
        for value in values.dropFirst() {
            guard case .float(let v) = value, !v.isNaN else { return nil }
            if previous < lo { lo = previous }
            if previous > hi { hi = previous }
            previous = v
        }
        guard case .float(let bodyLast) = values[values.count - 2] else { return nil }
        self.init(first: head, bodyLast: bodyLast, last: previous, bodyMin: lo, bodyMax: hi,
                  tailGap: gap.partialValue)
    }

    /// The smallest and largest value of the whole chunk (the body's unless the tail is strictly
    /// beyond, as a pass in time order keeps the first of equal values).
    public var min: Double { last < bodyMin ? last : bodyMin }
    public var max: Double { last > bodyMax ? last : bodyMax }

    static let integralFlag: UInt8 = 0x01
    static let relativeFlag: UInt8 = 0x02
    static let millisecondGapFlag: UInt8 = 0x04
    /// With `relativeFlag`, the value each stored difference is taken from (by index into
    /// first, bodyLast, last, bodyMin, bodyMax): first for bodyLast and bodyMin, bodyLast for
    /// last and bodyMax.
    private static let differenceBase = [0, 0, 1, 0, 1]

    private var values: [Double] { [first, bodyLast, last, bodyMin, bodyMax] }

    /// The stored bytes.
    public var encoded: [UInt8] {
        let values = self.values
        let integers = values.compactMap(ChunkAppender.integral)
        var bytes: [UInt8] = []
        let milliseconds = tailGap % 1_000_000 == 0
        let gapFlag = milliseconds ? Self.millisecondGapFlag : 0
        if integers.count == values.count {
            // Whole numbers within ±2^53: their differences cannot overflow.
            let relative = integers.indices.map { $0 == 0 ? integers[0] : integers[$0] - integers[Self.differenceBase[$0]] }
            let size: ([Int64]) -> Int = { $0.reduce(0) { $0 + ChunkAppender.varintLength(SignedCodes.zigzag($1)) } }
            let useRelative = size(relative) < size(integers)
            bytes.append(Self.integralFlag | (useRelative ? Self.relativeFlag : 0) | gapFlag)
            for i in useRelative ? relative : integers { ChunkLayout.appendUVarint(SignedCodes.zigzag(i), to: &bytes) }
        } else {
            bytes.append(gapFlag)
            for v in values {
                let bits = v.bitPattern
                for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            }
        }
        ChunkLayout.appendUVarint(UInt64(bitPattern: milliseconds ? tailGap / 1_000_000 : tailGap), to: &bytes)
        return bytes
    }

    /// Reads stored bytes; throws on anything `encoded` cannot have written.
    public init(decoding bytes: [UInt8]) throws(ChunkError) {
        let parsed: Result<([Double], UInt64), ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in
                var cursor = ByteCursor(raw)
                let flags = try cursor.byte()
                guard flags & ~(Self.integralFlag | Self.relativeFlag | Self.millisecondGapFlag) == 0,
                      flags & Self.relativeFlag == 0 || flags & Self.integralFlag != 0 else {
                    throw .corrupt(reason: "summary flags \(flags)")
                }
                var values: [Double] = []
                values.reserveCapacity(5)
                for n in 0..<5 {
                    if flags & Self.integralFlag != 0 {
                        let zigzag = try cursor.uvarint()
                        var i = Int64(bitPattern: zigzag >> 1) ^ (0 &- Int64(bitPattern: zigzag & 1))
                        if flags & Self.relativeFlag != 0 && n > 0 {
                            guard i.magnitude <= 1 << 54 else { throw .corrupt(reason: "summary value out of range") }
                            // The base is a whole number within ±2^53, so its double is exact.
                            i += Int64(values[Self.differenceBase[n]])
                        }
                        guard i.magnitude <= 1 << 53 else { throw .corrupt(reason: "summary value out of range") }
                        values.append(Double(i))
                    } else {
                        var bits: UInt64 = 0
                        for shift in stride(from: 0, to: 64, by: 8) { bits |= UInt64(try cursor.byte()) << UInt64(shift) }
                        values.append(Double(bitPattern: bits))
                    }
                }
                var gap = try cursor.uvarint()
                if flags & Self.millisecondGapFlag != 0 {
                    let (ns, overflow) = gap.multipliedReportingOverflow(by: 1_000_000)
                    guard !overflow else { throw .corrupt(reason: "summary tail gap out of range") }
                    gap = ns
                }
                guard cursor.offset == raw.count else { throw .corrupt(reason: "summary has trailing bytes") }
                return (values, gap)
            }
        }
        let (v, gap) = try parsed.get()
        guard !v.contains(where: \.isNaN), v[3] <= v[4], v[3] <= v[0], v[3] <= v[1], v[4] >= v[0], v[4] >= v[1] else {
            throw .corrupt(reason: "summary values out of order")
        }
        guard gap > 0, gap <= UInt64(Int64.max) else { throw .corrupt(reason: "summary tail gap \(gap)") }
        self.init(first: v[0], bodyLast: v[1], last: v[2], bodyMin: v[3], bodyMax: v[4], tailGap: Int64(gap))
    }
}
