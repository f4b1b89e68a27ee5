/// Block encoding (RFC 1951, 3.2.3–3.2.7).
///
/// For every block the exact size of all three block types is computed from the
/// symbol frequencies, and the smallest is written:
/// - dynamic Huffman (BTYPE=10): usually best; JSON digits need codes shorter than
///   the fixed code's 8 bits;
/// - fixed Huffman (BTYPE=01): wins for tiny blocks, where the dynamic header
///   (~60–90 bytes) would dominate;
/// - stored (BTYPE=00): for incompressible data; this also bounds the output size,
///   since no block is ever larger than its stored form.
extension Workspace {
    /// Writes the block for `src[blockStart..<blockEnd]`, whose parse is in `seqs[0..<nseq]`
    /// and the frequency tables.
    func writeBlock(
        src: UnsafeRawPointer, blockStart: Int, blockEnd: Int, nseq: Int, isFinal: Bool,
        writer bw: inout BitWriter, emitSymbols: Bool = true
    ) {
        let finalBit: UInt64 = isFinal ? 1 : 0
        // Length counts -> length code frequencies; plus the end-of-block symbol.
        // (Summed per code in a register: a per-length read-modify-write of the same
        // counter would chain through store-to-load forwarding.)
        for c in 0..<28 {
            let base = Int(lenBase[c])
            var sum: UInt32 = 0
            let n = c == 27 ? 31 : 1 &<< Int(lenExtra[c])  // 258 belongs to code 285 only
            for k in 0..<n { sum &+= lenCount[base &+ k] }
            litFreq[257 &+ c] = sum
        }
        litFreq[257 &+ 28] = lenCount[258]
        litFreq[286] = 0
        litFreq[287] = 0
        litFreq[256] = 1

        // Extra bits are the same for the fixed and the dynamic code.
        var extraBits = 0
        for c in 0..<29 { extraBits &+= Int(litFreq[257 &+ c]) &* Int(lenExtra[c]) }
        for c in 0..<30 { extraBits &+= Int(distFreq[c]) &* Int(distExtra[c]) }

        // Dynamic code lengths and header. Literal/length codes are limited to 14 bits
        // (instead of 15) so that four literals fit the bit buffer at once; the cost in
        // size is nil in practice.
        Huffman.buildLengths(freqs: litFreq, count: 286, limit: 14, lengths: litLens, counts: litCounts, scratch: scratch)
        Huffman.buildLengths(freqs: distFreq, count: 30, limit: 15, lengths: distLens, counts: distCounts, scratch: scratch)
        var hlit = 286
        while litLens[hlit &- 1] == 0 { hlit &-= 1 }  // >= 257: end-of-block is always coded
        var hdist = 30
        while hdist > 1 && distLens[hdist &- 1] == 0 { hdist &-= 1 }
        let nsyms = encodeCodeLengths(hlit: hlit, hdist: hdist)
        Huffman.buildLengths(freqs: clFreq, count: 19, limit: 7, lengths: clLens, counts: clCounts, scratch: scratch)
        var hclen = 19
        while hclen > 4 && clLens[DeflateTables.codeLengthOrder[hclen &- 1]] == 0 { hclen &-= 1 }

        var dynamicBits = 3 &+ 14 &+ 3 &* hclen &+ extraBits
        for s in 0..<19 { dynamicBits &+= Int(clFreq[s]) &* Int(clLens[s]) }
        dynamicBits &+= Int(clFreq[16]) &* 2 &+ Int(clFreq[17]) &* 3 &+ Int(clFreq[18]) &* 7
        var fixedBits = 3 &+ extraBits
        var distSymbols = 0
        for c in 0..<30 {
            distSymbols &+= Int(distFreq[c])
            dynamicBits &+= Int(distFreq[c]) &* Int(distLens[c])
        }
        fixedBits &+= 5 &* distSymbols
        for s in 0..<286 {
            let f = Int(litFreq[s])
            dynamicBits &+= f &* Int(litLens[s])
            fixedBits &+= f &* Int(fixedLitLens[s])
        }

        let length = blockEnd &- blockStart
        let pieces = max(1, (length &+ 65534) / 65535)
        let pad = (8 &- ((bw.count &+ 3) & 7)) & 7
        let storedBits = 3 &+ pad &+ 32 &+ (pieces &- 1) &* 40 &+ 8 &* length

        if storedBits <= dynamicBits && storedBits <= fixedBits {
            writeStored(src: src, start: blockStart, length: length, isFinal: isFinal, writer: &bw)
            return
        }
        if fixedBits <= dynamicBits {
            bw.put(finalBit | 2, 3)
            litCodes.update(from: fixedLitCodes, count: 288)
            distEnc.update(from: fixedDistEnc, count: 30)
            makeLengthEntries()
            writeAllSequences(src: src + blockStart, nseq: nseq, writer: &bw)
            return
        }

        Huffman.buildCodes(lengths: litLens, count: 286, counts: litCounts, codes: litCodes, reverse8: reverse8)
        Huffman.buildCodes(lengths: distLens, count: 30, counts: distCounts, codes: distEnc, reverse8: reverse8)
        Workspace.makeDistEnc(distEnc, extra: distExtra)
        Huffman.buildCodes(lengths: clLens, count: 19, counts: clCounts, codes: clCodes, reverse8: reverse8)
        bw.put(finalBit | 4, 3)
        bw.put(UInt64(hlit &- 257), 5)
        bw.put(UInt64(hdist &- 1), 5)
        bw.put(UInt64(hclen &- 4), 4)
        bw.flush()
        for i in 0..<hclen {
            bw.put(UInt64(clLens[DeflateTables.codeLengthOrder[i]]), 3)
            bw.flush()
        }
        for i in 0..<nsyms {
            let v = clSyms[i]
            let sym = Int(v & 31)
            bw.put(entry: clCodes[sym])
            if sym >= 16 {
                let n = sym == 16 ? 2 : (sym == 17 ? 3 : 7)
                bw.put(UInt64(v &>> 5), n)
            }
            bw.flush()
        }
        makeLengthEntries()
        if !emitSymbols { return }
        writeAllSequences(src: src + blockStart, nseq: nseq, writer: &bw)
    }

