/// Version 4: a referenced chunk's timestamps coded as runs (Docs/storage-format.md, "Run-coded
/// times").
///
/// Version 3 spends a bit on every sample equal to its clock's time and six or more on each
/// other. On real collectd data a chunk off its clock differs at about one sample in six, mostly
/// by +1 to +3 ms, so most of those bits say "equal". Version 4 writes, at each sample that is
/// not inside a run, the number r of samples from here that equal the clock (an Exp-Golomb code
/// of order k, k in the header); the sample after such a run is an exception and codes its
/// distance at once, without another run length. A distance d ≠ 0 (in the chunk's time scale) is
/// `0` for +1, `10` for +2, `110` for +3, `1110` for +4, else `1111` and d in `TimeBuckets`.
/// The last run reaches the end of the chunk. On the committed 2-hour recording this codes the
/// same timestamps in 56 % of version 3's bits.
enum TimeRuns {
    /// Largest Exp-Golomb order a header may carry.
    static let maxOrder = 15

    /// Bits of r ≥ 0 as an Exp-Golomb code of order k (runs are below 2^31, never escaped).
    @inline(__always)
    static func runBits(_ r: Int, order k: Int) -> Int { ExpGolomb.bits(UInt64(r), order: k) }

    @inline(__always)
    static func writeRun(_ r: Int, order k: Int, to bits: inout BitWriter) { ExpGolomb.write(UInt64(r), order: k, to: &bits) }

    /// Reads a run length; nil when the stream holds no valid code (more than 31 leading zeros:
    /// the escape, which no run length needs).
    @inline(__always)
    static func readRun(order k: Int, from reader: inout BitReader) -> Int? {
        guard reader.peek().leadingZeroBitCount <= 31 else { return nil }
        return Int(truncatingIfNeeded: ExpGolomb.read(order: k, from: &reader))
    }

    /// Bits of an exception's distance d (≠ 0) with `table`.
    @inline(__always)
    static func exceptionBits(_ d: Int64, table: UInt64) -> Int {
        switch d {
        case 1: return 1
        case 2: return 2
        case 3: return 3
        case 4: return 4
        default: return 4 &+ TimeBuckets.bitCount(d, table: table)
        }
    }

    @inline(__always)
    static func writeException(_ d: Int64, scaleExponent: Int, to bits: inout BitWriter) {
        switch d {
        case 1: bits.write(0, count: 1)
        case 2: bits.write(0b10, count: 2)
        case 3: bits.write(0b110, count: 3)
        case 4: bits.write(0b1110, count: 4)
        default:
            bits.write(0b1111, count: 4)
            TimeBuckets.write(d, scaleExponent: scaleExponent, to: &bits)
        }
    }

    @inline(__always)
    static func readException(_ table: UInt64, from reader: inout BitReader) -> Int64 {
        let ones = (~reader.peek()).leadingZeroBitCount
        if ones < 4 {
            reader.skip(ones &+ 1)
            return Int64(ones &+ 1)
        }
        reader.skip(4)
        return TimeBuckets.read(table, from: &reader)
    }

    /// The distances (scaled) of samples 1 onwards from the reference, and the cheapest order
    /// for them with its cost in bits (samples 1 onwards; the header bytes not included).
    static func bestOrder(distances: [Int64], table: UInt64) -> (order: Int, bits: Int) {
        var fixed = 0
        var runs: [UInt64] = []
        var r: UInt64 = 0
        for d in distances {
            if d == 0 {
                r &+= 1
                continue
            }
            runs.append(r)
            r = 0
            fixed &+= exceptionBits(d, table: table)
        }
        // A last exception ends the chunk with no run after it.
        if r > 0 { runs.append(r) }
        let best = ExpGolomb.bestOrder(runs, maxOrder: maxOrder)
        return (best.order, best.bits &+ fixed)
    }
}

/// Exp-Golomb codes of unsigned numbers: `(z >> k) + 1` in binary after as many zeros as it has
/// bits less one, then z's low k bits. A number whose shifted part reaches 2^32 − 1 is 32 zero
/// bits and its 64 bits raw, so every code is bounded.
enum ExpGolomb {
    /// A number whose shifted part reaches this is written raw after 32 zero bits.
    static let escapeAbove: UInt64 = 1 << 32 - 1

    @inline(__always)
    static func bits(_ z: UInt64, order k: Int) -> Int {
        if z >> UInt64(k) >= escapeAbove { return 32 + 64 }
        let u = (z >> UInt64(k)) &+ 1
        return 2 &* (UInt64.bitWidth &- u.leadingZeroBitCount) &- 1 &+ k
    }

