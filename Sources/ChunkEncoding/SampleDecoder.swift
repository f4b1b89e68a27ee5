/// The decoding state machine behind `ChunkIterator` and `ChunkCodec.decode`: it walks the
/// sample bit stream of one chunk, one sample per call, without allocating (except strings).
struct SampleDecoder: Sendable {
    let kind: ChunkValueKind
    let count: Int
    let firstTime: Int64
    let minTime: Int64
    let maxTime: Int64
    let scale: Int64
    let timeTable: UInt64
    let integralFloats: Bool
    /// Divisor of decimal-scaled float chunks (1 otherwise).
    let decimalDivisor: Double
    let decimal: Bool
    let rawFloats: Bool
    let timeGrid: Bool
    let gridInterval: Int64
    let gridOffset: Int64
    let firstScaled: Int64
    /// The reference's times (version 3; at least `count` of them), else empty.
    let reference: [Int64]
    let referenced: Bool
    let exactReference: Bool
    /// Version 4: the run code's order (`TimeRuns`), -1 otherwise; samples left in the current
    /// run, and whether an exception follows it.
    let runOrder: Int
    /// A version-4 time sequence: the order of its zigzag Exp-Golomb times, -1 otherwise.
    let timeOrder: Int
    let timeDeltas: Bool
    /// Neither referenced nor a time sequence: the chunk's own times (versions 1 and 2).
    let ownTimes: Bool
    var zerosLeft = 0
    var exceptionPending = false
    /// Samples decoded so far.
    var index = 0
    /// Bit position inside the body.
    var position = 0
    var prevScaled: Int64
    var prevDelta: Int64 = 0
    /// Unscaled time of the previous sample (referenced chunks, which must ascend).
    var prevTime: Int64
    var integers = IntegerState()
    var floats = FloatState()
    var strings = StringDictionary()

    /// A decoder for `layout`'s samples; `reference` is what `checkedReference` returned.
    init(_ layout: ChunkLayout, reference: [Int64] = []) {
        kind = layout.header.kind
        count = layout.header.count
        firstTime = layout.firstTime
        minTime = layout.header.minTime
        maxTime = layout.header.maxTime
        scale = TimeScale.factor(layout.scaleExponent)
        timeTable = TimeBuckets.table(scaleExponent: layout.scaleExponent)
        integralFloats = layout.integralFloats
        decimal = layout.decimalExponent > 0
        decimalDivisor = DecimalScale.divisor(layout.decimalExponent, binary: layout.codec.binaryScale)
        rawFloats = layout.codec.rawFloats
        timeGrid = layout.codec.timeGrid
        gridInterval = layout.gridInterval
        gridOffset = layout.gridOffset
        prevScaled = layout.firstTime / scale
        firstScaled = prevScaled
        prevTime = layout.firstTime
        referenced = layout.header.timeReference != nil
        exactReference = layout.exactReference
        runOrder = layout.runOrder ?? -1
        timeOrder = layout.timeOrder ?? -1
        timeDeltas = layout.timeDeltas
        ownTimes = !referenced && timeOrder < 0
        self.reference = reference
        integers.order = layout.codec.valueOrder
        integers.bias = layout.codec.valueOrder == 2 ? 0 : layout.codec.bias
        integers.golomb = Int8(layout.codec.golomb ?? -1)
    }

    /// The times to decode `layout` with: `reference` when the chunk has a time reference
    /// (throws `missingReference` without one, `corrupt` when it is shorter than the chunk),
    /// else empty.
    static func checkedReference(_ reference: [Int64]?, for layout: ChunkLayout) throws(ChunkError) -> [Int64] {
        guard layout.header.timeReference != nil else { return [] }
        guard let reference else { throw .missingReference }
        guard reference.count >= layout.header.count else { throw .corrupt(reason: "reference shorter than the chunk") }
        return reference
    }

    var isAtEnd: Bool { index >= count }

