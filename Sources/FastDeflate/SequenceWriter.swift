/// Hot loop writing a block's symbols with the chosen codes.
///
/// Literals are not stored during parsing; they are re-read from the input here
/// (each sequence says how many literals precede its match). The 64-bit bit buffer
/// takes four literals (at most 4 × 14 bits on top of ≤ 7 pending bits; the
/// literal/length code is built with a 14-bit limit for this) or one match
/// (≤ 14 + 5 length bits and ≤ 15 + 13 distance bits) between flushes.
extension Workspace {
    /// Writes the block's sequences (`seqs[0..<nseq]`, literals read from `src`, the
    /// block's first byte) and end-of-block, with the codes in `enc`.
    func writeAllSequences(src: UnsafeRawPointer, nseq: Int, writer bw: inout BitWriter) {
        // One base pointer for all three tables (see `Workspace.enc`): fewer registers.
        let lit = UnsafePointer(enc)
        let runMasks = UnsafePointer(self.runMasks)
        var bits = bw.bits
        var count = UInt64(truncatingIfNeeded: bw.count)
        var out = bw.out
        var s = src

        @inline(__always) func put(_ e: UInt32) {
            bits |= UInt64(e & 0xFF_FFFF) &<< count
            count &+= UInt64(e &>> 24)
        }
        @inline(__always) func flush() {
            out.storeBytes(of: bits.littleEndian, as: UInt64.self)
            let n = count &>> 3
            out += Int(truncatingIfNeeded: n)
            bits = bits &>> (n &<< 3)
            count &= 7
        }
        @inline(__always) func literal(_ i: Int) -> UInt32 {
            lit[Int(s.load(fromByteOffset: i, as: UInt8.self))]
        }

        var sp = UnsafePointer(seqs)
        let send = sp + nseq
        while sp < send {
            let q = sp.pointee
            sp += 1
            let run = Int(truncatingIfNeeded: q & 0xFFFF_FFFF)
            let len = Int(truncatingIfNeeded: q &>> 50)
            if len != 0 {
                if run != 0 {
                    // Long runs: plain groups of four (14-bit codes: 4 x 14 + 7 <= 64).
                    var k = 0
                    while run &- k > 4 {
                        let b = s.loadUnaligned(fromByteOffset: k, as: UInt32.self)
                        let e0 = lit[Int(b & 0xFF)], e1 = lit[Int((b &>> 8) & 0xFF)]
                        let e2 = lit[Int((b &>> 16) & 0xFF)], e3 = lit[Int(b &>> 24)]
                        put(e0)
                        put(e1)
                        put(e2)
                        put(e3)
                        flush()
                        k &+= 4
                    }
                    // The last 1...4 literals without branching on how many (the common
                    // short runs are unpredictable): look up the next four bytes (they
                    // exist, a match follows) and zero the entries past the run, so they
                    // add no bits. The masks come from a table: computed masks get turned
                    // back into branches by the compiler.
                    let mask = runMasks + ((run &- k) &<< 2)
                    let b = s.loadUnaligned(fromByteOffset: k, as: UInt32.self)
                    put(lit[Int(b & 0xFF)] & mask[0])
                    put(lit[Int((b &>> 8) & 0xFF)] & mask[1])
                    put(lit[Int((b &>> 16) & 0xFF)] & mask[2])
                    put(lit[Int(b &>> 24)] & mask[3])
                    flush()
                    s += run
                }
                let le = lit[288 &+ len]
                let de = lit[547 &+ Int(truncatingIfNeeded: (q &>> 45) & 31)]
                let extra = (q &>> 32) & 0x1FFF
                let dv = UInt64(de & 0xFFFF) | extra &<< UInt64((de &>> 16) & 0xFF)
                let v = UInt64(le & 0xFF_FFFF) | dv &<< UInt64(le &>> 24)
                bits |= v &<< count
                count &+= UInt64(le &>> 24) &+ UInt64(de &>> 24)
                flush()
                s += len
            } else {
                // The block's trailing literals (no match after them): byte by byte, as
                // the bytes past the run may be past the input.
                var k = 0
                while k < run {
                    put(literal(k))
                    if k & 3 == 3 { flush() }
                    k &+= 1
                }
                flush()
                s += run
            }
        }
        bw.bits = bits
        bw.count = Int(truncatingIfNeeded: count)
        bw.out = out
        bw.put(entry: lit[256])
        bw.flush()
    }
}
