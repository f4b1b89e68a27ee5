import Testing
@testable import FastDeflate

/// Builds lengths with the encoder's builder and checks the code's invariants.
/// Returns a problem description or nil.
func checkLengths(_ freqs: [UInt32], limit: Int) -> String? {
    let n = freqs.count
    var lengths = [UInt8](repeating: 0xEE, count: n)
    var counts = [UInt32](repeating: 0, count: 16)
    var scratch = [UInt32](repeating: 0, count: Huffman.scratchSize(max(n, 288)))
    freqs.withUnsafeBufferPointer { f in
        lengths.withUnsafeMutableBufferPointer { l in
            counts.withUnsafeMutableBufferPointer { c in
                scratch.withUnsafeMutableBufferPointer { s in
                    Huffman.buildLengths(freqs: f.baseAddress!, count: n, limit: limit,
                                         lengths: l.baseAddress!, counts: c.baseAddress!, scratch: s.baseAddress!)
                }
            }
        }
    }
    let used = freqs.filter { $0 != 0 }.count
    var kraft = 0  // in units of 2^-limit
    var perLength = [UInt32](repeating: 0, count: 16)
    for s in 0..<n {
        let l = Int(lengths[s])
        if l > limit { return "symbol \(s) has length \(l) > \(limit)" }
        if freqs[s] != 0 && l == 0 { return "used symbol \(s) has no code" }
        if l > 0 {
            kraft += 1 << (limit - l)
            perLength[l] += 1
        }
    }
    if kraft > 1 << limit { return "over-subscribed: Kraft sum \(kraft) / \(1 << limit)" }
    if used >= 2 && kraft != 1 << limit { return "incomplete code with \(used) symbols: \(kraft) / \(1 << limit)" }
    if Array(perLength[1...]) != Array(counts[1...]) { return "per-length counts disagree with lengths" }
    // Optimality sanity: a more frequent symbol never gets a longer code.
    for a in 0..<n where freqs[a] != 0 {
        for b in 0..<n where freqs[b] > freqs[a] && lengths[b] > lengths[a] {
            return "symbol \(b) (freq \(freqs[b])) longer than \(a) (freq \(freqs[a]))"
        }
    }
    return nil
}

/// Checks that canonical codes built from lengths are prefix-free and bit-reversed correctly.
func checkCanonical(_ lengths: [UInt8]) -> String? {
    let n = lengths.count
    var counts = [UInt32](repeating: 0, count: 16)
    for l in lengths where l > 0 { counts[Int(l)] += 1 }
    var codes = [UInt32](repeating: 0, count: n)
    var rev = [UInt8](repeating: 0, count: 256)
    for b in 0..<256 {
        var r = 0
        for i in 0..<8 where b & (1 << i) != 0 { r |= 1 << (7 - i) }
        rev[b] = UInt8(r)
    }
    lengths.withUnsafeBufferPointer { l in
        counts.withUnsafeBufferPointer { c in
            codes.withUnsafeMutableBufferPointer { out in
                rev.withUnsafeBufferPointer { r in
                    Huffman.buildCodes(lengths: l.baseAddress!, count: n, counts: c.baseAddress!,
                                       codes: out.baseAddress!, reverse8: r.baseAddress!)
                }
            }
        }
    }
    // Un-reverse and compare with the RFC 1951 canonical construction.
    var next = [UInt32](repeating: 0, count: 17)
    var code: UInt32 = 0
    for l in 1...15 {
        code = (code + counts[l - 1]) << 1
        next[l] = code
    }
    for s in 0..<n where lengths[s] > 0 {
        let l = Int(lengths[s])
        let expected = next[l]
        next[l] += 1
        let e = codes[s]
        if Int(e >> 24) != l { return "symbol \(s): stored length \(e >> 24) != \(l)" }
        var unreversed: UInt32 = 0
        for i in 0..<l where (e >> UInt32(i)) & 1 != 0 { unreversed |= 1 << UInt32(l - 1 - i) }
        if unreversed != expected { return "symbol \(s): code \(unreversed) != \(expected)" }
    }
    return nil
}

@Suite struct HuffmanTests {
    @Test func singleAndTwoSymbols() {
        for n in [19, 30, 286] {
            for s in [0, 1, n - 1] {
                var f = [UInt32](repeating: 0, count: n)
                f[s] = 5
                #expect(checkLengths(f, limit: 15) == nil)
                #expect(checkLengths(f, limit: 7) == nil)
            }
            var f = [UInt32](repeating: 0, count: n)
            f[2] = 1
            f[n - 1] = 1_000_000
            #expect(checkLengths(f, limit: 15) == nil)
            #expect(checkLengths([UInt32](repeating: 0, count: n), limit: 15) == nil)
        }
    }

