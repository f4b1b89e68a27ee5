/// A parsed header plus the details the sample decoder needs (scale, codec flags, where the
/// bit stream starts).
struct ChunkLayout: Sendable {
    var header: ChunkHeader
    var scaleExponent: Int
    var integralFloats: Bool
    /// Version 2's codec byte (version 1: the defaults).
    var codec: CodecOptions
    var decimalExponent: Int { codec.decimalExponent }
    /// Scaled grid interval when `codec.timeGrid`.
    var gridInterval: Int64 = 0
    var gridOffset: Int64 = 0
    /// Version 3: every timestamp equals the reference's at its index (no time bits; written
    /// as the codec byte's grid bit, which referenced chunks do not otherwise use).
    var exactReference = false
    /// Version 4: the Exp-Golomb order of the run-coded times (`TimeRuns`), else nil.
    var runOrder: Int?
    /// A version-4 time sequence: the Exp-Golomb order of its zigzag-coded times
    /// (`SignedCodes`), else nil.
    var timeOrder: Int?
    /// A version-4 time sequence whose codes are each time's delta minus the grid interval
    /// (the order byte's `sequenceDeltas` bit; the header's grid offset is then unused).
    var timeDeltas = false
    var firstTime: Int64
    /// Byte offset of the sample bit stream.
    var bodyOffset: Int

    /// Version 4's time byte for times coded as in version 3, and value byte for adaptive windows.
    static let perSampleTimes: UInt8 = 0x80
    static let windowedValues: UInt8 = 0xFF
    /// Bit of a time sequence's order byte: deltas from the grid interval, not grid distances
    /// or delta-of-deltas.
    static let sequenceDeltas: UInt8 = 0x80

    /// Kind byte of a time sequence (`ChunkCodec.encodeTimes`): version 3, no values.
    static let timesOnlyKind: UInt8 = 0

