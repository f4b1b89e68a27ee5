/// Exact bit costs of a chunk's time and value streams under each codec option, for
/// `optimized()` and for the version-3 encoder (a stream's cost does not depend on the other's).
extension ChunkAppender {
    /// The time stream's cost (samples 1 onwards) at a time scale, delta-of-delta against a grid.
    struct TimeCosts {
        var dod: Int
        /// Grid distances plus the grid's two header varints.
        var grid: Int
        /// The grid's scaled mean interval and offset (the midrange of the distances).
        var interval: Int64
        var offset: Int64
    }

    /// Costs of `times` (at least two) stored divided by 10^exponent.
    static func timeCosts(_ times: [Int64], exponent: Int) -> TimeCosts {
        let scale = TimeScale.factor(exponent)
        let table = TimeBuckets.table(scaleExponent: exponent)
        var dodBits = 0
        var prevScaled = times[0] / scale
        var prevDelta: Int64 = 0
        for time in times.dropFirst() {
            let scaled = time / scale
            let delta = scaled &- prevScaled
            dodBits &+= TimeBuckets.bitCount(delta &- prevDelta, table: table)
            prevScaled = scaled
            prevDelta = delta
        }
        let first = times[0] / scale
        let interval = ((times[times.count - 1] / scale) &- first) / Int64(times.count - 1)
        var distances: [Int64] = []
        distances.reserveCapacity(times.count - 1)
        for (i, time) in times.enumerated().dropFirst() { distances.append(time / scale &- (first &+ Int64(i) &* interval)) }
        // The grid's origin sits at the midrange of the distances, so they are centred on zero.
        let offset = midrange(distances[...])
        var gridBits = 8 * varintLength(UInt64(bitPattern: (interval << 1) ^ (interval >> 63)))
            + 8 * varintLength(UInt64(bitPattern: (offset << 1) ^ (offset >> 63)))
        for distance in distances { gridBits &+= TimeBuckets.bitCount(distance &- offset, table: table) }
        return TimeCosts(dod: dodBits, grid: gridBits, interval: interval, offset: offset)
    }

    /// The cheapest Exp-Golomb coding of `integers` (at least three): the integer order (0 the
    /// values, 1 the deltas, both less their median; 2 the delta-of-deltas), its bias, the code's
    /// order and the stream's bits (the first value in a window, the bias varint included).
    static func golombCosts(_ integers: [Int64]) -> (order: Int, bias: Int64, golomb: Int, bits: Int) {
        var deltas: [Int64] = []
        deltas.reserveCapacity(integers.count)
        for i in integers.indices.dropFirst() { deltas.append(integers[i] &- integers[i - 1]) }
        // Order 2's first delta-of-delta is against the first value (the delta from 0).
        var dods: [Int64] = [deltas[0] &- integers[0]]
        for i in deltas.indices.dropFirst() { dods.append(deltas[i] &- deltas[i - 1]) }
        var best = (order: 2, bias: Int64(0), golomb: 0, bits: Int.max)
        for order in 0...2 {
            // What the order codes for values 1 onwards.
            let coded = order == 0 ? Array(integers.dropFirst()) : order == 1 ? deltas : dods
            let bias = order == 2 ? 0 : median(coded)
            var state = IntegerState()
            state.order = order
            state.bias = bias
            var first = BitCounter()
            state.append(integers[0], to: &first)
            let head = first.bitCount + (order == 2 ? 0 : 8 * varintLength(SignedCodes.zigzag(bias)))
            let (golomb, bits) = SignedCodes.bestOrder(coded.map { $0 &- bias })
            if head + bits < best.bits { best = (order, bias, golomb, head + bits) }
        }
        return best
    }

    /// The lower median of `values` (not empty).
    static func median(_ values: [Int64]) -> Int64 {
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }

