/// Greedy LZ77 parse (RFC 1951 window: distances 1...32768, lengths 3...258).
///
/// Design, chosen for speed on JSON-like text:
/// - One hash-table probe per position: the table maps a hash of the next 8 bytes
///   (one unaligned little-endian load, 64-bit multiplicative hash) to the last
///   position seen with that hash. No chains, no lazy evaluation. Hashing 8 bytes
///   rather than 4 matters on JSON: short common strings ("0000", "],[1") no longer
///   evict the entries that lead to long matches; on the sample bodies this gives
///   ~20 % fewer, longer matches and ~10 % smaller output than a 4-byte hash.
/// - Minimum match 4: the candidate's first 16 bytes are XORed with ours; the trailing
///   zero counts give lengths up to 15 without a loop. A match needs 4 equal bytes.
///   Longer matches continue 8 bytes at a time, up to 258.
/// - Positions inside a match are not inserted: on the sample JSON that costs < 1 %
///   of size and saves a third of the table traffic.
/// - Table entries are positions plus a per-call offset (see `GzipEncoder`), so the
///   table never needs clearing between calls: stale entries look farther away than
///   the 32 KiB window and are rejected by the same distance check.
/// - In long literal runs the scan steps over positions faster (1 extra byte per 32
///   literals seen), which keeps incompressible input cheap.
/// - Two lanes: a block is split in halves parsed in an interleaved loop with one
///   hash table each. A match costs a chain of dependent loads (input word, table
///   slot, candidate word) before the next position is known; two independent chains
///   let the CPU overlap them. Each lane's table is pre-seeded with the 256 positions
///   just before its start so it finds nearby repeats at once (the cost of the split
///   is ~1–4 % of size on small bodies, none on large ones).
/// Literal frequencies (counted as literals are probed), length counts and
/// distance-code frequencies are gathered while parsing, so the block writer can
/// build its codes without another pass.
struct Lane {
    var p: Int
    /// First position of the pending literal run.
    var lit: Int
    /// `lit + 32`: from here on the scan steps faster.
    var skipAt: Int
    /// Next sequence slot.
    var seq: UnsafeMutablePointer<UInt64>
    /// Exclusive end of the lane's input; matches never extend past it.
    let end: Int
    /// The scan stops here, so 16 bytes from `p` are inside the lane.
    let scanLimit: Int

    init(start: Int, end: Int, seq: UnsafeMutablePointer<UInt64>) {
        p = start
        lit = start
        skipAt = start &+ 32
        self.seq = seq
        self.end = end
        scanLimit = end &- 16
    }
}