    @Test func allSymbolsUsed() {
        #expect(checkLengths([UInt32](repeating: 1, count: 286), limit: 15) == nil)
        #expect(checkLengths((0..<286).map { UInt32($0 + 1) }, limit: 15) == nil)
        #expect(checkLengths([UInt32](repeating: 3, count: 19), limit: 7) == nil)
    }

    @Test func fibonacciForcesLengthLimit() {
        for n in [19, 30, 40, 286] {
            var fib: [UInt32] = [1, 1]
            while fib.count < n { fib.append(min(fib[fib.count - 1] + fib[fib.count - 2], 1 << 22)) }
            #expect(checkLengths(fib, limit: 15) == nil, "n=\(n)")
            #expect(checkLengths(fib, limit: 14) == nil, "n=\(n) limit 14")
            #expect(checkLengths(Array(fib.reversed()), limit: 15) == nil, "n=\(n) reversed")
            if n <= 19 { #expect(checkLengths(fib, limit: 7) == nil, "n=\(n) limit 7") }
        }
        // Powers of two: the unlimited tree would be as deep as the symbol count.
        let pow2 = (0..<23).map { UInt32(1) << UInt32($0) } + [UInt32](repeating: 1, count: 7)
        #expect(checkLengths(pow2, limit: 15) == nil)
        #expect(checkLengths(Array(pow2.prefix(19)), limit: 7) == nil)
    }

    @Test func randomTables() {
        var rng = SplitMix64(seed: 2024)
        for i in 0..<3000 {
            let n = [19, 30, 286][i % 3]
            let limit = n == 19 ? 7 : (n == 286 && i % 2 == 0 ? 14 : 15)
            let density = 1 + rng.below(100)
            let skew = rng.below(4)
            var f = [UInt32](repeating: 0, count: n)
            for s in 0..<n where rng.below(100) < density {
                switch skew {
                case 0: f[s] = UInt32(1 + rng.below(10))
                case 1: f[s] = UInt32(1 + rng.below(100_000))
                case 2: f[s] = UInt32(1) << UInt32(rng.below(23))
                default: f[s] = UInt32(1 + rng.below(3)) * UInt32(1 + rng.below(1 << rng.below(22)))
                }
            }
            let problem = checkLengths(f, limit: limit)
            #expect(problem == nil, "case \(i): \(problem ?? "")")
            if problem != nil { break }
        }
    }

    @Test func canonicalCodes() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<200 {
            let n = 286
            var f = [UInt32](repeating: 0, count: n)
            for s in 0..<n where rng.below(3) == 0 { f[s] = UInt32(1 + rng.below(1000)) }
            f[256] = 1
            var lengths = [UInt8](repeating: 0, count: n)
            var counts = [UInt32](repeating: 0, count: 16)
            var scratch = [UInt32](repeating: 0, count: Huffman.scratchSize(288))
            f.withUnsafeBufferPointer { fp in
                lengths.withUnsafeMutableBufferPointer { l in
                    counts.withUnsafeMutableBufferPointer { c in
                        scratch.withUnsafeMutableBufferPointer { s in
                            Huffman.buildLengths(freqs: fp.baseAddress!, count: n, limit: 15,
                                                 lengths: l.baseAddress!, counts: c.baseAddress!, scratch: s.baseAddress!)
                        }
                    }
                }
            }
            #expect(checkCanonical(lengths) == nil)
        }
        // The fixed literal/length code of RFC 1951.
        let fixed = (0..<288).map { DeflateTables.fixedLitLenLength($0) }
        #expect(checkCanonical(fixed) == nil)
    }

    @Test func radixSortMatchesFullSort() {
        var rng = SplitMix64(seed: 9)
        for n in [25, 100, 286] {
            for shiftBits in [1, 8, 16, 23] {
                // Keys as the builder makes them: (freq << 9 | symbol), in symbol order.
                var keys = (0..<n).map { s in UInt32(1 + rng.below(1 << shiftBits)) << 9 | UInt32(s) }
                let expected = keys.sorted()
                var scratch = [UInt32](repeating: 0, count: n + 256)
                keys.withUnsafeMutableBufferPointer { k in
                    scratch.withUnsafeMutableBufferPointer { t in
                        Huffman.radixSortKeys(k.baseAddress!, n, tmp: t.baseAddress!, buckets: t.baseAddress! + n)
                    }
                }
                #expect(keys == expected, "n=\(n) bits=\(shiftBits)")
            }
        }
    }

    @Test func sortKeysSorts() {
        var rng = SplitMix64(seed: 8)
        for n in [0, 1, 2, 15, 16, 17, 100, 286, 512] {
            var keys = Set<UInt32>()
            while keys.count < n { keys.insert(UInt32(truncatingIfNeeded: rng.next())) }
            var a = Array(keys)
            a.withUnsafeMutableBufferPointer { Huffman.sortKeys($0.baseAddress!, n) }
            #expect(a == a.sorted(), "n=\(n)")
        }
    }
}
