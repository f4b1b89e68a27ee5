/// All memory one encoder uses, allocated once and reused by every call.
///
/// Plain pointers (no arrays) so the hot loops see no bounds checks, no
/// copy-on-write checks and no reference counting. The owning `GzipEncoder`
/// frees it in `deinit`.
struct Workspace {
    /// Size (log2) of the hash table: 2^13 positions of 4 bytes = 32 KiB. Larger tables
    /// gain ~1 % of size on the sample bodies but miss the cache more, and a fixed size
    /// makes the hash shift a constant.
    static let hashBits = 13
    /// Input bytes per block (two stored pieces when incompressible): the sequence
    /// buffer stays bounded (see `maxSequences`), literal-heavy input gets fresh codes
    /// regularly, and frequencies stay far below the 2^23 the Huffman builder accepts.
    static let maxBlockBytes = 2 * 65535
    /// Sequences one block can produce: one per match (each covers >= 4 bytes) plus the
    /// trailing literal run.
    static let maxSequences = maxBlockBytes / 4 + 2

    /// 2^hashBits entries.
    let hashTable: UnsafeMutablePointer<UInt32>
    /// Per sequence: literal run length in bits 0..<32; bits 32..<45 distance extra-bit
    /// value, 45..<50 distance code, 50..<59 match length (0 = no match, block end).
    let seqs: UnsafeMutablePointer<UInt64>
    /// The parser's counters in one allocation (one base register in the hot loop):
    /// literal/length frequencies, distance-code frequencies, match-length counts.
    let litFreq: UnsafeMutablePointer<UInt32>   // 288
    let distFreq: UnsafeMutablePointer<UInt32>  // 32, = litFreq + 288
    let lenCount: UnsafeMutablePointer<UInt32>  // 259 indexed by match length, = litFreq + 320
    let litLens: UnsafeMutablePointer<UInt8>    // 288
    let distLens: UnsafeMutablePointer<UInt8>   // 32
    let allLens: UnsafeMutablePointer<UInt8>    // 320, lit/len then distance lengths
    let clLens: UnsafeMutablePointer<UInt8>     // 32
    let clSyms: UnsafeMutablePointer<UInt16>    // 320, code-length symbol | extra << 5
    let clFreq: UnsafeMutablePointer<UInt32>    // 32
    /// The block's code tables in one allocation (one base register when writing):
    /// literal/length codes (288, code | length << 24), match-length entries at +288
    /// (259, (code | extra value << length) | total bits << 24), distance entries at
    /// +547 (32, code | length << 16 | (length + extra bits) << 24).
    let enc: UnsafeMutablePointer<UInt32>
    let litCodes: UnsafeMutablePointer<UInt32>  // = enc
    let distEnc: UnsafeMutablePointer<UInt32>   // = enc + 547
    let clCodes: UnsafeMutablePointer<UInt32>   // 32
    let lenEnc: UnsafeMutablePointer<UInt32>    // = enc + 288
    let scratch: UnsafeMutablePointer<UInt32>
    /// Codes per length (16 entries each) for the three codes of a dynamic block.
    let litCounts: UnsafeMutablePointer<UInt32>
    let distCounts: UnsafeMutablePointer<UInt32>
    let clCounts: UnsafeMutablePointer<UInt32>
    // Constant tables, copied here so hot code reads them through plain pointers.
    let lenExtra: UnsafeMutablePointer<UInt8>   // 29
    let lenBase: UnsafeMutablePointer<UInt16>   // 29
    let distExtra: UnsafeMutablePointer<UInt8>  // 32
    /// Distance code of d = dist - 1: `distCodeTable[d]` for d < 256, else
    /// `distCodeTable[256 + d >> 7]` (codes >= 16 span multiples of 128).
    let distCodeTable: UnsafeMutablePointer<UInt8>  // 512
    let distBase0: UnsafeMutablePointer<UInt16>     // 32: base distance - 1 per code
    let reverse8: UnsafeMutablePointer<UInt8>   // 256
    /// Copy of `CRC32.tables` (16 x 256), read through a plain pointer by the parser.
    let crcTable: UnsafeMutablePointer<UInt32>
    let fixedLitLens: UnsafeMutablePointer<UInt8>   // 288
    let fixedLitCodes: UnsafeMutablePointer<UInt32> // 288
    let fixedDistEnc: UnsafeMutablePointer<UInt32>  // 32
    /// `runMasks[4 * m + k]` is all ones iff k < m (m = 0...4): keeps the first m of
    /// four literal codes when writing.
    let runMasks: UnsafeMutablePointer<UInt32>      // 20