    @inline(__always)
    static func write<Sink: BitSink>(_ z: UInt64, order k: Int, to bits: inout Sink) {
        if z >> UInt64(k) >= escapeAbove {
            bits.write(0, count: 32)
            bits.write(z, count: 64)
            return
        }
        let u = (z >> UInt64(k)) &+ 1
        let n = UInt64.bitWidth &- u.leadingZeroBitCount
        bits.write(0, count: n &- 1)
        bits.write(u, count: n)
        if k > 0 { bits.write(z & ((1 &<< UInt64(k)) &- 1), count: k) }
    }

    @_transparent
    static func read(order k: Int, from reader: inout BitReader) -> UInt64 {
        let peek = reader.peek()
        let zeros = peek.leadingZeroBitCount
        // A whole code within the peek's 57 meaningful bits (every code of up to 28 zeros at
        // order 0): after the zeros, (z >> k) + 1 and z's k low bits read as one number, which
        // is z + 2^k.
        let length = zeros &* 2 &+ 1 &+ k
        if length <= 57 {
            let n = zeros &+ 1 &+ k
            reader.skip(length)
            return ((peek &<< UInt64(truncatingIfNeeded: zeros)) &>> UInt64(truncatingIfNeeded: 64 &- n)) &- (1 &<< UInt64(truncatingIfNeeded: k))
        }
        if zeros >= 32 {
            reader.skip(32)
            return reader.readWide(64)
        }
        reader.skip(zeros)
        let u = reader.read(zeros &+ 1)
        let low = k > 0 ? reader.readWide(k) : 0
        return (u &- 1) &<< UInt64(k) | low
    }

    /// The cheapest order (at most `maxOrder`) for `numbers` and its cost in bits, in one pass:
    /// a histogram of the numbers' bit lengths gives each order's cost up to the rare carry of
    /// `(z >> k) + 1` into a new bit; the best order by that estimate and its two neighbours are
    /// then costed exactly.
    static func bestOrder(_ numbers: [UInt64], maxOrder: Int) -> (order: Int, bits: Int) {
        var lengths = [Int](repeating: 0, count: 65)
        var longest = 0
        for z in numbers {
            let b = UInt64.bitWidth &- z.leadingZeroBitCount
            lengths[b] &+= 1
            longest = Swift.max(longest, b)
        }
        // Orders above the longest number only add bits; lengths that occur, once each.
        var present: [(length: Int, count: Int)] = []
        for b in 0...longest where lengths[b] > 0 { present.append((b, lengths[b])) }
        var estimate = (order: 0, bits: Int.max)
        for k in 0...Swift.min(maxOrder, longest) {
            var bits = 0
            for (b, n) in present { bits &+= n &* (2 &* Swift.max(b &- k, 0) &+ 1 &+ k) }
            if bits < estimate.bits { estimate = (k, bits) }
        }
        var best = (order: 0, bits: Int.max)
        for k in Swift.max(0, estimate.order &- 1)...Swift.min(maxOrder, estimate.order &+ 1) {
            var bits = 0
            for z in numbers { bits &+= Self.bits(z, order: k) }
            if bits < best.bits { best = (k, bits) }
        }
        return best
    }
}

/// Zigzag Exp-Golomb codes of signed numbers: version-4 values after the first, and version-4
/// time sequences (clocks), whose grid distances or delta-of-deltas are coded with order k (k in
/// the header). On real collectd clocks a plugin read's
/// millisecond jitter spreads over tens of ms, where `TimeBuckets`' fixed widths (tuned for
/// chunks' own times) spend about 40 % more.
enum SignedCodes {
    /// Largest order a header may carry.
    static let maxOrder = 62
    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    @inline(__always)
    static func bits(_ v: Int64, order k: Int) -> Int { ExpGolomb.bits(zigzag(v), order: k) }

    @inline(__always)
    static func write<Sink: BitSink>(_ v: Int64, order k: Int, to bits: inout Sink) { ExpGolomb.write(zigzag(v), order: k, to: &bits) }

    @_transparent
    static func read(order k: Int, from reader: inout BitReader) -> Int64 {
        let z = ExpGolomb.read(order: k, from: &reader)
        return Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
    }

    /// The cheapest order for `values` and its cost in bits.
    static func bestOrder(_ values: [Int64]) -> (order: Int, bits: Int) {
        ExpGolomb.bestOrder(values.map(zigzag), maxOrder: 40)
    }
}
