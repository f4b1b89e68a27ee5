/// Variable-width buckets for timestamp delta-of-deltas, one table per time-scale class.
///
/// Bucket i is announced by i one-bits and a zero (the last bucket by all ones without the
/// zero) and carries a two's-complement payload of the table's width; width 0 means "dod is
/// 0", width 64 is the escape that holds any wrapped Int64 difference. Widths come from an
/// exhaustive search (2–5 middle buckets) over two measured distributions, chunked by 120:
/// "calm" = 200 000 collectd-like timestamps at 10 s whose successive intervals differ by
/// 24 µs median / 13 ms p99 (collectd 5.12 measured here), and "loaded" = a real 530-datagram
/// capture of collectd 5.12 at Interval 1 on this busy 2-core machine (6.4 ms median,
/// 64 ms p99). The table minimises the worse of the two relative losses to each optimum:
///
/// | stored precision | widths | bits/timestamp calm | loaded |
/// |---|---|---|---|
/// | ≥ ms (10^6…) | 0, 4, 6, 7, 11, 15, 64 | 1.94 (opt. 1.90) | 7.92 (opt. 7.73) |
/// | µs (10^3…10^5) | 0, 9, 14, 16, 18, 25, 64 | 12.9 (opt. 12.3) | 19.1 (opt. 18.0) |
/// | ns (10^0…10^2) | 0, 19, 24, 26, 28, 35, 64 | 23.2 (opt. 22.5) | 29.0 (opt. 28.0) |
enum TimeBuckets {
    static let bucketCount = 7

    /// Table widths packed one per byte, bucket 0 in the low byte.
    @inline(__always)
    static func table(scaleExponent: Int) -> UInt64 {
        if scaleExponent >= 6 { return 0x00400F0B07060400 }  // 0, 4, 6, 7, 11, 15, 64
        if scaleExponent >= 3 { return 0x00401912100E0900 }  // 0, 9, 14, 16, 18, 25, 64
        return 0x0040231C1A181300  // 0, 19, 24, 26, 28, 35, 64
    }

    @inline(__always)
    static func width(_ table: UInt64, _ bucket: Int) -> Int {
        Int(truncatingIfNeeded: (table &>> UInt64(truncatingIfNeeded: bucket &* 8)) & 0xFF)
    }

    @inline(__always)
    static func write(_ dod: Int64, scaleExponent: Int, to bits: inout BitWriter) {
        if dod == 0 {
            bits.write(0, count: 1)
            return
        }
        let table = table(scaleExponent: scaleExponent)
        // Two's-complement width needed to hold dod.
        let needed = 65 &- (dod ^ (dod &>> 63)).leadingZeroBitCount
        var bucket = 1
        while bucket < bucketCount &- 1, width(table, bucket) < needed { bucket &+= 1 }
        let payloadWidth = width(table, bucket)
        let last = bucket == bucketCount &- 1
        let prefixLength = last ? bucket : bucket &+ 1
        let prefix: UInt64 = last ? (1 &<< UInt64(bucket)) &- 1 : ((1 &<< UInt64(bucket)) &- 1) &<< 1
        bits.write(prefix, count: prefixLength)
        let payload = UInt64(bitPattern: dod)
        bits.write(payloadWidth == 64 ? payload : payload & ((1 &<< UInt64(payloadWidth)) &- 1), count: payloadWidth)
    }

    /// Bits `write` spends on `dod` with `table`.
    @inline(__always)
    static func bitCount(_ dod: Int64, table: UInt64) -> Int {
        if dod == 0 { return 1 }
        let needed = 65 &- (dod ^ (dod &>> 63)).leadingZeroBitCount
        var bucket = 1
        while bucket < bucketCount &- 1, width(table, bucket) < needed { bucket &+= 1 }
        let last = bucket == bucketCount &- 1
        return (last ? bucket : bucket &+ 1) &+ width(table, bucket)
    }

    @inline(__always)
    static func read(_ table: UInt64, from reader: inout BitReader) -> Int64 {
        let peek = reader.peek()
        if peek & (1 &<< 63) == 0 {
            reader.skip(1)
            return 0
        }
        let ones = Swift.min((~peek).leadingZeroBitCount, bucketCount &- 1)
        let prefixLength = ones == bucketCount &- 1 ? ones : ones &+ 1
        let payloadWidth = width(table, ones)
        if prefixLength &+ payloadWidth <= 57 {
            reader.skip(prefixLength &+ payloadWidth)
            let shifted = Int64(bitPattern: peek &<< UInt64(truncatingIfNeeded: prefixLength))
            return shifted &>> Int64(truncatingIfNeeded: 64 &- payloadWidth)
        }
        reader.skip(prefixLength)
        let raw = reader.readWide(payloadWidth)
        if payloadWidth == 64 { return Int64(bitPattern: raw) }
        let up = UInt64(truncatingIfNeeded: 64 &- payloadWidth)
        return Int64(bitPattern: raw &<< up) &>> Int64(bitPattern: up)
    }
}