    init() {
        func zeroed<T>(_ n: Int, _: T.Type) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: n)
            UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 0, count: n * MemoryLayout<T>.stride)
            return p
        }
        hashTable = zeroed(1 << Workspace.hashBits, UInt32.self)
        seqs = zeroed(Workspace.maxSequences, UInt64.self)
        litFreq = zeroed(288 + 32 + 260, UInt32.self)
        distFreq = litFreq + 288
        lenCount = litFreq + 320
        litLens = zeroed(288, UInt8.self)
        distLens = zeroed(32, UInt8.self)
        allLens = zeroed(320, UInt8.self)
        clLens = zeroed(32, UInt8.self)
        clSyms = zeroed(320, UInt16.self)
        clFreq = zeroed(32, UInt32.self)
        enc = zeroed(288 + 259 + 32, UInt32.self)
        litCodes = enc
        distEnc = enc + 547
        clCodes = zeroed(32, UInt32.self)
        lenEnc = enc + 288
        scratch = zeroed(Huffman.scratchSize(288), UInt32.self)
        litCounts = zeroed(16, UInt32.self)
        distCounts = zeroed(16, UInt32.self)
        clCounts = zeroed(16, UInt32.self)
        lenExtra = zeroed(29, UInt8.self)
        lenBase = zeroed(29, UInt16.self)
        distExtra = zeroed(32, UInt8.self)
        distCodeTable = zeroed(512, UInt8.self)
        distBase0 = zeroed(32, UInt16.self)
        reverse8 = zeroed(256, UInt8.self)
        crcTable = zeroed(16 * 256, UInt32.self)
        let crcSource = CRC32.tables
        for i in 0..<(16 * 256) { crcTable[i] = crcSource[i] }
        fixedLitLens = zeroed(288, UInt8.self)
        fixedLitCodes = zeroed(288, UInt32.self)
        fixedDistEnc = zeroed(32, UInt32.self)
        runMasks = zeroed(20, UInt32.self)
        for m in 0...4 { for k in 0..<m { runMasks[4 * m + k] = ~0 } }

        for c in 0..<29 {
            lenExtra[c] = DeflateTables.lengthExtra[c]
            lenBase[c] = DeflateTables.lengthBase[c]
        }
        for c in 0..<30 {
            distExtra[c] = DeflateTables.distExtra[c]
            distBase0[c] = DeflateTables.distBase[c] - 1
        }
        for d in 0..<256 { distCodeTable[d] = UInt8(DeflateTables.distCode(UInt32(d)).code) }
        for k in 2..<256 { distCodeTable[256 + k] = UInt8(DeflateTables.distCode(UInt32(k << 7)).code) }
        for b in 0..<256 {
            var r = 0
            for i in 0..<8 where b & (1 << i) != 0 { r |= 1 << (7 - i) }
            reverse8[b] = UInt8(r)
        }
        for s in 0..<288 { fixedLitLens[s] = DeflateTables.fixedLitLenLength(s) }
        litCounts[7] = 24; litCounts[8] = 152; litCounts[9] = 112
        Huffman.buildCodes(lengths: fixedLitLens, count: 288, counts: litCounts, codes: fixedLitCodes, reverse8: reverse8)
        distLens.update(repeating: 5, count: 30)
        distCounts[5] = 30
        Huffman.buildCodes(lengths: distLens, count: 30, counts: distCounts, codes: fixedDistEnc, reverse8: reverse8)
        Workspace.makeDistEnc(fixedDistEnc, extra: distExtra)
    }

    /// Turns plain code entries (code | length << 24) into distance entries
    /// (code | length << 16 | (length + extra bits) << 24).
    static func makeDistEnc(_ e: UnsafeMutablePointer<UInt32>, extra: UnsafePointer<UInt8>) {
        for c in 0..<30 {
            let v = e[c]
            let l = v &>> 24
            e[c] = (v & 0xFFFF) | (l &<< 16) | ((l &+ UInt32(extra[c])) &<< 24)
        }
    }

    func deallocate() {
        hashTable.deallocate(); seqs.deallocate(); litFreq.deallocate()
        litLens.deallocate(); distLens.deallocate(); allLens.deallocate()
        clLens.deallocate(); clSyms.deallocate(); clFreq.deallocate(); enc.deallocate()
        clCodes.deallocate(); scratch.deallocate()
        litCounts.deallocate(); distCounts.deallocate(); clCounts.deallocate()
        lenExtra.deallocate(); lenBase.deallocate(); distExtra.deallocate()
        reverse8.deallocate(); crcTable.deallocate(); distCodeTable.deallocate(); distBase0.deallocate(); fixedLitLens.deallocate(); fixedLitCodes.deallocate()
        fixedDistEnc.deallocate(); runMasks.deallocate()
    }
}
