/// Greedy LZ77 parse (RFC 1951 window: distances 1...32768, lengths 3...258).
///
/// Design, chosen for speed on JSON-like text:
/// - One hash-table probe per position: the table maps a hash of the next 8 bytes
///   (one unaligned little-endian load, 64-bit multiplicative hash) to the last
///   position seen with that hash. No chains, no lazy evaluation. Hashing 8 bytes
///   rather than 4 matters on JSON: short common strings ("0000", "],[1") no longer
///   evict the entries that lead to long matches; on the sample bodies this gives
///   ~20 % fewer, longer matches and ~10 % smaller output than a 4-byte hash.
/// - A probe is rejected with one 32-bit compare (minimum match 4). For a match, the
///   candidate's first 16 bytes are XORed with ours and the trailing zero counts give
///   lengths up to 16 without a loop; longer matches continue 8 bytes at a time.
/// - Positions inside a match are not inserted: on the sample JSON that costs < 1 %
///   of size and saves a third of the table traffic.
/// - Table entries are positions plus a per-call offset (see `GzipEncoder`), so the
///   table never needs clearing between calls: stale entries look farther away than
///   the 32 KiB window and are rejected by the same distance check.
/// - In long literal runs the scan steps over positions faster (1 extra byte per 32
///   literals seen), which keeps incompressible input cheap.
/// - Literal frequencies (counted when a literal is probed, the byte is in a register
///   then), length counts and distance-code frequencies are gathered while parsing,
///   so the block writer builds its codes without another pass.
/// - A match costs a chain of dependent loads (input word, table slot, candidate
///   words) before the next position is known, which leaves the CPU idle slots. The
///   gzip CRC-32 fills them: every match also advances the CRC by 16 input bytes
///   (its own independent chain), so on match-rich input most of the CRC is free.
///   (A variant parsing two halves of a block in one interleaved loop, to overlap the
///   chains of two matches, was no faster and cost 2–6 % of size on small bodies.)
extension Workspace {
    /// Parses `src[start..<end]` (one block) into `seqs` and the frequency tables;
    /// returns the number of sequences (the last one has no match: trailing literals).
    /// `offset` maps a position to its table value (`offset + position`, truncated to 32 bits).
    /// `crc` is the running (pre-inverted) CRC-32 of `src[0..<crcPos]`; the parse advances
    /// it 16 bytes per match while `crcPos <= crcLimit`.
    func parseBlock(
        src: UnsafeRawPointer, start: Int, end: Int, offset: Int,
        crc: inout UInt32, crcPos: inout Int, crcLimit: Int
    ) -> Int {
        // Counters share one base pointer: literal/length 0..<288, distance 288..<320,
        // lengths 320 + len.
        let counters = self.litFreq
        counters.update(repeating: 0, count: 288 + 32 + 260)
        let table = hashTable
        let distCodeTable = self.distCodeTable
        let distBase0 = self.distBase0
        let crcTable = UnsafePointer(self.crcTable)
        var crcValue = crc
        var crcAt = crcPos
        defer {
            crc = crcValue
            crcPos = crcAt
        }
        // The scan stops 16 bytes before the end, so two 8-byte loads at p stay inside.
        let scanLimit = end &- 16

        @inline(__always) func hash(_ w: UInt64) -> Int {
            Int(truncatingIfNeeded: (w &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(64 &- Workspace.hashBits))
        }
        @inline(__always) func countLiterals(_ from: Int, _ to: Int) {
            var i = from
            while i < to {
                counters[Int(src.load(fromByteOffset: i, as: UInt8.self))] &+= 1
                i &+= 1
            }
        }

        var p = start
        var lit = start          // first position of the pending literal run
        var skipAt = start &+ 32 // lit + 32: from here on the scan steps faster
        var seq = seqs
        while p < scanLimit {
            let w = src.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            let h = hash(w)
            let cur = UInt32(truncatingIfNeeded: offset &+ p)
            let d = cur &- table[h]
            table[h] = cur
            let dist = Int(truncatingIfNeeded: d)
            if d &- 1 >= 32768
                || src.loadUnaligned(fromByteOffset: p &- dist, as: UInt32.self) != UInt32(truncatingIfNeeded: w) {
                counters[Int(truncatingIfNeeded: w & 0xFF)] &+= 1
                p &+= 1
                // Long literal runs: step faster (1 extra byte per 32 literals seen).
                if p > skipAt {
                    let skip = (p &- 1 &- lit) &>> 5
                    countLiterals(p, min(p &+ skip, end))
                    p &+= skip
                }
                continue
            }
            let x1 = w ^ src.loadUnaligned(fromByteOffset: p &- dist, as: UInt64.self)
            let l1 = x1.littleEndian.trailingZeroBitCount &>> 3  // 4...8; 8 when all 8 bytes match
            // p + 16 <= end, so the second word is inside the block.
            let x2 = src.loadUnaligned(fromByteOffset: p &+ 8, as: UInt64.self)
                ^ src.loadUnaligned(fromByteOffset: p &+ 8 &- dist, as: UInt64.self)
            // l1 == 8 exactly when the first word matched fully: add the second word's
            // count then (mask arithmetic, so the compiler does not emit a branch).
            var len = l1 &+ ((x2.littleEndian.trailingZeroBitCount &>> 3) & (0 &- (l1 &>> 3)))
            if len == 16 {
                let maxLen = min(258, end &- p)
                while true {
                    if len &+ 8 > maxLen {
                        while len < maxLen
                            && src.load(fromByteOffset: p &+ len, as: UInt8.self)
                                == src.load(fromByteOffset: p &+ len &- dist, as: UInt8.self) {
                            len &+= 1
                        }
                        break
                    }
                    let x = src.loadUnaligned(fromByteOffset: p &+ len, as: UInt64.self)
                        ^ src.loadUnaligned(fromByteOffset: p &+ len &- dist, as: UInt64.self)
                    if x != 0 {
                        len &+= x.littleEndian.trailingZeroBitCount &>> 3
                        break
                    }
                    len &+= 8
                }
            }
            // Distance code by table: codes of dist-1 < 256 directly, above by (dist-1) >> 7.
            let x = dist &- 1
            let dcode = Int(distCodeTable[x < 256 ? x : 256 &+ (x &>> 7)])
            let extra = x &- Int(distBase0[dcode])
            seq.pointee = UInt64(truncatingIfNeeded: p &- lit)
                | UInt64(truncatingIfNeeded: extra) &<< 32 | UInt64(truncatingIfNeeded: dcode) &<< 45
                | UInt64(truncatingIfNeeded: len) &<< 50
            seq += 1
            if crcAt <= crcLimit {
                crcValue = CRC32.chunk16(crcValue, src + crcAt, crcTable)
                crcAt &+= 16
            }
            counters[320 &+ len] &+= 1
            counters[288 &+ dcode] &+= 1
            p &+= len
            lit = p
            skipAt = p &+ 32
        }
        // Trailing literals: positions from p on were never probed (those before it
        // were counted when probed or skipped).
        countLiterals(p, end)
        seq.pointee = UInt64(truncatingIfNeeded: end &- lit)
        seq += 1
        return seq - seqs
    }
}
