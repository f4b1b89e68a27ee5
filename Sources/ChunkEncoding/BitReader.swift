/// An MSB-first bit cursor over a borrowed byte range. Reading past the end yields zero bits
/// instead of trapping; callers compare `position` against `limit` once per sample and throw.
struct BitReader {
    let base: UnsafeRawPointer?
    let byteCount: Int
    /// Next bit to read, counted from `base`.
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        base = bytes.baseAddress
        byteCount = bytes.count
        self.position = position
    }

    /// Number of bits in the range.
    var limit: Int { byteCount &* 8 }

    /// Whether the cursor went past the last bit.
    var isOverrun: Bool { position > byteCount &* 8 }

    /// The next 64 bits, left-aligned; at least 57 of them are meaningful.
    @inline(__always)
    func peek() -> UInt64 {
        let byte = position &>> 3
        let word: UInt64
        if let base, byte &+ 8 <= byteCount {
            word = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        } else {
            word = slowWord(at: byte)
        }
        return word &<< UInt64(truncatingIfNeeded: position & 7)
    }

    @inline(never)
    private func slowWord(at byte: Int) -> UInt64 {
        guard let base else { return 0 }
        var word: UInt64 = 0
        for i in 0..<8 {
            let index = byte &+ i
            let b: UInt8 = index < byteCount ? base.load(fromByteOffset: index, as: UInt8.self) : 0
            word = word &<< 8 | UInt64(b)
        }
        return word
    }

    /// Skips `count` bits.
    @inline(__always)
    mutating func skip(_ count: Int) {
        position &+= count
    }

    /// Reads `count` bits (0...56) as an unsigned number.
    @inline(__always)
    mutating func read(_ count: Int) -> UInt64 {
        if count == 0 { return 0 }
        let value = peek() &>> UInt64(truncatingIfNeeded: 64 &- count)
        position &+= count
        return value
    }

    /// Reads `count` bits (0...64) as an unsigned number.
    @inline(__always)
    mutating func readWide(_ count: Int) -> UInt64 {
        if count <= 56 { return read(count) }
        let high = read(count &- 32)
        return high &<< 32 | read(32)
    }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() -> Bool {
        let bit = peek() &>> 63
        position &+= 1
        return bit != 0
    }
}
