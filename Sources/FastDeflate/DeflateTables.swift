/// Fixed tables of the DEFLATE format (RFC 1951, section 3.2.5).
enum DeflateTables {
    /// Base match length of length codes 257...285 (index = code - 257).
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    /// Extra bits of length codes 257...285.
    static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// Base distance of distance codes 0...29.
    static let distBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    /// Extra bits of distance codes 0...29.
    static let distExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// Order in which the code-length code lengths are transmitted.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Number of literal/length symbols we ever use (286 and 287 are invalid in data).
    static let litLenSymbols = 286
    /// Number of distance symbols (30 and 31 are invalid in data).
    static let distSymbols = 30
    /// Longest code allowed for literal/length and distance codes.
    static let maxCodeLength = 15
    /// Longest code allowed for the code-length code (its lengths are sent in 3 bits).
    static let maxCodeLengthCodeLength = 7

    /// Code-length lengths of the fixed (BTYPE=01) literal/length code.
    static func fixedLitLenLength(_ sym: Int) -> UInt8 {
        if sym < 144 { return 8 }
        if sym < 256 { return 9 }
        if sym < 280 { return 7 }
        return 8
    }

    /// Distance code (0...29) and extra-bit value for `dist - 1` (0...32767).
    /// Codes 0...3 have no extra bits; above that each power of two holds two codes,
    /// so the code is twice the bit length plus the bit below the leading one.
    @inline(__always)
    static func distCode(_ x: UInt32) -> (code: UInt32, extra: UInt32) {
        if x < 4 { return (x, 0) }
        let l = UInt32(truncatingIfNeeded: 31 &- x.leadingZeroBitCount)  // >= 2
        let code = (l &<< 1) | ((x &>> (l &- 1)) & 1)
        let extra = x & ((1 &<< (l &- 1)) &- 1)
        return (code, extra)
    }
}
