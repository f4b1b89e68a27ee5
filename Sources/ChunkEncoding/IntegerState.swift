/// Zigzag delta-of-delta codec for Int64 (and UInt64 / integral doubles by bit pattern), with
/// an adaptive window of width w and shift s (dods that are multiples of 2^s, such as memory
/// sizes in kB × 1024, lose their zero low bits):
///
/// | bits | meaning |
/// |---|---|
/// | `0` | delta-of-delta is 0 |
/// | `10` + w bits | zigzag(dod >> s) in the current window |
/// | `11` + 6 bits (n-1) + `0` + (n-1) bits | new window w = n, s = 0; zigzag(dod) has bit length n (top bit implied) |
/// | `11` + 6 bits (n-1) + `1` + 6 bits s + (n-1) bits | new window w = n with shift s |
///
/// The first value is coded as a dod against 0, so it always opens a window.
///
/// With `golomb` k (chunk version 4) every value after the first is instead a zigzag
/// Exp-Golomb code of order k (`SignedCodes`) of what the order codes, minus the bias: one code
/// whose length grows with the logarithm of the value, where windows pay 7–13 bits for each
/// change of width (random walks: disk octets, load averages, process counts).
///
/// `order` (chunk version 2) picks what the window codes: 2 the delta-of-delta (version 1's
/// only choice: counters at a steady rate), 1 the delta (random walks, random increments),
/// 0 the value itself (values with no relation to the previous one), 3 a constant: the first
/// value is coded as with order 0 and every later value equals it, so it costs no bits (a flat
/// series: error counters, swap on a host without swap, a static file system).
struct IntegerState: Sendable {
    var order = 2
    /// Subtracted from what the window codes (orders 0 and 1: the midrange of the chunk's
    /// values or deltas, so the window holds half the span instead of all of it, unsigned).
    var bias: Int64 = 0
    var previous: Int64 = 0
    var delta: Int64 = 0
    /// Current window width in bits; 0 before the first non-zero dod.
    var width = 0
    /// Current window shift.
    var shift = 0
    /// Order 3: the constant is coded (every later value is `previous` and takes no bits).
    var constantCoded = false
    /// Exp-Golomb order for the values after the first, or -1 for windows.
    var golomb: Int8 = -1
    /// The first value has been coded.
    var started = false

    @inline(__always)
    mutating func append<Sink: BitSink>(_ value: Int64, to bits: inout Sink) {
        // Order 3: the appender leaves it (`ChunkAppender.leaveConstant`) before a different value.
        if constantCoded { return }
        let newDelta = value &- previous
        let dod = (order == 2 ? newDelta &- delta : (order == 1 ? newDelta : value)) &- bias
        previous = value
        delta = newDelta
        if order == 3 { constantCoded = true }
        // Version 4's Exp-Golomb values, out of line so the windowed path stays compact enough
        // to inline into the appender's loop (as `read` does).
        if golomb >= 0 {
            if started { return writeGolomb(dod, to: &bits) }
            started = true
        }
        if dod == 0 {
            bits.write(0, count: 1)
            return
        }
        let zeros = dod.trailingZeroBitCount
        if width > 0, zeros >= shift {
            let shifted = dod &>> Int64(shift)
            let zigzag = UInt64(bitPattern: (shifted &<< 1) ^ (shifted &>> 63))
            let length = 64 &- zigzag.leadingZeroBitCount
            // Keep the window while it fits and wastes at most 5 bits (a new one costs 7 more).
            if length <= width, width <= length &+ 5 {
                bits.write(0b10, count: 2)
                bits.write(zigzag, count: width)
                return
            }
        }
        openWindow(dod, zeros: zeros, to: &bits)
    }

    @inline(never)
    private func writeGolomb<Sink: BitSink>(_ coded: Int64, to bits: inout Sink) {
        SignedCodes.write(coded, order: Int(golomb), to: &bits)
    }

    private mutating func openWindow<Sink: BitSink>(_ dod: Int64, zeros: Int, to bits: inout Sink) {
        // A shift pays for its 6 bits only when several low zero bits go; once chosen it
        // stays while dods keep at least that many zeros, so windows can be reused.
        let newShift = shift > 0 && zeros >= shift ? shift : (zeros >= 7 ? zeros : 0)
        let shifted = dod &>> Int64(newShift)
        let zigzag = UInt64(bitPattern: (shifted &<< 1) ^ (shifted &>> 63))
        let length = 64 &- zigzag.leadingZeroBitCount
        if newShift == 0 {
            bits.write(0b11_000000_0 | UInt64(length &- 1) &<< 1, count: 9)
        } else {
            bits.write(0b11_000000_1_000000 | UInt64(length &- 1) &<< 7 | UInt64(newShift), count: 15)
        }
        bits.write(zigzag & ~(1 &<< UInt64(length &- 1)), count: length &- 1)
        width = length
        shift = newShift
    }

    /// The next value. Version 4's Exp-Golomb values after the first (what the store's sealed
    /// chunks nearly all hold) take a path small enough to inline into the decoding loops; the
    /// rest (constants, the first value, the windowed codes) is out of line. Transparent: with
    /// `@inline(__always)` it stayed a call in the large float decoding loop (the call cost a
    /// quarter of a host panel's decoding).
    @_transparent
    mutating func read(from reader: inout BitReader) throws(ChunkError) -> Int64 {
        if readsGolomb { return readGolomb(from: &reader) }
        return try readOther(from: &reader)
    }

    /// `read` for constants, a chunk's first value and the windowed codes.
    @inline(never)
    mutating func readOther(from reader: inout BitReader) throws(ChunkError) -> Int64 {
        if constantCoded { return previous }
        // The first value of an Exp-Golomb chunk is windowed; `read` takes the later ones.
        if golomb >= 0 { started = true }
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
                if peek & (1 &<< 55) == 0 {
                    shift = 0
                    reader.skip(9)
                } else {
                    shift = Int(truncatingIfNeeded: (peek &>> 49) & 0x3F)
                    reader.skip(15)
                }
                zigzag = (1 &<< UInt64(length &- 1)) | reader.readWide(length &- 1)
                width = length
            }
            let shifted = Int64(bitPattern: zigzag &>> 1) ^ (0 &- Int64(bitPattern: zigzag & 1))
            dod = shifted &<< Int64(shift)
        } else {
            reader.skip(1)
        }
        return apply(dod)
    }

    /// Whether the next value is an Exp-Golomb code after a chunk's first value (`readGolomb`;
    /// `started` is only ever set with Exp-Golomb coding).
    var readsGolomb: Bool { started && !constantCoded }

    /// The next value when `readsGolomb` (no throwing path).
    @_transparent
    mutating func readGolomb(from reader: inout BitReader) -> Int64 {
        apply(SignedCodes.read(order: Int(golomb), from: &reader))
    }

    /// The value a coded number (less the bias) stands for, under the order.
    @inline(__always)
    private mutating func apply(_ coded: Int64) -> Int64 {
        let dod = coded &+ bias
        switch order {
        case 2:
            delta &+= dod
            previous &+= delta
        case 1:
            previous &+= dod
        default:
            previous = dod
            // Order 3: every later value is this one and takes no bits.
            if order == 3 { constantCoded = true }
        }
        return previous
    }
}
