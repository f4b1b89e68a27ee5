/// Zigzag delta-of-delta codec for Int64 (and UInt64 / integral doubles by bit pattern), with
/// an adaptive width window:
///
/// | bits | meaning |
/// |---|---|
/// | `0` | delta-of-delta is 0 |
/// | `10` + w bits | zigzag(dod) in the current window width w |
/// | `11` + 6 bits (n-1) + (n-1) bits | zigzag(dod) has bit length n (top bit implied); window becomes n |
///
/// The first value is coded as a dod against 0, so it always opens a window.
struct IntegerState: Sendable {
    var previous: Int64 = 0
    var delta: Int64 = 0
    /// Current window width in bits; 0 before the first non-zero dod.
    var width = 0

    @inline(__always)
    mutating func append(_ value: Int64, to bits: inout BitWriter) {
        let newDelta = value &- previous
        let dod = newDelta &- delta
        previous = value
        delta = newDelta
        if dod == 0 {
            bits.write(0, count: 1)
            return
        }
        let zigzag = UInt64(bitPattern: (dod &<< 1) ^ (dod &>> 63))
        let length = 64 &- zigzag.leadingZeroBitCount
        // Keep the window while it fits and wastes at most 5 bits (a new window costs 6 more).
        if length <= width, width <= length &+ 5 {
            bits.write(0b10, count: 2)
            bits.write(zigzag, count: width)
        } else {
            bits.write(0b11_000000 | UInt64(length &- 1), count: 8)
            bits.write(zigzag & ~(1 &<< UInt64(length &- 1)), count: length &- 1)
            width = length
        }
    }

    @inline(__always)
    mutating func read(from reader: inout BitReader) throws(ChunkError) -> Int64 {
        let peek = reader.peek()
        var dod: Int64 = 0
        if peek & (1 &<< 63) != 0 {
            let zigzag: UInt64
            if peek & (1 &<< 62) == 0 {
                guard width > 0 else { throw .corrupt(reason: "integer window used before it was opened") }
                if width <= 55 {
                    zigzag = (peek &<< 2) &>> UInt64(truncatingIfNeeded: 64 &- width)
                    reader.skip(2 &+ width)
                } else {
                    reader.skip(2)
                    zigzag = reader.readWide(width)
                }
            } else {
                let length = Int(truncatingIfNeeded: (peek &>> 56) & 0x3F) &+ 1
                reader.skip(8)
                zigzag = (1 &<< UInt64(length &- 1)) | reader.readWide(length &- 1)
                width = length
            }
            dod = Int64(bitPattern: zigzag &>> 1) ^ (0 &- Int64(bitPattern: zigzag & 1))
        } else {
            reader.skip(1)
        }
        delta &+= dod
        previous &+= delta
        return previous
    }
}
