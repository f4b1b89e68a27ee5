/// Whole-chunk helpers over `ChunkAppender` and the sample decoder.
public enum ChunkCodec {
    /// Encodes parallel arrays of times and values (every value of `kind`) as one chunk, with
    /// the codec options that make it smallest (`ChunkAppender.optimized()`).
    public static func encode(kind: ChunkValueKind, times: [Int64], values: [ChunkValue]) -> [UInt8] {
        precondition(times.count == values.count, "times and values differ in length")
        var appender = ChunkAppender(kind: kind)
        appender.reserveCapacity(times.count)
        for i in times.indices {
            appender.append(time: times[i], values[i])
        }
        return appender.optimized().finish()
    }

    /// Decodes every sample of a chunk.
    public static func decode(_ bytes: [UInt8]) throws(ChunkError) -> (times: [Int64], values: [ChunkValue]) {
        let result: Result<(times: [Int64], values: [ChunkValue]), ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in try decodeAll(raw) }
        }
        return try result.get()
    }

    private static func decodeAll(_ raw: UnsafeRawBufferPointer) throws(ChunkError) -> (times: [Int64], values: [ChunkValue]) {
        let layout = try ChunkLayout(parsing: raw)
        var decoder = SampleDecoder(layout)
        var reader = BitReader(UnsafeRawBufferPointer(rebasing: raw[layout.bodyOffset...]))
        var times: [Int64] = []
        var values: [ChunkValue] = []
        times.reserveCapacity(decoder.count)
        values.reserveCapacity(decoder.count)
        while !decoder.isAtEnd {
            let sample = try decoder.decode(&reader)
            times.append(sample.time)
            values.append(sample.value)
        }
        try SampleDecoder.checkEnd(reader)
        return (times, values)
    }
}
