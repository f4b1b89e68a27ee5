// libFuzzer harness: every input is gzip-encoded with FastDeflate (a reused encoder and,
// for some inputs, a fresh one), inflated with zlib, and compared; any mismatch traps.
// Built together with the FastDeflate sources (same module) by Fuzz/run.sh.
import CZlibRef

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) let sharedEncoder = GzipEncoder()
nonisolated(unsafe) var inflated = [UInt8]()

/// Expands a fuzz input into repetitive data: pairs (op, arg); op < 0xA0 appends arg,
/// otherwise copies a run from earlier output (distance and length derived from the
/// following bytes), which reaches long matches, distance 1 and distances near 32 KiB.
func expand(_ p: UnsafeRawBufferPointer) -> [UInt8] {
    var out = [UInt8]()
    var i = 0
    while i + 1 < p.count && out.count < 300_000 {
        let op = p[i], arg = p[i + 1]
        i += 2
        if op < 0xA0 || out.isEmpty {
            out.append(arg)
        } else {
            let hi = i < p.count ? Int(p[i]) : 0
            i += 1
            let dist = 1 + ((Int(op & 0x1F) << 10 | hi << 2 | Int(arg & 3)) % out.count)
            let len = 1 + Int(arg) * (op & 0x20 != 0 ? 8 : 1)
            let from = out.count - dist
            for k in 0..<len { out.append(out[from + k]) }
        }
    }
    return out
}

func inflateAll(_ gz: UnsafeRawBufferPointer, expected: Int) -> [UInt8]? {
    let s = czref_stream_new()!
    defer { inflateEnd(s); free(s) }
    guard czref_inflate_init(s) == Z_OK else { return nil }
    if inflated.count < expected + 1 { inflated = [UInt8](repeating: 0, count: expected + 1) }
    let rc: Int32 = inflated.withUnsafeMutableBytes { ob in
        s.pointee.next_in = UnsafeMutablePointer(mutating: gz.baseAddress!.assumingMemoryBound(to: UInt8.self))
        s.pointee.avail_in = UInt32(gz.count)
        s.pointee.next_out = ob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        s.pointee.avail_out = UInt32(expected + 1)
        return inflate(s, Z_FINISH)
    }
    guard rc == Z_STREAM_END, s.pointee.avail_in == 0, Int(s.pointee.total_out) == expected else { return nil }
    return Array(inflated[0..<expected])
}

func check(_ input: UnsafeRawBufferPointer, encoder: GzipEncoder) {
    let cap = GzipEncoder.maxEncodedSize(input.count)
    // Exactly `cap` bytes, so AddressSanitizer sees any write past the bound.
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: cap, alignment: 1)
    defer { out.deallocate() }
    let n = encoder.encode(input, into: out)
    if n > cap { fatalError("encoded \(n) > maxEncodedSize \(cap)") }
    guard let back = inflateAll(UnsafeRawBufferPointer(rebasing: out[0..<n]), expected: input.count) else {
        fatalError("zlib rejected our stream (input \(input.count) bytes)")
    }
    if !back.elementsEqual(input) { fatalError("round trip mismatch (input \(input.count) bytes)") }
    let ours = CRC32.checksum(input)
    let theirs = UInt32(crc32(0, input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(input.count)))
    if ours != theirs { fatalError("CRC mismatch") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    check(raw, encoder: sharedEncoder)
    if size > 0 && raw[0] & 1 == 1 {
        let expandedInput = expand(UnsafeRawBufferPointer(rebasing: raw[1...]))
        expandedInput.withUnsafeBytes { check($0, encoder: sharedEncoder) }
    }
    if size > 0 && raw[0] & 6 == 6 {
        check(raw, encoder: GzipEncoder())  // fresh state must give a valid stream too
    }
    return 0
}
