extension ChunkCodec {
    /// Appends the samples of a float chunk whose times lie in `[from, through]` straight to
    /// `times` and `values`, without building `ChunkValue`s (the read path's float fast path).
    /// Returns false, appending nothing, when the chunk holds another kind of value. Throws
    /// `ChunkError.missingReference` for a chunk coded against a time reference.
    public static func appendFloats(_ bytes: [UInt8], from: Int64, through end: Int64,
                                    times: inout [Int64], values: inout [Double]) throws(ChunkError) -> Bool {
        try appendFloats(bytes, from: from, through: end, times: &times, values: &values, reference: nil)
    }

    /// `appendFloats(_:from:through:times:values:)` for any chunk; `reference` as in
    /// `decode(_:reference:)` (checked only for float chunks).
    public static func appendFloats(_ bytes: [UInt8], from: Int64, through end: Int64,
                                    times: inout [Int64], values: inout [Double], reference: [Int64]?) throws(ChunkError) -> Bool {
        let result: Result<Bool, ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in
                try appendFloats(raw, from: from, through: end, times: &times, values: &values, reference: reference)
            }
        }
        return try result.get()
    }

    private static func appendFloats(_ raw: UnsafeRawBufferPointer, from: Int64, through end: Int64,
                                     times: inout [Int64], values: inout [Double], reference: [Int64]?) throws(ChunkError) -> Bool {
        let layout = try ChunkLayout(parsing: raw)
        guard layout.header.kind == .float else { return false }
        var decoder = SampleDecoder(layout, reference: try SampleDecoder.checkedReference(reference, for: layout))
        var reader = BitReader(UnsafeRawBufferPointer(rebasing: raw[layout.bodyOffset...]))
        let whole = layout.header.count == 0 || (layout.header.minTime >= from && layout.header.maxTime <= end)
        if whole {
            // Grow geometrically: a scan appends chunk after chunk to the same arrays, and an
            // exact reservation per chunk would copy everything appended so far each time.
            let start = times.count, needed = start + decoder.count
            if times.capacity < needed { times.reserveCapacity(Swift.max(needed, 2 * times.capacity)) }
            if values.capacity < needed { values.reserveCapacity(Swift.max(needed, 2 * values.capacity)) }
            // Every sample is kept: the arrays grow by the chunk's count at once and the decoder
            // writes into them, with no capacity and uniqueness check per sample (those were a
            // fifth of this loop). What a corrupt body left undecoded is cut off again.
            times.append(contentsOf: repeatElement(0, count: decoder.count))
            values.append(contentsOf: repeatElement(0, count: decoder.count))
            var written = start
            defer {
                if written < needed {
                    times.removeSubrange(written..<needed)
                    values.removeSubrange(written..<needed)
                }
            }
            try times.withUnsafeMutableBufferPointer { (timeSlots) throws(ChunkError) in
                try values.withUnsafeMutableBufferPointer { (valueSlots) throws(ChunkError) in
                    while written < needed {
                        if decoder.runsExactIntegers {
                            try decoder.decodeExactIntegers(&reader, times: timeSlots.baseAddress!, values: valueSlots.baseAddress!,
                                                            written: &written, end: needed)
                            continue
                        }
                        let (time, value) = try decoder.decodeFloat(&reader)
                        timeSlots[written] = time
                        valueSlots[written] = value
                        written += 1
                    }
                }
            }
            try SampleDecoder.checkEnd(reader)
            return true
        }
        // A referenced chunk's times ascend strictly (its decoder refuses any that does not), so
        // its first time past the range ends the reading: a panel zoomed into the past decodes
        // its last chunk only up to the range's end. A chunk of its own times may hold them in
        // any order and is read to its end.
        let stopsPastEnd = decoder.referenced
        while !decoder.isAtEnd {
            let (time, value) = try decoder.decodeFloat(&reader)
            if time > end && stopsPastEnd { return true }
            if time >= from && time <= end {
                times.append(time)
                values.append(value)
            }
        }
        try SampleDecoder.checkEnd(reader)
        return true
    }
}
