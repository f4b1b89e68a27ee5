/// The fixed facts at the front of every chunk, readable without decoding any sample.
///
/// Byte layout (see Docs/storage-format.md, "Chunk format"):
/// `version u8 | kind u8 | flags u8 | count uvarint | [min/10^k zigzag varint |
/// (max-min)/10^k uvarint | ((first-min)/10^k uvarint if flag)]` — the time fields are absent
/// when count is 0.
public struct ChunkHeader: Sendable, Hashable {
    /// The current and only format version.
    public static let currentVersion: UInt8 = 1

    public var version: UInt8
    public var kind: ChunkValueKind
    /// Number of samples in the chunk.
    public var count: Int
    /// Smallest timestamp in the chunk (0 when the chunk is empty).
    public var minTime: Int64
    /// Largest timestamp in the chunk (0 when the chunk is empty).
    public var maxTime: Int64

    public init(version: UInt8, kind: ChunkValueKind, count: Int, minTime: Int64, maxTime: Int64) {
        self.version = version
        self.kind = kind
        self.count = count
        self.minTime = minTime
        self.maxTime = maxTime
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
