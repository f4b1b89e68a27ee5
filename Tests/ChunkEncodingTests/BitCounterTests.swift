import Testing
@testable import ChunkEncoding
import TestSupport

/// Codec options are costed by running the codecs into a `BitCounter`; the count must be the
/// number of bits the same codec writes into a `BitWriter`, or `optimized()` and the seal-time
/// encoder would choose by wrong sizes.
@Suite("bit counting for codec costs")
struct BitCounterTests {
    /// Random walks, levels, shifted levels, counters and flat runs.
    static func integers(_ shape: Int, count: Int, using rng: inout SeededGenerator) -> [Int64] {
        var value = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        return (0..<count).map { i in
            switch shape {
            case 0: value &+= Int64.random(in: -50...50, using: &rng)
            case 1: value = Int64.random(in: 0...(1 << 33), using: &rng)
            case 2: value = Int64.random(in: 0...4096, using: &rng) << 10
            case 3: value &+= 1000 + Int64.random(in: 0...3, using: &rng)
            default: if i % 40 == 0 { value = Int64.random(in: Int64.min...Int64.max, using: &rng) }
            }
            return value
        }
    }

    @Test("integer windows and Exp-Golomb codes count what they write, every order", arguments: 0..<5)
    func integerCounts(shape: Int) {
        var rng = SeededGenerator(seed: UInt64(shape) + 11)
        let values = Self.integers(shape, count: 400, using: &rng)
        for order in 0...3 {
            for golomb: Int8 in [-1, 0, 3, 9] where !(order == 3 && golomb >= 0) {
                var written = BitWriter()
                var counted = BitCounter()
                var a = IntegerState()
                var b = IntegerState()
                (a.order, b.order) = (order, order)
                (a.golomb, b.golomb) = (golomb, golomb)
                (a.bias, b.bias) = (order == 2 ? 0 : values[1], order == 2 ? 0 : values[1])
                for v in values {
                    a.append(v, to: &written)
                    b.append(v, to: &counted)
                    #expect(written.bitCount == counted.bitCount, "order \(order), Exp-Golomb \(golomb)")
                }
                #expect(written.bitCount > 0)
            }
        }
    }

    @Test("XOR floats count what they write")
    func floatCounts() {
        var rng = SeededGenerator(seed: 5)
        var written = BitWriter()
        var counted = BitCounter()
        var a = FloatState()
        var b = FloatState()
        for i in 0..<2_000 {
            let v = i % 7 == 0 ? Double(i) : Double.random(in: -1e6...1e6, using: &rng)
            a.append(v.bitPattern, first: i == 0, to: &written)
            b.append(v.bitPattern, first: i == 0, to: &counted)
        }
        #expect(written.bitCount == counted.bitCount)
        #expect(counted.bitCount > 64 * 1_000)
    }

    @Test("the value costs of a chunk are the bits its chosen codec writes")
    func valueCostsMatchTheChunk() throws {
        var rng = SeededGenerator(seed: 9)
        for shape in 0..<5 {
            let integers = Self.integers(shape, count: 360, using: &rng)
            let values = integers.map { ChunkValue.integer($0) }
            let costs = ChunkAppender.valueCosts(kind: .integer, values: values, integralFloats: false,
                                                 decimalExponent: 0, binaryScale: false, golomb: true)
            var state = IntegerState()
            state.order = costs.options.valueOrder
            state.bias = costs.options.bias
            state.golomb = Int8(costs.options.golomb ?? -1)
            var written = BitWriter()
            for v in integers { state.append(v, to: &written) }
            let biasBytes = costs.options.valueOrder == 2 ? 0 : ChunkAppender.varintLength(SignedCodes.zigzag(costs.options.bias))
            #expect(costs.cost(of: costs.options) == written.bitCount + 8 * biasBytes, "shape \(shape)")
        }
    }
}
