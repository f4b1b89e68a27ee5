/// Version-3 chunks: timestamps coded against a shared time sequence (`TimeReference`).
extension ChunkCodec {
    /// A version-3 chunk (version 4 when run-coded times, `TimeRuns`, or Exp-Golomb values,
    /// `SignedCodes`, cost less): the value options `encode(kind:times:values:)` would choose (integer
    /// order and bias, decimal or binary scale, raw floats), timestamps coded against
    /// `reference` — sample i as its distance from `reference.times[i]`, one bit when equal;
    /// sample 0's time is in the header as always.
    ///
    /// Requires `times` strictly ascending, `times.count <= reference.times.count` and
    /// `reference.id >= 0`. The time scale is the largest power of ten (≤ 10^9) dividing every
    /// time and every reference time used (1 ..< times.count).
    public static func encode(kind: ChunkValueKind, times: [Int64], values: [ChunkValue], reference: TimeReference) -> [UInt8] {
        precondition(times.count == values.count, "times and values differ in length")
        precondition(times.count <= reference.times.count, "time reference shorter than the chunk")
        for i in times.indices.dropFirst() { precondition(times[i - 1] < times[i], "times not strictly ascending") }
        // The float scale streaming picks depends on the values only (the times here are dummies
        // that cost one bit each).
        var floats = ChunkAppender(kind: kind)
        if kind == .float {
            for value in values { floats.append(time: 0, value) }
        }
        let value = ChunkAppender.valueCosts(kind: kind, values: values, integralFloats: floats.integralFloats,
                                             decimalExponent: floats.decimalExponent, binaryScale: floats.codec.binaryScale, golomb: true)
        let exponent = referenceExponent(times, reference: reference.times)
        var appender = ChunkAppender(kind: kind, scaleExponent: exponent,
                                     integralFloats: floats.integralFloats, codec: value.options, reference: reference)
        appender.reserveCapacity(times.count)
        if times.count > 1 {
            let costs = referenceTimeCosts(times, reference: reference.times, exponent: exponent)
            appender.exactReference = costs.exact
            if !costs.exact && costs.runs.bits + 8 < costs.perSample { appender.codeRuns(order: costs.runs.order, times: times) }
        }
        for i in times.indices { appender.append(time: times[i], values[i]) }
        return appender.finish()
    }

    /// Bits the timestamps of `times` cost in a chunk coded against `reference`, at the time
    /// scale that encoder picks: version 3's or version 4's, whichever is smaller (samples 1
    /// onwards; the reference id's varint, 1–9 bytes in the header, is not included). `Int.max`
    /// when `reference` is shorter.
    public static func referenceTimeBits(_ times: [Int64], reference: [Int64]) -> Int {
        guard times.count <= reference.count else { return Int.max }
        guard times.count >= 2 else { return 0 }
        let costs = referenceTimeCosts(times, reference: reference)
        // Equal throughout: the chunk is flagged exact and writes no time bits.
        return costs.exact ? 0 : Swift.min(costs.perSample, costs.runs.bits + 8)
    }

    /// Version 3's cost of `times` against `reference` (per sample; 0 when equal throughout),
    /// in one pass: for ranking clocks before costing the best with `referenceTimeBits`.
    /// `Int.max` when `reference` is shorter.
    public static func perSampleTimeBits(_ times: [Int64], reference: [Int64]) -> Int {
        guard times.count <= reference.count else { return Int.max }
        guard times.count >= 2 else { return 0 }
        return perSampleTimeBits(times, reference: reference, exponent: referenceExponent(times, reference: reference))
    }

    private static func perSampleTimeBits(_ times: [Int64], reference: [Int64], exponent: Int) -> Int {
        let scale = TimeScale.factor(exponent)
        let table = TimeBuckets.table(scaleExponent: exponent)
        var bits = 0
        var exact = times[0] == reference[0]
        for i in 1..<times.count {
            bits &+= TimeBuckets.bitCount(times[i] / scale &- reference[i] / scale, table: table)
            exact = exact && times[i] == reference[i]
        }
        return exact ? 0 : bits
    }

    /// Version 3's per-sample cost, version 4's cheapest run order and its cost (not costed for
    /// an exact chunk, which codes no times), and whether every time equals its reference's
    /// (times.count ≥ 2, reference at least as long), at `exponent` (default: `referenceExponent`).
    static func referenceTimeCosts(_ times: [Int64], reference: [Int64], exponent: Int? = nil)
        -> (perSample: Int, runs: (order: Int, bits: Int), exact: Bool) {
        let exponent = exponent ?? referenceExponent(times, reference: reference)
        let perSample = perSampleTimeBits(times, reference: reference, exponent: exponent)
        guard perSample > 0 else { return (0, (0, 0), true) }
        let scale = TimeScale.factor(exponent)
        let distances = (1..<times.count).map { times[$0] / scale &- reference[$0] / scale }
        return (perSample, TimeRuns.bestOrder(distances: distances, table: TimeBuckets.table(scaleExponent: exponent)), false)
    }

    /// Bits the timestamps of `times` cost coded on their own as `encode(kind:times:values:)`
    /// codes them: the better of delta-of-delta and a grid (with the grid's header fields), at
    /// the time scale streaming picks (samples 1 onwards).
    public static func ownTimeBits(_ times: [Int64]) -> Int {
        guard times.count >= 2 else { return 0 }
        let costs = ChunkAppender.timeCosts(times, exponent: ownExponent(times))
        return Swift.min(costs.dod, costs.grid)
    }

    /// The largest exponent ≤ `TimeScale.firstSampleMaxExponent` with 10^k dividing every time
    /// (what streaming ends with: the first sample's cap, lowered by later samples).
    static func ownExponent(_ times: [Int64]) -> Int {
        var exponent = TimeScale.firstSampleMaxExponent
        lower(&exponent, toDivide: times[...])
        return exponent
    }

    /// `ownExponent` over `times` and the reference times they are coded against.
    static func referenceExponent(_ times: [Int64], reference: [Int64]) -> Int {
        var exponent = ownExponent(times)
        if times.count >= 2 { lower(&exponent, toDivide: reference[1..<times.count]) }
        return exponent
    }

    private static func lower(_ exponent: inout Int, toDivide times: ArraySlice<Int64>) {
        var scale = TimeScale.factor(exponent)
        for time in times where time % scale != 0 {
            exponent = Swift.min(exponent, TimeScale.exponent(dividing: time))
            scale = TimeScale.factor(exponent)
        }
    }
}
