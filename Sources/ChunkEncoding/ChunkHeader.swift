/// The fixed facts at the front of every chunk, readable without decoding any sample.
///
/// Byte layout (see Docs/storage-format.md, "Chunk format"):
/// `version u8 | kind u8 | flags u8 | [codec u8, version ≥ 2] | [reference id uvarint, version ≥ 3] |
/// [times u8, values u8, version 4] |
/// count uvarint | [min/10^k zigzag varint | (max-min)/10^k uvarint | ((first-min)/10^k uvarint
/// if flag) | codec fields]` — the time fields are absent when count is 0.
public struct ChunkHeader: Sendable, Hashable {
    /// The base format version, written whenever a chunk needs nothing newer (so files stay
    /// readable by version-1 readers wherever possible).
    public static let currentVersion: UInt8 = 1
    /// Version 2 adds a codec byte after the flags: decimal-scaled floats, the integer codec's
    /// order, timestamps on a grid, raw floats.
    public static let codecVersion: UInt8 = 2
    /// Version 3 is version 2 plus a time reference: a uvarint id after the codec byte names a
    /// shared time sequence, and each timestamp is coded as its distance from that sequence's
    /// entry at the same index (no time grid; times strictly ascending).
    public static let referenceVersion: UInt8 = 3
    /// Version 4 is version 3 plus two bytes after the reference id: the times (0–15: run-coded
    /// with that order, `TimeRuns`; 0x80: as version 3, per sample or exact) and the values
    /// (0xFF: adaptive windows as before; 0–62: Exp-Golomb codes of that order, `SignedCodes`).
    public static let runVersion: UInt8 = 4
    /// The newest version this reader understands.
    public static let newestVersion: UInt8 = 4

    public var version: UInt8
    public var kind: ChunkValueKind
    /// Number of samples in the chunk.
    public var count: Int
    /// Smallest timestamp in the chunk (0 when the chunk is empty).
    public var minTime: Int64
    /// Largest timestamp in the chunk (0 when the chunk is empty).
    public var maxTime: Int64
    /// Id of the time sequence the timestamps are coded against (versions 3 and 4), else nil: decoding
    /// needs that sequence's times.
    public var timeReference: Int64?

    public init(version: UInt8, kind: ChunkValueKind, count: Int, minTime: Int64, maxTime: Int64, timeReference: Int64? = nil) {
        self.version = version
        self.kind = kind
        self.count = count
        self.minTime = minTime
        self.maxTime = maxTime
        self.timeReference = timeReference
    }

    /// Reads the header at the start of `bytes`.
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(ChunkError) -> ChunkHeader {
        try ChunkLayout(parsing: bytes).header
    }

    /// Reads the header at the start of `bytes`.
    public static func read(_ bytes: [UInt8]) throws(ChunkError) -> ChunkHeader {
        let parsed: Result<ChunkHeader, ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in try ChunkLayout(parsing: raw).header }
        }
        return try parsed.get()
    }

    /// Reads the header from the first bytes of a chunk (at least the header; the body need not
    /// follow), e.g. a prefix read with SQL's `substr`.
    public static func read(prefix bytes: [UInt8]) throws(ChunkError) -> ChunkHeader {
        let parsed: Result<ChunkHeader, ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in try ChunkLayout(parsing: raw, bodyFollows: false).header }
        }
        return try parsed.get()
    }

    /// Longest possible header in bytes (four fixed bytes, seven varints; version 3 has no
    /// grid fields, so its reference id keeps it within the same bound).
    public static let maxByteCount = 4 + 10 * 7
}

/// Header flag bits (byte 2).
enum HeaderFlags {
    /// Low five bits: k, timestamps are stored divided by 10^k.
    static let scaleMask: UInt8 = 0x1F
    /// Float chunk whose values are all integral and stored with the integer codec.
    static let integralFloats: UInt8 = 0x20
    /// The first sample is not the earliest; its offset from min follows in the header.
    static let firstNotMin: UInt8 = 0x40
    static let reserved: UInt8 = 0x80
}

/// The codec byte of version-2 chunks (after the flags). Version 1 means 0x20: no decimal
/// scale, delta-of-delta integers, delta-of-delta times, XOR floats.
struct CodecOptions: Sendable, Hashable {
    /// Bits 0–3: float values are stored as integers n with value = n / 10^d (`integralFloats` set).
    var decimalExponent = 0
    /// Bits 4–5: what the integer codec codes: 2 delta-of-delta, 1 delta, 0 the value, 3 one
    /// constant (the first value, as with 0; every later one equals it and takes no bits).
    var valueOrder = 2
    /// With orders 0, 1 and 3: subtracted from each coded value or delta (a zigzag varint after
    /// the grid interval). (Before the flags: no padding between them and the next field.)
    var bias: Int64 = 0
    /// Bit 6: timestamps are coded as their distance from a grid `first + i × interval` (the
    /// interval follows the header's time fields as a zigzag varint); else delta-of-delta.
    var timeGrid = false
    /// Bit 7 on a chunk without `integralFloats`: floats are stored as raw 64-bit patterns
    /// instead of XOR.
    var rawFloats = false
    /// Bit 7 on an `integralFloats` chunk: the scale is binary, value = n / 2^d (Linux's load
    /// averages are multiples of 1/2048).
    var binaryScale = false
    /// Version 4 (a byte after the time byte): integer-coded values after the first as zigzag
    /// Exp-Golomb codes of this order (`SignedCodes`) instead of adaptive windows; nil for the
    /// windows. Not part of `byte`.
    var golomb: Int? = nil

