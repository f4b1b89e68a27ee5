import CZlibRef
import TestSupport
@testable import FastDeflate

#if canImport(Glibc)
import Glibc
#endif

/// TestSupport's SplitMix64, with a bound for picking sizes and symbols.
typealias SplitMix64 = SeededGenerator

extension SeededGenerator {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

enum ZlibRef {
    /// Inflates one gzip member with zlib (`inflateInit2(31)`); nil on any error or trailing data.
    static func gunzip(_ data: [UInt8]) -> [UInt8]? {
        let s = czref_stream_new()!
        defer { inflateEnd(s); free(s) }
        guard czref_inflate_init(s) == Z_OK else { return nil }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = data
        var rc: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { ib in
            s.pointee.next_in = ib.baseAddress
            s.pointee.avail_in = UInt32(ib.count)
            while true {
                chunk.withUnsafeMutableBufferPointer { cb in
                    s.pointee.next_out = cb.baseAddress
                    s.pointee.avail_out = UInt32(cb.count)
                    rc = inflate(s, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(s.pointee.avail_out)
                out.append(contentsOf: chunk[0..<produced])
                if rc != Z_OK { break }
                if produced == 0 && s.pointee.avail_in == 0 { rc = Z_BUF_ERROR; break }
            }
        }
        guard rc == Z_STREAM_END, s.pointee.avail_in == 0 else { return nil }
        return out
    }

    static func crc(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(UInt(seed), $0.baseAddress, UInt32($0.count))) }
    }

    /// zlib level-1 gzip size (reference for ratios).
    static func gzipLevel1Size(_ input: [UInt8]) -> Int {
        let s = czref_stream_new()!
        defer { deflateEnd(s); free(s) }
        precondition(czref_deflate_init(s, 1) == Z_OK)
        var out = [UInt8](repeating: 0, count: Int(deflateBound(s, UInt(input.count))) + 64)
        var inp = input
        inp.withUnsafeMutableBufferPointer { ib in
            out.withUnsafeMutableBufferPointer { ob in
                s.pointee.next_in = ib.baseAddress
                s.pointee.avail_in = UInt32(ib.count)
                s.pointee.next_out = ob.baseAddress
                s.pointee.avail_out = UInt32(ob.count)
                precondition(deflate(s, Z_FINISH) == Z_STREAM_END)
            }
        }
        return Int(s.pointee.total_out)
    }
}

/// Encodes into a buffer of exactly `maxEncodedSize` bytes followed by a guard zone,
/// checks the guard zone, the gzip header and trailer, and the zlib round trip.
/// Returns the encoded member and a description of the first problem (nil if none).
func roundTrip(_ input: [UInt8], encoder: GzipEncoder = GzipEncoder()) -> (gz: [UInt8], problem: String?) {
    let cap = GzipEncoder.maxEncodedSize(input.count)
    let guardBytes = 64
    var buf = [UInt8](repeating: 0xA5, count: cap + guardBytes)
    let n = input.withUnsafeBytes { ib in
        buf.withUnsafeMutableBytes { ob in
            encoder.encode(ib, into: UnsafeMutableRawBufferPointer(rebasing: ob[0..<cap]))
        }
    }
    let gz = Array(buf[0..<min(n, cap)])
    if n > cap { return (gz, "encoded size \(n) exceeds maxEncodedSize \(cap)") }
    if !buf[cap...].allSatisfy({ $0 == 0xA5 }) { return (gz, "wrote past the output buffer") }
    if n < 18 { return (gz, "member too short") }
    if Array(gz[0..<4]) != [0x1F, 0x8B, 0x08, 0x00] { return (gz, "bad gzip id/method/flags") }
    if Array(gz[4..<8]) != [0, 0, 0, 0] { return (gz, "mtime must be 0") }
    if gz[8] != 0 && gz[8] != 4 { return (gz, "bad XFL") }
    if gz[9] != 3 && gz[9] != 255 { return (gz, "bad OS") }
    let crc = UInt32(gz[n - 8]) | UInt32(gz[n - 7]) << 8 | UInt32(gz[n - 6]) << 16 | UInt32(gz[n - 5]) << 24
    let isize = UInt32(gz[n - 4]) | UInt32(gz[n - 3]) << 8 | UInt32(gz[n - 2]) << 16 | UInt32(gz[n - 1]) << 24
    if crc != ZlibRef.crc(input) { return (gz, "CRC mismatch") }
    if isize != UInt32(truncatingIfNeeded: input.count) { return (gz, "ISIZE mismatch") }
    guard let back = ZlibRef.gunzip(gz) else { return (gz, "zlib rejected the stream (input length \(input.count))") }
    if back != input { return (gz, "round trip mismatch (input length \(input.count))") }
    return (gz, nil)
}

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var data = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        data.append(contentsOf: chunk[0..<n])
    }
    return data
}

/// Random input over a small alphabet with random repeats of earlier data
/// (near and far, short and long), so the encoder sees many kinds of matches.
func randomRepetitive(_ rng: inout SplitMix64, length: Int) -> [UInt8] {
    let alphabetSize = 1 + rng.below(12)
    let alphabet = (0..<alphabetSize).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    var out = [UInt8]()
    out.reserveCapacity(length)
    while out.count < length {
        if out.count > 4 && rng.below(3) != 0 {
            let maxBack = min(out.count, rng.below(4) == 0 ? 40000 : 300)
            let dist = 1 + rng.below(maxBack)
            let len = min(length - out.count, 1 + rng.below(rng.below(5) == 0 ? 600 : 20))
            let from = out.count - dist
            for i in 0..<len { out.append(out[from + i]) }
        } else {
            let len = min(length - out.count, 1 + rng.below(10))
            for _ in 0..<len { out.append(alphabet[rng.below(alphabetSize)]) }
        }
    }
    return out
}
