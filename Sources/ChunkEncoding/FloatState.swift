/// Gorilla-style XOR codec for doubles:
///
/// | bits | meaning |
/// |---|---|
/// | 64 bits | first value, raw |
/// | `0` | same bits as the previous value |
/// | `10` + w bits | XOR fits the current window (w meaningful bits) |
/// | `11` + 5 bits lead + 6 bits w (0 = 64) + w bits | new window: leading zeros (capped at 31), width |
struct FloatState: Sendable {
    var previous: UInt64 = 0
    var leading = 0
    var trailing = 0
    /// Meaningful bits of the current window; 0 before one is opened.
    var width = 0

    @inline(__always)
    mutating func append<Sink: BitSink>(_ value: UInt64, first: Bool, to bits: inout Sink) {
        defer { previous = value }
        if first {
            bits.write(value, count: 64)
            return
        }
        let xor = value ^ previous
        if xor == 0 {
            bits.write(0, count: 1)
            return
        }
        let lead = Swift.min(xor.leadingZeroBitCount, 31)
        let trail = xor.trailingZeroBitCount
        let meaningful = 64 &- lead &- trail
        // Reuse the window while it holds the XOR and wastes fewer bits than a new header costs.
        if width > 0, lead >= leading, trail >= trailing, width <= meaningful &+ 11 {
            bits.write(0b10, count: 2)
            bits.write(xor &>> UInt64(truncatingIfNeeded: trailing), count: width)
        } else {
            let header = 0b11 &<< 11 | UInt64(lead) &<< 6 | UInt64(meaningful & 0x3F)
            bits.write(header, count: 13)
            bits.write(xor &>> UInt64(truncatingIfNeeded: trail), count: meaningful)
            leading = lead
            trailing = trail
            width = meaningful
        }
    }

    @inline(__always)
    mutating func read(from reader: inout BitReader, first: Bool) throws(ChunkError) -> UInt64 {
        if first {
            previous = reader.readWide(64)
            return previous
        }
        let peek = reader.peek()
        if peek & (1 &<< 63) == 0 {
            reader.skip(1)
            return previous
        }
        if peek & (1 &<< 62) == 0 {
            guard width > 0 else { throw .corrupt(reason: "float window used before it was opened") }
            reader.skip(2)
            previous ^= reader.readWide(width) &<< UInt64(truncatingIfNeeded: trailing)
            return previous
        }
        let lead = Int(truncatingIfNeeded: (peek &>> 57) & 0x1F)
        let field = Int(truncatingIfNeeded: (peek &>> 51) & 0x3F)
        let meaningful = field == 0 ? 64 : field
        let trail = 64 &- lead &- meaningful
        guard trail >= 0 else { throw .corrupt(reason: "float window wider than 64 bits") }
        reader.skip(13)
        previous ^= reader.readWide(meaningful) &<< UInt64(truncatingIfNeeded: trail)
        leading = lead
        trailing = trail
        width = meaningful
        return previous
    }
}