    /// Parses a chunk's header, or with `timesOnly` a time sequence's (whose header has kind 0,
    /// no reference and no value options; `header.kind` is then `.boolean`, unused).
    init(parsing bytes: UnsafeRawBufferPointer, bodyFollows: Bool = true, timesOnly: Bool = false) throws(ChunkError) {
        var cursor = ByteCursor(bytes)
        let version = try cursor.byte()
        guard version >= ChunkHeader.currentVersion, version <= ChunkHeader.newestVersion else { throw .unsupportedVersion }
        let kindByte = try cursor.byte()
        let kind: ChunkValueKind
        if timesOnly {
            guard version == ChunkHeader.referenceVersion || version == ChunkHeader.runVersion, kindByte == Self.timesOnlyKind else {
                throw .corrupt(reason: "not a time sequence")
            }
            // A kind without value options, so every value option below is rejected.
            kind = .boolean
        } else {
            guard let valueKind = ChunkValueKind(rawValue: kindByte) else { throw .corrupt(reason: "unknown value kind") }
            kind = valueKind
        }
        let flags = try cursor.byte()
        guard flags & HeaderFlags.reserved == 0 else { throw .corrupt(reason: "reserved flag set") }
        codec = .versionOne
        if version >= ChunkHeader.codecVersion {
            let integral = flags & HeaderFlags.integralFloats != 0
            codec = try CodecOptions(byte: try cursor.byte(), integralFloats: integral)
            if codec.decimalExponent > 0 || codec.binaryScale {
                guard kind == .float, integral else { throw .corrupt(reason: "decimal scale on a non-integral chunk") }
                guard codec.decimalExponent > 0 else { throw .corrupt(reason: "binary scale without an exponent") }
            }
            if codec.valueOrder != 2 {
                guard kind == .integer || kind == .unsigned || (kind == .float && integral) else {
                    throw .corrupt(reason: "integer order on a chunk without integers")
                }
            }
            if codec.rawFloats {
                guard kind == .float, !integral else { throw .corrupt(reason: "raw floats on a non-float chunk") }
            }
        }
        if timesOnly && version == ChunkHeader.runVersion {
            let byte = try cursor.byte()
            let order = byte & ~Self.sequenceDeltas
            guard Int(order) <= SignedCodes.maxOrder else { throw .corrupt(reason: "time order out of range") }
            timeOrder = Int(order)
            timeDeltas = byte & Self.sequenceDeltas != 0
            guard !timeDeltas || codec.timeGrid else { throw .corrupt(reason: "time deltas without an interval") }
        }
        var timeReference: Int64? = nil
        if version >= ChunkHeader.referenceVersion && !timesOnly {
            let id = try cursor.uvarint()
            guard id <= UInt64(Int64.max) else { throw .corrupt(reason: "reference id out of range") }
            timeReference = Int64(id)
            exactReference = codec.timeGrid
            codec.timeGrid = false
            if version == ChunkHeader.runVersion {
                let order = try cursor.byte()
                if order != Self.perSampleTimes {
                    guard Int(order) <= TimeRuns.maxOrder else { throw .corrupt(reason: "run order out of range") }
                    guard !exactReference else { throw .corrupt(reason: "run-coded times on an exact chunk") }
                    runOrder = Int(order)
                }
                let golomb = try cursor.byte()
                if golomb != Self.windowedValues {
                    guard Int(golomb) <= SignedCodes.maxOrder else { throw .corrupt(reason: "value order out of range") }
                    guard kind == .integer || kind == .unsigned || (kind == .float && flags & HeaderFlags.integralFloats != 0),
                          codec.valueOrder != 3 else {
                        throw .corrupt(reason: "Exp-Golomb values on a chunk without them")
                    }
                    codec.golomb = Int(golomb)
                }
            }
            // Referenced times ascend strictly, so the first is the earliest.
            guard flags & HeaderFlags.firstNotMin == 0 else { throw .corrupt(reason: "first time after minimum on a referenced chunk") }
        }
        scaleExponent = Int(flags & HeaderFlags.scaleMask)
        guard scaleExponent <= TimeScale.maxExponent else { throw .corrupt(reason: "time scale out of range") }
        integralFloats = flags & HeaderFlags.integralFloats != 0
        guard !integralFloats || kind == .float else { throw .corrupt(reason: "integral flag on a non-float chunk") }
        let count = try cursor.uvarint()
        var minTime: Int64 = 0
        var maxTime: Int64 = 0
        firstTime = 0
        if count == 0 {
            guard flags & (HeaderFlags.firstNotMin | HeaderFlags.integralFloats) == 0, scaleExponent == 0, codec == .versionOne else {
                throw .corrupt(reason: "flags on an empty chunk")
            }
        } else {
            let scale = TimeScale.factor(scaleExponent)
            let zigzag = try cursor.uvarint()
            let scaledMin = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            let (min, overflow) = scaledMin.multipliedReportingOverflow(by: scale)
            guard !overflow else { throw .corrupt(reason: "minimum time out of range") }
            let max = try Self.unscale(try cursor.uvarint(), scale: scale, from: min)
            let first = flags & HeaderFlags.firstNotMin != 0
                ? try Self.unscale(try cursor.uvarint(), scale: scale, from: min)
                : min
            guard first <= max else { throw .corrupt(reason: "first time after maximum") }
            if codec.timeGrid {
                let zigzag = try cursor.uvarint()
                gridInterval = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
                let offset = try cursor.uvarint()
                gridOffset = Int64(bitPattern: offset >> 1) ^ -Int64(bitPattern: offset & 1)
            }
            if codec.valueOrder != 2 {
                let zigzag = try cursor.uvarint()
                codec.bias = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            }
            minTime = min
            maxTime = max
            firstTime = first
        }
        bodyOffset = cursor.offset
        // Every sample costs at least one bit (a time sequence's first costs none, its time is
        // in the header), so a larger count is a lie (and would make callers reserve absurd
        // amounts of memory). The exception: a constant (order 3) with exactly its reference's
        // times (or run-coded ones, a long run in a few bits) codes nothing or next to nothing
        // after the first value; the reference bounds its count instead
        // (decoders check it before they allocate).
        let bodyBits = UInt64(bytes.count - bodyOffset) * 8 + (timesOnly ? 1 : 0)
        let free = (exactReference || runOrder != nil) && codec.valueOrder == 3
        guard !bodyFollows || free || count <= bodyBits else { throw .corrupt(reason: "count exceeds body size") }
        // A header read from a prefix has no body to bound the count by.
        guard count <= UInt64(Int32.max) else { throw .corrupt(reason: "count exceeds body size") }
        header = ChunkHeader(version: version, kind: kind, count: Int(count), minTime: minTime, maxTime: maxTime, timeReference: timeReference)
    }

