/// LSB-first bit sink for DEFLATE (RFC 1951, 3.1.1: data elements are packed
/// starting with the least-significant bit of each byte).
///
/// Bits accumulate in a 64-bit register; `flush()` stores all 8 register bytes
/// unaligned at the output cursor and advances by the number of complete bytes,
/// so there is no per-byte loop and no branch. Callers keep `count + n <= 64` for
/// every `put` and flush often enough; after a flush at most 7 bits are pending.
/// The 8-byte store may touch up to 7 bytes past the final data, which the
/// output-size bound covers (the gzip trailer follows the deflate data).
struct BitWriter {
    var bits: UInt64 = 0
    var count: Int = 0
    var out: UnsafeMutableRawPointer

    init(out: UnsafeMutableRawPointer) { self.out = out }

    @inline(__always)
    mutating func put(_ value: UInt64, _ n: Int) {
        bits |= value &<< UInt64(truncatingIfNeeded: count)
        count &+= n
    }

    /// Puts a code-table entry: code in bits 0..<24, length in bits 24..<32.
    @inline(__always)
    mutating func put(entry e: UInt32) {
        bits |= UInt64(e & 0xFF_FFFF) &<< UInt64(truncatingIfNeeded: count)
        count &+= Int(truncatingIfNeeded: e &>> 24)
    }

    @inline(__always)
    mutating func flush() {
        out.storeBytes(of: bits.littleEndian, as: UInt64.self)
        let n = count &>> 3
        out += n
        bits = bits &>> UInt64(truncatingIfNeeded: n &<< 3)
        count &= 7
    }

    /// Flushes and pads the pending bits with zeros to a byte boundary.
    @inline(__always)
    mutating func alignToByte() {
        flush()
        if count > 0 {
            out += 1
            bits = 0
            count = 0
        }
    }
}
