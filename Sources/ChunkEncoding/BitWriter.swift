/// Where a codec's bits go: a stream (`BitWriter`), or only their count (`BitCounter`, for
/// costing a codec option without writing it).
protocol BitSink {
    /// Appends the low `count` bits of `value` (0...64). Bits above `count` must be zero.
    mutating func write(_ value: UInt64, count: Int)
    var bitCount: Int { get }
}

/// Counts the bits a codec would write.
struct BitCounter: BitSink {
    private(set) var bitCount = 0

    @inline(__always)
    mutating func write(_ value: UInt64, count: Int) { bitCount &+= count }
}

/// An append-only MSB-first bit stream. Bits gather in a 64-bit accumulator and spill into a
/// word array, so the only allocation is the array's amortised growth.
struct BitWriter: BitSink, Sendable {
    private(set) var words: [UInt64] = []
    /// Pending bits, right-aligned; bits above `pendingCount` are garbage and shift out unseen.
    private var pending: UInt64 = 0
    private var pendingCount = 0

    init() {}

    /// Total number of bits written.
    var bitCount: Int { words.count &* 64 &+ pendingCount }

    /// Appends the low `count` bits of `value` (0...64). Bits above `count` must be zero.
    @inline(__always)
    mutating func write(_ value: UInt64, count: Int) {
        let free = 64 &- pendingCount
        if count < free {
            pending = (pending &<< UInt64(truncatingIfNeeded: count)) | value
            pendingCount &+= count
            return
        }
        let rest = count &- free
        let word = pendingCount == 0
            ? value
            : (pending &<< UInt64(truncatingIfNeeded: free)) | (value &>> UInt64(truncatingIfNeeded: rest))
        words.append(word)
        pending = value
        pendingCount = rest
    }

    /// Appends one bit.
    @inline(__always)
    mutating func write(bit: Bool) {
        write(bit ? 1 : 0, count: 1)
    }

    /// Empties the stream and keeps the words' storage (a reused appender allocates nothing).
    mutating func removeAll() {
        words.removeAll(keepingCapacity: true)
        pending = 0
        pendingCount = 0
    }

    /// Bytes of the words' storage (capacity).
    var capacityBytes: Int { words.capacity &* 8 }

    /// Reserves room for about `bits` more bits.
    mutating func reserve(bits: Int) {
        words.reserveCapacity(words.count + bits / 64 + 1)
    }

    /// Appends the stream to `bytes`, padded with zero bits to a whole byte.
    func copyBytes(into bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + words.count * 8 + 8)
        for word in words {
            var w = word
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: w &>> 56))
                w &<<= 8
            }
        }
        guard pendingCount > 0 else { return }
        var tail = pending &<< UInt64(64 - pendingCount)
        for _ in 0..<((pendingCount + 7) / 8) {
            bytes.append(UInt8(truncatingIfNeeded: tail &>> 56))
            tail &<<= 8
        }
    }
}