    /// Decodes the sample at `index` from `reader` (positioned at `position` by the caller).
    @inline(__always)
    mutating func decode(_ reader: inout BitReader) throws(ChunkError) -> (time: Int64, value: ChunkValue) {
        let time = try decodeTime(&reader)
        let value: ChunkValue
        switch kind {
        case .float:
            if integralFloats {
                let n = Double(try integers.read(from: &reader))
                value = .float(decimal ? n / decimalDivisor : n)
            } else if rawFloats {
                value = .float(Double(bitPattern: reader.readWide(64)))
            } else {
                value = .float(Double(bitPattern: try floats.read(from: &reader, first: index == 0)))
            }
        case .integer:
            value = .integer(try integers.read(from: &reader))
        case .unsigned:
            value = .unsigned(UInt64(bitPattern: try integers.read(from: &reader)))
        case .boolean:
            value = .boolean(reader.readBit())
        case .string:
            value = .string(try strings.read(from: &reader, first: index == 0))
        }
        guard !reader.isOverrun else { throw .truncated }
        index &+= 1
        return (time, value)
    }

    @inline(__always)
    mutating func decodeTime(_ reader: inout BitReader) throws(ChunkError) -> Int64 {
        if index == 0 { return firstTime }
        // Versions 1 and 2 (every chunk's own times) test one flag; clocks go out of line.
        if ownTimes {
            if timeGrid {
                prevScaled = firstScaled &+ gridOffset &+ Int64(truncatingIfNeeded: index) &* gridInterval &+ TimeBuckets.read(timeTable, from: &reader)
            } else {
                prevDelta &+= TimeBuckets.read(timeTable, from: &reader)
                prevScaled &+= prevDelta
            }
        } else if referenced {
            return try referencedTime(&reader)
        } else {
            advanceSequence(&reader)
        }
        let (time, overflow) = prevScaled.multipliedReportingOverflow(by: scale)
        // The header's range is a promise readers rely on to skip chunks; hold the body to it.
        guard !overflow, time >= minTime, time <= maxTime else { throw .corrupt(reason: "timestamp out of range") }
        return time
    }

    /// Versions 3 and 4: sample i's distance from the reference's time i, in the chunk's scale
    /// (wrapping arithmetic gives back the encoder's time exactly; the range check catches the rest).
    /// Inlined: the store's sealed chunks are nearly all referenced.
    @inline(__always)
    mutating func referencedTime(_ reader: inout BitReader) throws(ChunkError) -> Int64 {
        let time: Int64
        if exactReference {
            time = reference[index]
        } else if runOrder >= 0 {
            time = reference[index] &+ (try runDistance(&reader)) &* scale
        } else {
            time = reference[index] &+ TimeBuckets.read(timeTable, from: &reader) &* scale
        }
        guard time > prevTime, time <= maxTime else { throw .corrupt(reason: "timestamp out of range") }
        prevTime = time
        return time
    }

    /// A version-4 time sequence's next time (scaled) into `prevScaled`.
    @inline(never)
    mutating func advanceSequence(_ reader: inout BitReader) {
        let coded = SignedCodes.read(order: timeOrder, from: &reader)
        if timeDeltas {
            prevScaled &+= gridInterval &+ coded
        } else if timeGrid {
            prevScaled = firstScaled &+ gridOffset &+ Int64(truncatingIfNeeded: index) &* gridInterval &+ coded
        } else {
            prevDelta &+= coded
            prevScaled &+= prevDelta
        }
    }

    /// Version 4: the scaled distance of sample `index` from its reference time. A run may
    /// reach past the last sample (a chunk finished while its encoder was inside a run).
    @inline(never)
    mutating func runDistance(_ reader: inout BitReader) throws(ChunkError) -> Int64 {
        if zerosLeft > 0 {
            zerosLeft &-= 1
            return 0
        }
        if exceptionPending {
            exceptionPending = false
        } else {
            guard let r = TimeRuns.readRun(order: runOrder, from: &reader) else { throw .corrupt(reason: "bad run length") }
            if r > 0 {
                zerosLeft = r &- 1
                exceptionPending = true
                return 0
            }
        }
        return TimeRuns.readException(timeTable, from: &reader)
    }

    /// After the last sample only the zero padding of the final byte may remain.
    static func checkEnd(_ reader: BitReader) throws(ChunkError) {
        guard (reader.position &+ 7) / 8 == reader.byteCount else {
            throw .corrupt(reason: "bytes after the last sample")
        }
    }
}
