/// Fast gzip (RFC 1952) encoder producing DEFLATE (RFC 1951) data, tuned for
/// small-to-medium text such as JSON HTTP bodies.
///
/// Speed comes from a greedy single-probe LZ77 parse (`MatchFinder.swift`) and a
/// branch-light Huffman writer (`SequenceWriter.swift`); ratio comes from a fresh
/// dynamic Huffman code per block (`BlockWriter.swift`, `Huffman.swift`).
///
/// The instance owns all working memory (hash table, sequence buffer, code and CRC
/// tables, about 320 KiB), allocated once in `init`; `encode` allocates nothing.
/// It is not thread-safe (`@unchecked Sendable` only so that pools can hand it between threads):
/// use one caller at a time (e.g. one encoder per thread or
/// event loop). Output is deterministic: the same input always gives the same bytes,
/// whatever was encoded before.
public final class GzipEncoder: @unchecked Sendable {
    let ws: Workspace
    /// Table value that position 0 of the next input gets. Every value stored so far is
    /// more than 32768 below it, so old entries fail the window check without clearing.
    var nextOffset: Int = 32769

    public init() { ws = Workspace() }

    deinit { ws.deallocate() }

    /// Upper bound of the gzip member's size for `count` input bytes: 10-byte header,
    /// every block no larger than its stored form (5 bytes per 64 KiB piece plus at most
    /// one piece per block, a block spanning at least 64 KiB unless it is the last),
    /// 8-byte trailer, plus slack for the bit writer's 8-byte stores.
    public static func maxEncodedSize(_ count: Int) -> Int {
        count + 6 * (count / 16384 + 3) + 32
    }

    /// Writes a complete gzip member for `input` into `output` and returns its length.
    /// Header: 1f 8b, method 8, no flags, mtime 0, XFL 4 (fastest), OS 3 (Unix), as zlib
    /// writes at level 1. Trailer: CRC-32 and input length mod 2^32, little-endian.
    /// Precondition: `output.count >= maxEncodedSize(input.count)`.
    public func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let count = input.count
        precondition(output.count >= GzipEncoder.maxEncodedSize(count), "output buffer smaller than maxEncodedSize")
        let out = output.baseAddress!
        out.storeBytes(of: UInt64(0x0000_0000_0008_8B1F).littleEndian, as: UInt64.self)  // id, CM, FLG, MTIME lo
        out.storeBytes(of: UInt16(0).littleEndian, toByteOffset: 6, as: UInt16.self)         // MTIME hi
        out.storeBytes(of: UInt8(4), toByteOffset: 8, as: UInt8.self)
        out.storeBytes(of: UInt8(3), toByteOffset: 9, as: UInt8.self)
        var bw = BitWriter(out: out + 10)

        var crc: UInt32 = 0
        if count == 0 {
            // One final fixed-Huffman block holding only end-of-block (code 0000000).
            bw.put(3, 3)
            bw.put(0, 7)
        } else {
            crc = deflate(src: input.baseAddress!, count: count, writer: &bw)
        }
        bw.alignToByte()
        bw.out.storeBytes(of: crc.littleEndian, as: UInt32.self)
        bw.out.storeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian, toByteOffset: 4, as: UInt32.self)
        return (bw.out + 8) - out
    }

    /// Convenience wrapper returning a new array (allocates; for tests and tools).
    public func encode(_ input: [UInt8]) -> [UInt8] {
        let capacity = GzipEncoder.maxEncodedSize(input.count)
        return input.withUnsafeBytes { src in
            [UInt8](unsafeUninitializedCapacity: capacity) { buf, initialized in
                initialized = encode(src, into: UnsafeMutableRawBufferPointer(buf))
            }
        }
    }

    /// Splits the input into blocks: parse one block, then write it with the best of the
    /// three block types; the hash table carries over, so matches may reach into
    /// earlier blocks (the window is 32 KiB regardless of block boundaries).
    /// Returns the CRC-32 of the input, which the parser computes on the side (see
    /// `MatchFinder.swift`) and which is finished here.
    func deflate(src: UnsafeRawPointer, count: Int, writer bw: inout BitWriter) -> UInt32 {
        let ws = self.ws
        var offset = nextOffset
        var start = 0
        var crc: UInt32 = 0xFFFF_FFFF
        var crcPos = 0
        let crcLimit = count &- 16
        while true {
            // Table values are 32-bit: when this block could exceed that, clear the table
            // and restart the numbering (costs only the matches across this boundary).
            if offset &+ start &+ Workspace.maxBlockBytes &+ 65536 > Int(UInt32.max) {
                ws.hashTable.update(repeating: 0, count: 1 << Workspace.hashBits)
                offset = 32769 &- start
            }
            let end = min(count, start &+ Workspace.maxBlockBytes)
            let nseq = ws.parseBlock(
                src: src, start: start, end: end, offset: offset, crc: &crc, crcPos: &crcPos, crcLimit: crcLimit)
            let isFinal = end == count
            ws.writeBlock(src: src, blockStart: start, blockEnd: end, nseq: nseq, isFinal: isFinal, writer: &bw)
            if isFinal { break }
            start = end
        }
        nextOffset = offset &+ count &+ 32769
        crc = CRC32.update(crc, src + crcPos, count &- crcPos, ws.crcTable)
        return crc ^ 0xFFFF_FFFF
    }
}