    /// `min + scaled × scale`, checked for overflow.
    private static func unscale(_ scaled: UInt64, scale: Int64, from min: Int64) throws(ChunkError) -> Int64 {
        let (offset, overflow) = scaled.multipliedReportingOverflow(by: UInt64(scale))
        let time = min &+ Int64(bitPattern: offset)
        guard !overflow, time >= min else { throw .corrupt(reason: "time out of range") }
        return time
    }

    /// Serialises a header: version 4 (more than one sample) with a `timeReference` and a
    /// `runOrder` (not exact) or Exp-Golomb values (`codec.golomb`), or for a time sequence with a
    /// `timeOrder`; version 3 with a `timeReference` or for a time sequence (`kind`
    /// nil), else version 2 when the codec differs from version 1's, else version 1. `count == 0`
    /// writes no time fields and zero flags (and version 1's codec byte from version 3 on).
    static func write(
        kind: ChunkValueKind?, count: Int, scaleExponent: Int, integralFloats: Bool, codec: CodecOptions = .versionOne,
        gridInterval: Int64 = 0, gridOffset: Int64 = 0, timeReference: Int64? = nil, exactReference: Bool = false,
        runOrder: Int? = nil, timeOrder: Int? = nil, timeDeltas: Bool = false, minTime: Int64, maxTime: Int64, firstTime: Int64, into bytes: inout [UInt8]
    ) {
        let runCoded = timeReference != nil && runOrder != nil && !exactReference && kind != nil && count > 1
        let golomb = timeReference != nil && codec.golomb != nil && kind != nil && count > 1
        let eliasTimes = kind == nil && timeOrder != nil && count > 1
        let version = runCoded || golomb || eliasTimes ? ChunkHeader.runVersion
            : kind == nil || timeReference != nil ? ChunkHeader.referenceVersion
            : count > 0 && codec != .versionOne ? ChunkHeader.codecVersion : ChunkHeader.currentVersion
        let extended = version >= ChunkHeader.codecVersion
        bytes.append(version)
        bytes.append(kind?.rawValue ?? timesOnlyKind)
        guard count > 0 else {
            bytes.append(0)
            if extended { bytes.append(CodecOptions.versionOne.byte) }
            if let timeReference { appendUVarint(UInt64(timeReference), to: &bytes) }
            bytes.append(0)
            return
        }
        var flags = UInt8(scaleExponent)
        if integralFloats { flags |= HeaderFlags.integralFloats }
        if firstTime != minTime { flags |= HeaderFlags.firstNotMin }
        bytes.append(flags)
        if extended { bytes.append(codec.byte | (timeReference != nil && exactReference ? 0x40 : 0)) }
        if eliasTimes, let timeOrder { bytes.append(UInt8(timeOrder) | (timeDeltas && codec.timeGrid ? sequenceDeltas : 0)) }
        if let timeReference { appendUVarint(UInt64(timeReference), to: &bytes) }
        if runCoded || golomb {
            bytes.append(runCoded ? UInt8(runOrder!) : perSampleTimes)
            bytes.append(golomb ? UInt8(codec.golomb!) : windowedValues)
        }
        appendUVarint(UInt64(count), to: &bytes)
        let scale = UInt64(TimeScale.factor(scaleExponent))
        let scaledMin = minTime / Int64(scale)
        appendUVarint(UInt64(bitPattern: (scaledMin << 1) ^ (scaledMin >> 63)), to: &bytes)
        appendUVarint(UInt64(bitPattern: maxTime &- minTime) / scale, to: &bytes)
        if firstTime != minTime {
            appendUVarint(UInt64(bitPattern: firstTime &- minTime) / scale, to: &bytes)
        }
        if extended && codec.timeGrid {
            appendUVarint(UInt64(bitPattern: (gridInterval << 1) ^ (gridInterval >> 63)), to: &bytes)
            appendUVarint(UInt64(bitPattern: (gridOffset << 1) ^ (gridOffset >> 63)), to: &bytes)
        }
        if extended && codec.valueOrder != 2 {
            appendUVarint(UInt64(bitPattern: (codec.bias << 1) ^ (codec.bias >> 63)), to: &bytes)
        }
    }

    static func appendUVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}

/// Bounds-checked byte reads for the header.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func byte() throws(ChunkError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// LEB128, at most ten bytes.
    mutating func uvarint() throws(ChunkError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63, b > 1 { throw .corrupt(reason: "varint overflow") }
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
    }
}