    static let versionOne = CodecOptions()

    var byte: UInt8 {
        UInt8(decimalExponent) | UInt8(valueOrder) << 4 | (timeGrid ? 0x40 : 0) | (rawFloats || binaryScale ? 0x80 : 0)
    }

    init() {}

    init(decimalExponent: Int, valueOrder: Int, timeGrid: Bool, rawFloats: Bool, bias: Int64 = 0) {
        self.bias = bias
        self.decimalExponent = decimalExponent
        self.valueOrder = valueOrder
        self.timeGrid = timeGrid
        self.rawFloats = rawFloats
    }

    init(byte: UInt8, integralFloats: Bool) throws(ChunkError) {
        decimalExponent = Int(byte & 0x0F)
        valueOrder = Int(byte >> 4 & 0x03)
        timeGrid = byte & 0x40 != 0
        rawFloats = byte & 0x80 != 0 && !integralFloats
        binaryScale = byte & 0x80 != 0 && integralFloats
    }
}

/// Decimal scales of float chunks: a value v is stored as the integer n = v × 10^d when
/// n / 10^d (one correctly rounded division) gives back v's exact bits.
public enum DecimalScale {
    /// 10^0 ... 10^15: every power is an exact double and 10^15 × (a value below 9) stays
    /// within the integer codec's exact range 2^53.
    public static let maxExponent = 15
    static let powers: [Double] = (0...maxExponent).map { d in (0..<d).reduce(1.0) { acc, _ in acc * 10 } }
    static let binaryPowers: [Double] = (0...maxExponent).map { d in (0..<d).reduce(1.0) { acc, _ in acc * 2 } }

    @inline(__always)
    static func divisor(_ d: Int, binary: Bool) -> Double { binary ? binaryPowers[d] : powers[d] }

    /// n with `Double(n) / 10^d` (or `/ 2^d`) bit-identical to `value`, or nil (NaN, ±Inf,
    /// -0.0, too many digits or too large).
    @inline(__always)
    public static func scaled(_ value: Double, exponent d: Int, binary: Bool = false) -> Int64? {
        if d == 0 { return ChunkAppender.integral(value) }
        let p = binary ? binaryPowers[d] : powers[d]
        let x = (value * p).rounded()
        guard x.magnitude <= 9_007_199_254_740_992.0 else { return nil }
        let n = Int64(x)
        guard (Double(n) / p).bitPattern == value.bitPattern else { return nil }
        return n
    }

    /// The smallest exponent above `current` (at most `maxExponent`) at which `value` is exact.
    public static func exponent(for value: Double, above current: Int, binary: Bool = false) -> Int? {
        guard value.isFinite, current < maxExponent else { return nil }
        for d in (current + 1)...maxExponent where scaled(value, exponent: d, binary: binary) != nil { return d }
        return nil
    }

    /// The scale for a value that is not whole: the base (decimal or binary) whose smallest
    /// exact exponent gives the smaller integer, or nil when neither can.
    static func firstScale(for value: Double) -> (exponent: Int, binary: Bool)? {
        let decimal = exponent(for: value, above: 0)
        let binary = exponent(for: value, above: 0, binary: true)
        switch (decimal, binary) {
        case let (d?, b?): return powers[d] <= binaryPowers[b] ? (d, false) : (b, true)
        case let (d?, nil): return (d, false)
        case let (nil, b?): return (b, true)
        default: return nil
        }
    }
}

/// Powers of ten that can be a timestamp scale (10^0 ... 10^18).
enum TimeScale {
    static let maxExponent = 18
    /// The largest scale a chunk's first sample picks by itself (10^9 ns: whole seconds).
    static let firstSampleMaxExponent = 9

    @inline(__always)
    static func factor(_ exponent: Int) -> Int64 {
        var f: Int64 = 1
        for _ in 0..<exponent { f &*= 10 }
        return f
    }

    /// Largest k ≤ 18 with `time` divisible by 10^k.
    static func exponent(dividing time: Int64) -> Int {
        var k = 0
        var f: Int64 = 10
        while k < maxExponent, time % f == 0 {
            k += 1
            if k < maxExponent { f &*= 10 }
        }
        return k
    }
}
