extension SampleDecoder {
    /// `decode` for a float chunk, returning the Double itself (no `ChunkValue` enum).
    @inline(__always)
    mutating func decodeFloat(_ reader: inout BitReader) throws(ChunkError) -> (time: Int64, value: Double) {
        let time = try decodeTime(&reader)
        let value: Double
        if integralFloats {
            let n = Double(integers.readsGolomb ? integers.readGolomb(from: &reader) : try integers.read(from: &reader))
            value = decimal ? n / decimalDivisor : n
        } else if rawFloats {
            value = Double(bitPattern: reader.readWide(64))
        } else {
            value = Double(bitPattern: try floats.read(from: &reader, first: index == 0))
        }
        guard !reader.isOverrun else { throw .truncated }
        index &+= 1
        return (time, value)
    }
}
