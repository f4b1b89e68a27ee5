extension SampleDecoder {
    /// `decode` for a float chunk, returning the Double itself (no `ChunkValue` enum).
    @inline(__always)
    mutating func decodeFloat(_ reader: inout BitReader) throws(ChunkError) -> (time: Int64, value: Double) {
        let time = try decodeTime(&reader)
        let value: Double
        if integralFloats {
            let n = Double(try integers.read(from: &reader))
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

extension SampleDecoder {
    /// The rest of the chunk can go through `decodeExactIntegers`: its times are its reference's
    /// own and its values Exp-Golomb integers, past the first sample. Most sealed chunks of
    /// collectd's counters and gauges are this.
    var runsExactIntegers: Bool {
        referenced && exactReference && integralFloats && index > 0 && integers.readsGolomb
    }

    /// `decodeFloat` for every sample left while `runsExactIntegers`, into `times` and `values`
    /// from `written` (counted up as each sample is stored, so that a damaged chunk keeps what
    /// came before). The same checks and the same values as `decodeFloat`, in a loop of its own
    /// with the decoder's state in locals: the general loop reread the chunk's flags and the
    /// decoder's fields from memory for every sample, about 100 instructions each.
    mutating func decodeExactIntegers(_ reader: inout BitReader, times: UnsafeMutablePointer<Int64>, values: UnsafeMutablePointer<Double>,
                                      written: inout Int, end: Int) throws(ChunkError) {
        assert(runsExactIntegers)
        // Everything the loop changes is a local, written back at the end (or at a throw):
        // through the inout parameters, each sample stored and reloaded the reader and the count.
        var state = integers
        var previous = prevTime
        var i = index
        var bits = reader
        var stored = written
        defer {
            integers = state
            prevTime = previous
            index = i
            reader = bits
            written = stored
        }
        let maxTime = self.maxTime, divisor = decimalDivisor, decimal = self.decimal
        try reference.withUnsafeBufferPointer { (reference) throws(ChunkError) in
            // `checkedReference` made the reference at least as long as the chunk: checked once.
            guard i &+ (end &- stored) <= reference.count else { throw .corrupt(reason: "reference shorter than the chunk") }
            while stored < end {
                let time = reference[i]
                guard time > previous, time <= maxTime else { throw .corrupt(reason: "timestamp out of range") }
                previous = time
                let n = Double(state.readGolomb(from: &bits))
                let value = decimal ? n / divisor : n
                guard !bits.isOverrun else { throw .truncated }
                i &+= 1
                times[stored] = time
                values[stored] = value
                stored &+= 1
            }
        }
    }
}