extension Workspace {
    /// Parses `src[start..<end]` (one block) with lane A on the first half and lane B on
    /// the second. Fills `seqs` (lane A from index 0, lane B from `laneCapacity`) and the
    /// frequency tables; returns the sequence counts of both lanes.
    /// `offset` maps a position to its table value (`offset + position`, truncated to 32 bits).
    /// Lane A uses the first hash table, lane B the second (both are seeded with the
    /// positions just before their lane, so a block's lanes continue where the previous
    /// block's left off).
    func parseBlock(src: UnsafeRawPointer, start: Int, end: Int, offset: Int) -> (a: Int, b: Int) {
        // Counters share one base pointer: literal/length 0..<288, distance 288..<320,
        // lengths 320 + len.
        let counters = self.litFreq
        counters.update(repeating: 0, count: 288 + 32 + 260)

        // Small blocks get a single lane (B is empty).
        let mid = end &- start >= Workspace.minSplitBytes ? start &+ (end &- start) / 2 : end
        let tables = hashTable
        let distCodeTable = self.distCodeTable
        let distBase0 = self.distBase0
        let tableSize = 1 << Workspace.hashBits
        var a = Lane(start: start, end: mid, seq: seqs)
        var b = Lane(start: mid, end: end, seq: seqs + Workspace.laneCapacity)

        @inline(__always) func hash(_ w: UInt64) -> Int {
            Int(truncatingIfNeeded: (w &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(64 &- Workspace.hashBits))
        }
        // Seed each lane's table with the positions just before the lane (lane A: the
        // end of the previous block, if any; lane B: the end of lane A).
        @inline(__always) func seed(_ table: UnsafeMutablePointer<UInt32>, from: Int, to: Int) {
            var q = max(from, to &- Workspace.laneWarmUp)
            while q < to {
                table[hash(src.loadUnaligned(fromByteOffset: q, as: UInt64.self))] =
                    UInt32(truncatingIfNeeded: offset &+ q)
                q &+= 1
            }
        }
        if start > 0 { seed(tables, from: 0, to: start) }
        if mid < end { seed(tables + tableSize, from: start, to: mid) }
        @inline(__always) func countLiterals(_ from: Int, _ to: Int) {
            var i = from
            while i < to {
                counters[Int(src.load(fromByteOffset: i, as: UInt8.self))] &+= 1
                i &+= 1
            }
        }
        // One position of one lane. Literals are counted when probed (the byte is
        // already in a register), so a match needs no literal bookkeeping. A probe
        // rejects with one 32-bit compare; after it, lengths up to 16 come from two
        // XORs without branches.
        // `table` is lane A's or B's; each call site passes a constant, so it folds into
        // the addressing.
        @inline(__always) func step(_ l: inout Lane, table: UnsafeMutablePointer<UInt32>) {
            let p = l.p
            let w = src.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            let h = hash(w)
            let cur = UInt32(truncatingIfNeeded: offset &+ p)
            let d = cur &- table[h]
            table[h] = cur
            let dist = Int(truncatingIfNeeded: d)
            if d &- 1 >= 32768
                || src.loadUnaligned(fromByteOffset: p &- dist, as: UInt32.self) != UInt32(truncatingIfNeeded: w) {
                counters[Int(truncatingIfNeeded: w & 0xFF)] &+= 1
                l.p = p &+ 1
                // Long literal runs: step faster (1 extra byte per 32 literals seen).
                if p >= l.skipAt {
                    let skip = (p &- l.lit) &>> 5
                    countLiterals(p &+ 1, min(p &+ 1 &+ skip, l.end))
                    l.p = p &+ 1 &+ skip
                }
                return
            }
            let x1 = w ^ src.loadUnaligned(fromByteOffset: p &- dist, as: UInt64.self)
            let l1 = x1.littleEndian.trailingZeroBitCount &>> 3  // 4...8; 8 when all 8 bytes match
            // p + 16 <= end (scan limit), so the second word is inside the lane.
            let x2 = src.loadUnaligned(fromByteOffset: p &+ 8, as: UInt64.self)
                ^ src.loadUnaligned(fromByteOffset: p &+ 8 &- dist, as: UInt64.self)
            // l1 == 8 exactly when the first word matched fully: add the second word's
            // count then (mask arithmetic, so the compiler does not emit a branch).
            var len = l1 &+ ((x2.littleEndian.trailingZeroBitCount &>> 3) & (0 &- (l1 &>> 3)))
            if len == 16 {
                let maxLen = min(258, l.end &- p)
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
            let x = Int(truncatingIfNeeded: d &- 1)
            let dcode = Int(distCodeTable[x < 256 ? x : 256 &+ (x &>> 7)])
            let extra = x &- Int(distBase0[dcode])
            l.seq.pointee = UInt64(truncatingIfNeeded: p &- l.lit)
                | UInt64(truncatingIfNeeded: extra) &<< 32 | UInt64(truncatingIfNeeded: dcode) &<< 45
                | UInt64(truncatingIfNeeded: len) &<< 50
            l.seq += 1
            counters[320 &+ len] &+= 1
            counters[288 &+ dcode] &+= 1
            l.p = p &+ len
            l.lit = p &+ len
            l.skipAt = p &+ len &+ 32
        }
        // Trailing literals: positions from l.p on were never probed (those before it
        // were counted when probed or skipped).
        @inline(__always) func finish(_ l: inout Lane) {
            countLiterals(l.p, l.end)
            l.seq.pointee = UInt64(truncatingIfNeeded: l.end &- l.lit)
            l.seq += 1
        }

        while a.p < a.scanLimit && b.p < b.scanLimit {
            step(&a, table: tables)
            step(&b, table: tables + tableSize)
        }
        while a.p < a.scanLimit { step(&a, table: tables) }
        while b.p < b.scanLimit { step(&b, table: tables + tableSize) }
        finish(&a)
        if mid < end { finish(&b) }
        return (a.seq - seqs, b.seq - (seqs + Workspace.laneCapacity))
    }
}
