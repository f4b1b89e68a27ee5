import Glibc

// Writes a seed corpus for the fuzzer: valid chunks of every kind and time shape, each
// prefixed with the mode byte 0 (decode mode), and version-3 and 4 chunks after mode byte 2 and their
// reference as a time sequence. Built by run.sh without sanitizers.
@main
struct MakeSeeds {
    static func main() throws {
        let directory = CommandLine.arguments[1]
        var n = 0
        func write(_ chunk: [UInt8], clock: [UInt8]? = nil) {
            let path = "\(directory)/seed-\(n)"
            n += 1
            guard let file = fopen(path, "wb") else { return }
            var bytes: [UInt8] = [0] + chunk
            if let clock { bytes = [2, UInt8(clock.count >> 8), UInt8(clock.count & 0xFF)] + clock + chunk }
            for byte in bytes { fputc(Int32(byte), file) }
            fclose(file)
        }
        let ms: [Int64] = (0..<20).map { (i: Int) -> Int64 in
            let step = Int64(i) * 10_000 + Int64(i * 7 % 11)
            return (1_700_000_000_000 + step) * 1_000_000
        }
        let ns: [Int64] = (0..<20).map { (i: Int) -> Int64 in
            let step = Int64(i) * 10_000_000_000 + Int64(i * 7919 % 1_000_000)
            return 1_700_000_000_000_000_000 + step
        }
        let odd: [Int64] = [.max, .min, 0, 0, -5, 1_000]
        for times in [ms, ns, odd] {
            let c = times.count
            write(ChunkCodec.encode(kind: .float, times: times, values: (0..<c).map { .float(Double($0) * 0.37) }))
            write(ChunkCodec.encode(kind: .float, times: times, values: (0..<c).map { .float(Double($0 * 4096)) }))
            write(ChunkCodec.encode(kind: .integer, times: times, values: (0..<c).map { .integer(Int64($0 * $0)) }))
            write(ChunkCodec.encode(kind: .unsigned, times: times, values: (0..<c).map { .unsigned(UInt64.max - UInt64($0)) }))
            write(ChunkCodec.encode(kind: .boolean, times: times, values: (0..<c).map { .boolean($0 % 3 == 0) }))
            write(ChunkCodec.encode(kind: .string, times: times, values: (0..<c).map { .string(["a", "bc", "é"][$0 % 3]) }))
        }
        write(ChunkAppender(kind: .float).finish())
        // Version 3: chunks coded against a reference (mode 2: the reference as a time sequence).
        for times in [ms, ns] {
            let c = times.count
            var reference = times
            reference[3] += 2_000_000
            reference[11] -= 1_000_000
            let clocks = [times, reference, reference + [times[c - 1] + 10_000_000_000]]
            for (i, clock) in clocks.enumerated() {
                let ref = TimeReference(id: Int64(i) << (i * 20), times: clock)
                write(ChunkCodec.encode(kind: .float, times: times, values: (0..<c).map { .float(Double($0) * 0.37) }, reference: ref),
                      clock: ChunkCodec.encodeTimes(clock))
                write(ChunkCodec.encode(kind: .integer, times: times, values: (0..<c).map { .integer(Int64($0 * $0)) }, reference: ref),
                      clock: ChunkCodec.encodeTimes(clock))
                write(ChunkCodec.encode(kind: .string, times: times, values: (0..<c).map { .string(["a", "bc", "é"][$0 % 3]) }, reference: ref),
                      clock: ChunkCodec.encodeTimes(clock))
                // Constants (integer order 3): against the exact clock their body is one bit.
                write(ChunkCodec.encode(kind: .float, times: times, values: Array(repeating: .float(0.25), count: c), reference: ref),
                      clock: ChunkCodec.encodeTimes(clock))
                write(ChunkCodec.encode(kind: .unsigned, times: times, values: Array(repeating: .unsigned(7), count: c), reference: ref),
                      clock: ChunkCodec.encodeTimes(clock))
            }
        }
        write(ChunkCodec.encode(kind: .boolean, times: [], values: [], reference: TimeReference(id: 5, times: [])), clock: ChunkCodec.encodeTimes([]))
        // Version 4: run-coded times (a long chunk with a few exceptions, one of them last).
        let long = (0..<200).map { ms[0] + Int64($0) * 10_000_000_000 }
        var jittered = long
        jittered[50] += 1_000_000
        jittered[120] += 3_000_000
        jittered[199] -= 2_000_000
        for kind in ChunkValueKind.allCases {
            let values: [ChunkValue] = (0..<200).map { i in
                switch kind {
                case .float: .float(Double(i) * 0.5)
                case .integer: .integer(5)
                case .unsigned: .unsigned(UInt64(i))
                case .boolean: .boolean(i % 2 == 0)
                case .string: .string(["a", "b"][i % 2])
                }
            }
            write(ChunkCodec.encode(kind: kind, times: jittered, values: values, reference: TimeReference(id: 9, times: long)),
                  clock: ChunkCodec.encodeTimes(long))
        }
        // Version 4 clocks coded as deltas from the median interval (a clock wandering by 1–2 ms).
        var wandering = long
        for i in 1..<wandering.count { wandering[i] = wandering[i - 1] + 10_000_000_000 + Int64([0, 0, 0, 1, -1, 2][i % 6]) * 1_000_000 }
        write(ChunkCodec.encode(kind: .float, times: wandering, values: (0..<200).map { .float(Double($0) * 0.5) },
                                reference: TimeReference(id: 10, times: wandering)),
              clock: ChunkCodec.encodeTimes(wandering))
        write(ChunkCodec.encode(kind: .integer, times: long, values: (0..<200).map { .integer(Int64($0)) },
                                reference: TimeReference(id: 11, times: wandering)),
              clock: ChunkCodec.encodeTimes(wandering))
    }
}
