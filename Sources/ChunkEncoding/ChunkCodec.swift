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

    /// Decodes every sample of a chunk; throws `ChunkError.missingReference` for a chunk coded
    /// against a time reference (use `decode(_:reference:)`).
    public static func decode(_ bytes: [UInt8]) throws(ChunkError) -> (times: [Int64], values: [ChunkValue]) {
        try decode(bytes, reference: nil)
    }

    /// Decodes every sample of any chunk.
    /// - Parameter reference: the times of the sequence named by the header's `timeReference`;
    ///   required when it is not nil (else `ChunkError.missingReference`; shorter than the
    ///   chunk: `corrupt`), ignored otherwise.
    public static func decode(_ bytes: [UInt8], reference: [Int64]?) throws(ChunkError) -> (times: [Int64], values: [ChunkValue]) {
        let result: Result<(times: [Int64], values: [ChunkValue]), ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in try decodeAll(raw, reference: reference) }
        }
        return try result.get()
    }

    private static func decodeAll(_ raw: UnsafeRawBufferPointer, reference: [Int64]?) throws(ChunkError) -> (times: [Int64], values: [ChunkValue]) {
        let layout = try ChunkLayout(parsing: raw)
        var decoder = SampleDecoder(layout, reference: try SampleDecoder.checkedReference(reference, for: layout))
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
