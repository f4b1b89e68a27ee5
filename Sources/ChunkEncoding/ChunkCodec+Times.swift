/// Time sequences ("clocks"): timestamps alone, for chunks coded against them (`TimeReference`).
///
/// Layout: a version-3 header with kind byte 0, no reference id and no value options — the
/// codec byte only says whether the times sit on a grid — then the time stream of a chunk
/// (delta-of-delta or grid distances, whichever is smaller) and no values. Version 4 (more than
/// one time) has a byte after the codec byte, k, and codes the same numbers as zigzag
/// Exp-Golomb codes of order k (`SignedCodes`) instead of `TimeBuckets`, when that is smaller.
/// With the order byte's `sequenceDeltas` bit (and the grid bit) it codes each time's delta from
/// the previous one minus the grid interval, the median delta: a plugin read's clock wanders by
/// a millisecond or two from one read to the next, which delta-of-deltas pay twice and grid
/// distances accumulate (369 clocks of the 2-hour real recording: 147 074 → 116 117 bytes).
extension ChunkCodec {
    /// Encodes `times` (any order) as a time sequence, at the cost of an ordinary chunk's
    /// timestamps.
    public static func encodeTimes(_ times: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        guard let first = times.first, let minTime = times.min(), let maxTime = times.max() else {
            ChunkLayout.write(kind: nil, count: 0, scaleExponent: 0, integralFloats: false, minTime: 0, maxTime: 0, firstTime: 0, into: &bytes)
            return bytes
        }
        let exponent = ownExponent(times)
        let scale = TimeScale.factor(exponent)
        var codec = CodecOptions()
        let coding = sequenceCoding(times, exponent: exponent)
        codec.timeGrid = coding.grid
        let (interval, offset, order) = (coding.interval, coding.offset, coding.order)
        ChunkLayout.write(kind: nil, count: times.count, scaleExponent: exponent, integralFloats: false, codec: codec,
                          gridInterval: interval, gridOffset: offset, timeOrder: order, timeDeltas: coding.deltas,
                          minTime: minTime, maxTime: maxTime, firstTime: first, into: &bytes)
        var bits = BitWriter()
        bits.reserve(bits: times.count * 4)
        let firstScaled = first / scale
        var prevScaled = firstScaled
        var prevDelta: Int64 = 0
        for (i, time) in times.enumerated().dropFirst() {
            let scaled = time / scale
            let value: Int64
            if coding.deltas {
                value = scaled &- prevScaled &- interval
                prevScaled = scaled
            } else if codec.timeGrid {
                value = scaled &- (firstScaled &+ offset &+ Int64(i) &* interval)
            } else {
                let delta = scaled &- prevScaled
                value = delta &- prevDelta
                prevScaled = scaled
                prevDelta = delta
            }
            if let order {
                SignedCodes.write(value, order: order, to: &bits)
            } else {
                TimeBuckets.write(value, scaleExponent: exponent, to: &bits)
            }
        }
        bits.copyBytes(into: &bytes)
        return bytes
    }

    /// How `encodeTimes` codes `times` at `exponent`: on a grid, as delta-of-deltas or (version
    /// 4 only, with `grid` set too) as deltas from the median delta, with `TimeBuckets` (order nil, version 3) or
    /// zigzag Exp-Golomb codes of `order` (version 4), whichever is smallest; `bits` is the body
    /// plus the grid's varints and version 4's order byte (0 for fewer than two times).
    static func sequenceCoding(_ times: [Int64], exponent: Int)
        -> (grid: Bool, deltas: Bool, order: Int?, interval: Int64, offset: Int64, bits: Int) {
        guard times.count >= 2 else { return (false, false, nil, 0, 0, 0) }
        let costs = ChunkAppender.timeCosts(times, exponent: exponent)
        let coded = codedTimes(times, exponent: exponent, interval: costs.interval, offset: costs.offset)
        let dod = SignedCodes.bestOrder(coded.dod)
        let grid = SignedCodes.bestOrder(coded.grid)
        let gridHeader = costs.grid - coded.gridBucketBits
        let median = coded.deltas.sorted()[coded.deltas.count / 2]
        let deltas = SignedCodes.bestOrder(coded.deltas.map { $0 &- median })
        // The interval's zigzag varint and a one-byte offset of 0.
        let deltasHeader = 8 * (ChunkAppender.varintLength(SignedCodes.zigzag(median)) + 1)
        let choices: [(bits: Int, grid: Bool, deltas: Bool, order: Int?)] = [
            (costs.dod, false, false, nil), (costs.grid, true, false, nil), (dod.bits + 8, false, false, dod.order),
            (grid.bits + gridHeader + 8, true, false, grid.order), (deltas.bits + deltasHeader + 8, false, true, deltas.order),
        ]
        let best = choices.min { $0.bits < $1.bits }!
        // Deltas are written with the grid bit: the header's grid interval is their median.
        return best.deltas ? (true, true, best.order, median, 0, best.bits)
            : (best.grid, false, best.order, costs.interval, costs.offset, best.bits)
    }

    /// Bits a clock of `times` costs (as `sequenceCoding`; its header's fixed fields not included).
    public static func clockTimeBits(_ times: [Int64]) -> Int {
        guard times.count >= 2 else { return 0 }
        return sequenceCoding(times, exponent: ownExponent(times)).bits
    }

    /// What a time sequence codes for samples 1 onwards: delta-of-deltas, grid distances and
    /// deltas (scaled), and the grid distances' bucket bits (`TimeCosts.grid` without its header).
    static func codedTimes(_ times: [Int64], exponent: Int, interval: Int64, offset: Int64)
        -> (dod: [Int64], grid: [Int64], deltas: [Int64], gridBucketBits: Int) {
        let scale = TimeScale.factor(exponent)
        let table = TimeBuckets.table(scaleExponent: exponent)
        let firstScaled = times[0] / scale
        var dod: [Int64] = []
        var grid: [Int64] = []
        var deltas: [Int64] = []
        dod.reserveCapacity(times.count - 1)
        grid.reserveCapacity(times.count - 1)
        deltas.reserveCapacity(times.count - 1)
        var prevScaled = firstScaled
        var prevDelta: Int64 = 0
        var bucketBits = 0
        for (i, time) in times.enumerated().dropFirst() {
            let scaled = time / scale
            let delta = scaled &- prevScaled
            deltas.append(delta)
            dod.append(delta &- prevDelta)
            prevScaled = scaled
            prevDelta = delta
            let distance = scaled &- (firstScaled &+ offset &+ Int64(i) &* interval)
            grid.append(distance)
            bucketBits &+= TimeBuckets.bitCount(distance, table: table)
        }
        return (dod, grid, deltas, bucketBits)
    }

    /// Decodes a time sequence written by `encodeTimes`.
    public static func decodeTimes(_ bytes: [UInt8]) throws(ChunkError) -> [Int64] {
        let result: Result<[Int64], ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in
                let layout = try ChunkLayout(parsing: raw, timesOnly: true)
                var decoder = SampleDecoder(layout)
                var reader = BitReader(UnsafeRawBufferPointer(rebasing: raw[layout.bodyOffset...]))
                var times: [Int64] = []
                times.reserveCapacity(decoder.count)
                while !decoder.isAtEnd {
                    times.append(try decoder.decodeTime(&reader))
                    guard !reader.isOverrun else { throw .truncated }
                    decoder.index &+= 1
                }
                try SampleDecoder.checkEnd(reader)
                return times
            }
        }
        return try result.get()
    }
}
