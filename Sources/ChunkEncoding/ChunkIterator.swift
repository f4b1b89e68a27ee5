/// Streams the samples of one chunk in stored order, decoding lazily.
///
/// `seek(to:)` positions at the first sample whose time is ≥ t: it continues forward from
/// the current position when t is later than the sample last produced, and otherwise
/// restarts from the beginning. For chunks written in time order (the store's case) that is
/// the first such sample of the chunk.
public struct ChunkIterator: Sendable {
    private let bytes: [UInt8]
    private let layout: ChunkLayout
    /// The time reference's times (version 3), else empty.
    private let reference: [Int64]
    private var decoder: SampleDecoder
    /// A sample found by `seek` and not yet returned by `next`.
    private var pending: (time: Int64, value: ChunkValue)?
    /// Time of the sample decoded last (returned or pending).
    private var current: Int64?
    /// Set by a seek past the header's maximum time.
    private var exhausted = false

    /// Parses the header of `bytes`; samples are decoded on demand. Throws
    /// `ChunkError.missingReference` for a chunk coded against a time reference.
    public init(_ bytes: [UInt8]) throws(ChunkError) {
        try self.init(bytes, reference: nil)
    }

    /// Parses the header of `bytes`; samples are decoded on demand.
    /// - Parameter reference: the times of the sequence named by the header's `timeReference`;
    ///   required when it is not nil (else `ChunkError.missingReference`; shorter than the
    ///   chunk: `corrupt`), ignored otherwise.
    public init(_ bytes: [UInt8], reference: [Int64]?) throws(ChunkError) {
        let parsed: Result<ChunkLayout, ChunkError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ChunkError) in try ChunkLayout(parsing: raw) }
        }
        self.bytes = bytes
        layout = try parsed.get()
        self.reference = try SampleDecoder.checkedReference(reference, for: layout)
        decoder = SampleDecoder(layout, reference: self.reference)
    }

    /// Like `init(_:reference:)`, and throws `ChunkError.kindMismatch` unless the chunk holds `kind`.
    public init(_ bytes: [UInt8], expecting kind: ChunkValueKind, reference: [Int64]? = nil) throws(ChunkError) {
        try self.init(bytes, reference: reference)
        guard header.kind == kind else { throw .kindMismatch }
    }

    public var header: ChunkHeader { layout.header }

    /// The next sample, or nil after the last one.
    public mutating func next() throws(ChunkError) -> (time: Int64, value: ChunkValue)? {
        if let sample = pending {
            pending = nil
            return sample
        }
        if exhausted { return nil }
        return try decodeNext()
    }

    /// Positions the iterator so that `next()` returns the first sample with time ≥ `time`.
    public mutating func seek(to time: Int64) throws(ChunkError) {
        if time <= layout.header.minTime {
            restart()
            return
        }
        if let current, time <= current { restart() }
        if let sample = pending {
            pending = nil
            if sample.time >= time {
                pending = sample
                return
            }
        }
        if time > layout.header.maxTime {
            exhausted = true
            return
        }
        while let sample = try decodeNext() {
            if sample.time >= time {
                pending = sample
                return
            }
        }
    }

    private mutating func restart() {
        decoder = SampleDecoder(layout, reference: reference)
        pending = nil
        current = nil
        exhausted = false
    }

    private mutating func decodeNext() throws(ChunkError) -> (time: Int64, value: ChunkValue)? {
        let offset = layout.bodyOffset
        let result: Result<(time: Int64, value: ChunkValue)?, ChunkError> = bytes.withUnsafeBytes { raw in
            var reader = BitReader(UnsafeRawBufferPointer(rebasing: raw[offset...]), position: decoder.position)
            if decoder.isAtEnd {
                return Result { () throws(ChunkError) in
                    try SampleDecoder.checkEnd(reader)
                    return nil
                }
            }
            let decoded = Result { () throws(ChunkError) in try decoder.decode(&reader) }
            decoder.position = reader.position
            return decoded.map { $0 }
        }
        let sample = try result.get()
        if let sample { current = sample.time }
        return sample
    }
}
