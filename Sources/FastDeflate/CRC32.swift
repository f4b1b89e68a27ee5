/// CRC-32 as used by gzip (IEEE 802.3 polynomial, reflected, 0xEDB88320),
/// computed with "slicing-by-16": 16 tables of 256 entries let the loop consume
/// 16 input bytes per iteration with independent table lookups, so the CPU can
/// overlap them; only the first 4 lookups depend on the previous CRC value.
public enum CRC32 {
    /// `tables[k * 256 + b]` is the CRC contribution of byte `b` followed by `k` zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 16 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            t[b] = c
        }
        for k in 1..<16 {
            for b in 0..<256 {
                let prev = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// Returns the CRC-32 of `bytes`, continuing from `seed` (the CRC of preceding data,
    /// 0 for none); same convention as zlib's `crc32(seed, buf, len)`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return seed }
        return tables.withUnsafeBufferPointer { tb in
            update(~seed, base, bytes.count, tb.baseAddress!) ^ 0xFFFF_FFFF
        }
    }

    /// Advances the (pre-inverted) CRC register over the 16 bytes at `p`.
    /// Only the first 4 bytes mix with the running CRC; the other 12 are table indices
    /// as they are, read with single-byte loads (one instruction each, no shifting and
    /// masking), and their lookups overlap with the previous chunk.
    @inline(__always)
    static func chunk16(_ crc: UInt32, _ p: UnsafeRawPointer, _ t: UnsafePointer<UInt32>) -> UInt32 {
        @inline(__always) func byte(_ k: Int) -> Int { Int(p.load(fromByteOffset: k, as: UInt8.self)) }
        var y = t[0xB00 | byte(4)] ^ t[0xA00 | byte(5)]
        y ^= t[0x900 | byte(6)] ^ t[0x800 | byte(7)]
        var z = t[0x700 | byte(8)] ^ t[0x600 | byte(9)]
        z ^= t[0x500 | byte(10)] ^ t[0x400 | byte(11)]
        var w = t[0x300 | byte(12)] ^ t[0x200 | byte(13)]
        w ^= t[0x100 | byte(14)] ^ t[byte(15)]
        let c = p.loadUnaligned(as: UInt32.self).littleEndian ^ crc
        let x0 = t[0xF00 | Int(truncatingIfNeeded: c & 0xFF)] ^ t[0xE00 | Int(truncatingIfNeeded: (c &>> 8) & 0xFF)]
        let x1 = t[0xD00 | Int(truncatingIfNeeded: (c &>> 16) & 0xFF)] ^ t[0xC00 | Int(truncatingIfNeeded: c &>> 24)]
        return (y ^ z) ^ (w ^ (x0 ^ x1))
    }

    /// Advances the (pre-inverted) CRC register over `n` bytes at `p`.
    @inline(__always)
    static func update(_ crcIn: UInt32, _ p: UnsafeRawPointer, _ n: Int, _ t: UnsafePointer<UInt32>) -> UInt32 {
        var crc = crcIn
        var i = 0
        while i &+ 16 <= n {
            crc = chunk16(crc, p + i, t)
            i &+= 16
        }
        while i < n {
            let byte = p.load(fromByteOffset: i, as: UInt8.self)
            crc = (crc >> 8) ^ t[Int(truncatingIfNeeded: (crc ^ UInt32(byte)) & 0xFF)]
            i &+= 1
        }
        return crc
    }
}