    /// The value stream's cost under each value option, and the cheapest options.
    struct ValueCosts {
        /// The cheapest value options (scale, integer order and bias, raw floats; no time grid).
        var options: CodecOptions
        /// Integer-coded values: bits per integer order (with the bias varint for orders 0, 1
        /// and 3; order 3 only when every value is the same). XOR floats: index 2. Booleans
        /// and strings: 0.
        var bits: [Int]
        var rawBits: Int
        var integerCoded: Bool

        /// Bits of the value stream coded with `options`' value choices.
        func cost(of options: CodecOptions) -> Int {
            options.rawFloats ? rawBits : bits[integerCoded ? options.valueOrder : 2]
        }
    }

    /// Costs of `values` (of `kind`) with the float scale streaming chose: `integralFloats`
    /// with `decimalExponent` (binary with `binaryScale`).
    /// With `golomb` (version-4 chunks), the options may also code the values after the first as
    /// Exp-Golomb codes (`CodecOptions.golomb`; orders 0 and 1 then centred on the median), when
    /// that is smaller than every windowed choice by more than version 4's value byte.
    static func valueCosts(kind: ChunkValueKind, values: [ChunkValue], integralFloats: Bool, decimalExponent: Int, binaryScale: Bool,
                           golomb: Bool = false) -> ValueCosts {
        var best = CodecOptions()
        best.decimalExponent = integralFloats ? decimalExponent : 0
        best.binaryScale = integralFloats && binaryScale
        // Kinds without value options (boolean, string) cost the same either way: 0 here.
        var valueBits = [0, 0, 0, Int.max / 2]
        var rawBits = 0
        let integerCoded = kind == .integer || kind == .unsigned || (kind == .float && integralFloats)
        var biases: [Int64] = [0, 0, 0]  // order 3 uses order 0's
        if integerCoded {
            let integers = values.map { integerCoding($0, decimalExponent: best.decimalExponent, binary: best.binaryScale) }
            // Orders 0 and 1 centre what they code on its midrange (the first value, coded
            // against 0, is left out of the range).
            biases[0] = midrange(integers.dropFirst())
            var deltas: [Int64] = []
            deltas.reserveCapacity(integers.count)
            for i in integers.indices.dropFirst() { deltas.append(integers[i] &- integers[i - 1]) }
            biases[1] = midrange(deltas[...])
            for order in 0...2 {
                var state = IntegerState()
                state.order = order
                state.bias = biases[order]
                var counter = BitCounter()
                for value in integers { state.append(value, to: &counter) }
                valueBits[order] = counter.bitCount + (order == 2 ? 0 : 8 * varintLength(SignedCodes.zigzag(biases[order])))
            }
            // Order 3 (one constant) when every value is the same: order 0's bias is then that
            // value, so order 0 codes each value after the first in one bit, which order 3 saves.
            if let first = integers.first, integers.allSatisfy({ $0 == first }) {
                valueBits[3] = valueBits[0] - (integers.count - 1)
            }
            best.valueOrder = valueBits.indices.min { valueBits[$0] < valueBits[$1] }!
            best.bias = biases[best.valueOrder == 3 ? 0 : best.valueOrder]
            // An Exp-Golomb code takes at least a bit per value: nothing to gain below that.
            if golomb && best.valueOrder != 3 && integers.count > 2 && valueBits[best.valueOrder] > integers.count + 8 {
                let coded = golombCosts(integers)
                if coded.bits + 8 < valueBits[best.valueOrder] {
                    best.valueOrder = coded.order
                    best.bias = coded.bias
                    best.golomb = coded.golomb
                    valueBits[coded.order] = coded.bits
                }
            }
        } else if kind == .float {
            var state = FloatState()
            var counter = BitCounter()
            for (i, value) in values.enumerated() {
                if case .float(let v) = value { state.append(v.bitPattern, first: i == 0, to: &counter) }
            }
            valueBits[2] = counter.bitCount
            rawBits = 64 * values.count
            best.rawFloats = rawBits < valueBits[2]
        }
        return ValueCosts(options: best, bits: valueBits, rawBits: rawBits, integerCoded: integerCoded)
    }
}