    /// Run-length codes the concatenated literal/length and distance code lengths with
    /// symbols 16 (repeat previous 3–6 times), 17 (3–10 zeros) and 18 (11–138 zeros).
    /// Fills `clSyms` (symbol | extra value << 5) and `clFreq`; returns the symbol count.
    func encodeCodeLengths(hlit: Int, hdist: Int) -> Int {
        let total = hlit &+ hdist
        for i in 0..<hlit { allLens[i] = litLens[i] }
        for i in 0..<hdist { allLens[hlit &+ i] = distLens[i] }
        clFreq.update(repeating: 0, count: 19)
        var n = 0
        @inline(__always) func emit(_ sym: Int, _ extra: Int = 0) {
            clSyms[n] = UInt16(truncatingIfNeeded: sym | extra &<< 5)
            clFreq[sym] &+= 1
            n &+= 1
        }
        var i = 0
        while i < total {
            let v = allLens[i]
            var run = 1
            while i &+ run < total && allLens[i &+ run] == v { run &+= 1 }
            i &+= run
            if v == 0 {
                while run >= 11 {
                    let r = min(run, 138)
                    emit(18, r &- 11)
                    run &-= r
                }
                if run >= 3 {
                    emit(17, run &- 3)
                    run = 0
                }
            } else {
                emit(Int(v))
                run &-= 1
                while run >= 3 {
                    let r = min(run, 6)
                    emit(16, r &- 3)
                    run &-= r
                }
            }
            while run > 0 {
                emit(Int(v))
                run &-= 1
            }
        }
        return n
    }

    /// Precomputes, for every match length 3...258, its length code and extra bits
    /// merged into one entry (value | total bit count << 24), so a match length costs
    /// one table load when writing. Lengths whose code is unused are skipped.
    func makeLengthEntries() {
        for c in 0..<29 {
            let e = litCodes[257 &+ c]
            let clen = e &>> 24
            if clen == 0 { continue }
            let base = Int(lenBase[c])
            let nextra = UInt32(lenExtra[c])
            let total = (clen &+ nextra) &<< 24
            let code = e & 0xFFFF
            // Code 284's range would reach 258, which must use code 285.
            let n = c == 27 ? 31 : 1 &<< Int(nextra)
            for k in 0..<n {
                lenEnc[base &+ k] = code | (UInt32(truncatingIfNeeded: k) &<< clen) | total
            }
        }
    }

    /// Stored block(s): header bits, pad to a byte, then LEN, NLEN and the raw bytes;
    /// split in pieces of at most 65535 bytes.
    func writeStored(src: UnsafeRawPointer, start: Int, length: Int, isFinal: Bool, writer bw: inout BitWriter) {
        var pos = start
        var left = length
        repeat {
            let n = min(left, 65535)
            left &-= n
            bw.put(isFinal && left == 0 ? 1 : 0, 3)
            bw.alignToByte()
            bw.out.storeBytes(of: UInt16(truncatingIfNeeded: n).littleEndian, as: UInt16.self)
            bw.out.storeBytes(of: (~UInt16(truncatingIfNeeded: n)).littleEndian, toByteOffset: 2, as: UInt16.self)
            bw.out += 4
            if n > 0 { bw.out.copyMemory(from: src + pos, byteCount: n) }
            bw.out += n
            pos &+= n
        } while left > 0
    }
}
