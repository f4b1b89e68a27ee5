/// Time sequences ("clocks"): timestamps alone, for chunks coded against them (`TimeReference`).
///
/// Layout: a version-3 header with kind byte 0, no reference id and no value options — the
/// codec byte only says whether the times sit on a grid — then the time stream of a chunk
/// (delta-of-delta or grid distances, whichever is smaller) and no values.
extension ChunkCodec {
    /// Encodes `times` (any order) as a time sequence, at the cost of an ordinary chunk's
    /// timestamps.
    public static func encodeTimes(_ times: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        guard let first = times.first, let minTime = times.min(), let maxTime = times.max() else {
            ChunkLayout.write(kind: nil, count: 0, scaleExponent: 0, integralFloats: false, minTime: 0, maxTime: 0, firstTime: 0, into: &bytes)
            return bytes
        }
        let exponent = ownExponent(times)
        let scale = TimeScale.factor(exponent)
        var codec = CodecOptions()
        var interval: Int64 = 0
        var offset: Int64 = 0
        if times.count >= 2 {
            let costs = ChunkAppender.timeCosts(times, exponent: exponent)
            codec.timeGrid = costs.grid < costs.dod
            interval = costs.interval
            offset = costs.offset
        }
        ChunkLayout.write(kind: nil, count: times.count, scaleExponent: exponent, integralFloats: false, codec: codec,
                          gridInterval: interval, gridOffset: offset, minTime: minTime, maxTime: maxTime, firstTime: first, into: &bytes)
        var bits = BitWriter()
        bits.reserve(bits: times.count * 4)
        let firstScaled = first / scale
        var prevScaled = firstScaled
        var prevDelta: Int64 = 0
        for (i, time) in times.enumerated().dropFirst() {
            let scaled = time / scale
            if codec.timeGrid {
                TimeBuckets.write(scaled &- (firstScaled &+ offset &+ Int64(i) &* interval), scaleExponent: exponent, to: &bits)
            } else {
                let delta = scaled &- prevScaled
                TimeBuckets.write(delta &- prevDelta, scaleExponent: exponent, to: &bits)
                prevScaled = scaled
                prevDelta = delta
            }
        }
        bits.copyBytes(into: &bytes)
        return bytes
    }

    /// Decodes a time sequence written by `encodeTimes`.
    public static func decodeTimes(_ bytes: [UInt8]) throws(ChunkError) -> [Int64] {
        let result: Result<[Int64], ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in
                let layout = try ChunkLayout(parsing: raw, timesOnly: true)
                var decoder = SampleDecoder(layout)
                var reader = BitReader(UnsafeRawBufferPointer(rebasing: raw[layout.bodyOffset...]))
                var times: [Int64] = []
                times.reserveCapacity(decoder.count)
                while !decoder.isAtEnd {
                    times.append(try decoder.decodeTime(&reader))
                    guard !reader.isOverrun else { throw .truncated }
                    decoder.index &+= 1
                }
                try SampleDecoder.checkEnd(reader)
                return times
            }
        }
        return try result.get()
    }
}
