import Testing
@testable import ChunkEncoding
import TestSupport

struct CorruptionTests {
    static func sampleChunks() -> [[UInt8]] {
        var rng = SeededGenerator(seed: 7)
        return ChunkValueKind.allCases.flatMap { kind in
            [TimeShape.collectdMilliseconds, .collectdNanoseconds, .hugeGaps].map { shape in
                let times = shape.times(count: 50, using: &rng)
                return ChunkCodec.encode(kind: kind, times: times, values: ValueFactory.values(kind, count: 50, using: &rng))
            }
        }
    }

    @Test("every strict prefix of a chunk throws")
    func truncation() throws {
        for chunk in Self.sampleChunks() {
            for length in 0..<chunk.count {
                let prefix = Array(chunk.prefix(length))
                #expect(throws: ChunkError.self) { try ChunkCodec.decode(prefix) }
                #expect(throws: ChunkError.self) {
                    var iterator = try ChunkIterator(prefix)
                    while try iterator.next() != nil {}
                }
            }
        }
    }

    @Test("prefixes shorter than the header throw truncated")
    func shortHeader() {
        #expect(throws: ChunkError.truncated) { try ChunkHeader.read([]) }
        #expect(throws: ChunkError.truncated) { try ChunkHeader.read([1, 1]) }
        #expect(throws: ChunkError.truncated) { try ChunkHeader.read([1, 1, 6, 0x80]) }
    }

    @Test("bad header fields are rejected", arguments: [
        ([5, 1, 0, 0], ChunkError.unsupportedVersion),
        ([0, 1, 0, 0], ChunkError.unsupportedVersion),
        ([2, 1, 0x80, 0x22, 0], .corrupt(reason: "reserved flag set")),
        ([2, 1, 0x00, 0x22, 1, 0, 0, 0], .corrupt(reason: "decimal scale on a non-integral chunk")),
        ([2, 2, 0x20, 0x30, 1, 0, 0, 0], .corrupt(reason: "integral flag on a non-float chunk")),
        ([1, 2, 0x20, 1, 0, 0, 0], .corrupt(reason: "integral flag on a non-float chunk")),
        ([2, 5, 0x00, 0x10, 1, 0, 0, 0], .corrupt(reason: "integer order on a chunk without integers")),
        ([2, 2, 0x00, 0x30, 1, 0, 0, 0], .corrupt(reason: "count exceeds body size")),
        ([2, 2, 0x00, 0xA0, 1, 0, 0, 0], .corrupt(reason: "raw floats on a non-float chunk")),
        ([2, 1, 0x20, 0xA0, 1, 0, 0, 0], .corrupt(reason: "binary scale without an exponent")),
        ([2, 1, 0x00, 0x22, 0], .corrupt(reason: "decimal scale on a non-integral chunk")),
        ([2, 2, 0x00, 0x10, 0], .corrupt(reason: "flags on an empty chunk")),
        ([1, 9, 0, 0], .corrupt(reason: "unknown value kind")),
        ([1, 1, 0x80, 0], .corrupt(reason: "reserved flag set")),
        ([1, 1, 19, 1, 0, 0, 0], .corrupt(reason: "time scale out of range")),
        ([1, 2, 0x20, 1, 0, 0, 0], .corrupt(reason: "integral flag on a non-float chunk")),
        ([1, 2, 0, 200, 1, 0, 0, 0], .corrupt(reason: "count exceeds body size")),
        ([1, 2, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], .corrupt(reason: "varint overflow")),
        ([1, 2, 0, 0, 0], .corrupt(reason: "bytes after the last sample")),
    ] as [([UInt8], ChunkError)])
    func badHeaders(bytes: [UInt8], error: ChunkError) {
        #expect(throws: error) { try ChunkCodec.decode(bytes) }
    }

    @Test("a header read from a prefix rejects an impossible count instead of trapping")
    func prefixCount() {
        // Found by the fuzzer: count 2^64 - 1 read without a body to bound it.
        let bytes: [UInt8] = [1, 5, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0]
        #expect(throws: ChunkError.corrupt(reason: "count exceeds body size")) { try ChunkHeader.read(prefix: bytes) }
    }

    @Test("header times that overflow Int64 are rejected")
    func overflowingTimes() {
        // scale 10^18, min = 10 × 10^18 overflows.
        #expect(throws: ChunkError.corrupt(reason: "minimum time out of range")) {
            try ChunkHeader.read([1, 2, 18, 1, 20, 0, 0])
        }
        // min = Int64.max / 2-ish, span pushes past Int64.max.
        var bytes: [UInt8] = [1, 2, 0, 1]
        ChunkLayout.appendUVarint(UInt64(Int64.max - 1) << 1, to: &bytes)
        ChunkLayout.appendUVarint(5, to: &bytes)
        bytes.append(0)
        #expect(throws: ChunkError.corrupt(reason: "time out of range")) { try ChunkHeader.read(bytes) }
    }

    @Test("random corruption never traps", arguments: 0..<8)
    func bitFlips(seed: Int) {
        var rng = SeededGenerator(seed: 1000 + UInt64(seed))
        var thrown = 0
        for chunk in Self.sampleChunks() {
            for _ in 0..<200 {
                var damaged = chunk
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let i = Int.random(in: 0..<damaged.count, using: &rng)
                    damaged[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
                do {
                    let decoded = try ChunkCodec.decode(damaged)
                    let header = try ChunkHeader.read(damaged)
                    #expect(decoded.times.count == header.count)
                    #expect(decoded.times.allSatisfy { $0 >= header.minTime && $0 <= header.maxTime })
                } catch {
                    thrown += 1
                }
            }
        }
        // Most damage is detected (times leave the header range, windows go missing, lengths lie).
        #expect(thrown > 0)
    }

    @Test("kind mismatch is reported")
    func kindMismatch() {
        let bytes = ChunkCodec.encode(kind: .integer, times: [1], values: [.integer(1)])
        #expect(throws: ChunkError.kindMismatch) { try ChunkIterator(bytes, expecting: .float) }
        #expect(throws: Never.self) { try ChunkIterator(bytes, expecting: .integer) }
    }
}
