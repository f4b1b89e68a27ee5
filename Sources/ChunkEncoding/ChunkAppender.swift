/// Builds one chunk sample by sample.
///
/// Each append writes the sample's bits straight into one growing word buffer; nothing else
/// is allocated per sample (string chunks also keep a dictionary of distinct strings). Two
/// rare events rewrite the buffer once: a timestamp that breaks the chunk's power-of-ten
/// time scale, and the first non-integral value in a float chunk that so far used the
/// integer codec. Each can happen only a bounded number of times per chunk.
public struct ChunkAppender: Sendable {
    // Stored properties are ordered so that no padding falls between them: every open head of
    // the store holds one of these, so each byte counts once per series field.
    /// Number of samples appended so far.
    public private(set) var count = 0

    var bits = BitWriter()
    var minTime: Int64 = 0
    var maxTime: Int64 = 0
    var firstTime: Int64 = 0
    /// Timestamps are stored divided by 10^scaleExponent; -1 until the first sample picks it.
    var scaleExponent: Int
    var scale: Int64 = 1
    /// Scaled grid interval when `codec.timeGrid`, and the first sample's scaled time.
    var gridInterval: Int64 = 0
    /// Scaled offset of the grid's origin from the first sample's time (the midrange of the
    /// samples' distances from the grid, so they are centred on zero).
    var gridOffset: Int64 = 0
    /// A carried grid interval in ns, converted to the time scale the first sample picks.
    var pendingGridNanos: Int64 = 0
    var firstScaled: Int64 = 0
    var prevScaled: Int64 = 0
    var prevDelta: Int64 = 0
    var floats = FloatState()
    /// What only some chunks need (`Rare`), out of line; nil while nothing of it is set.
    private var rareBox: RareBox?
    /// Version 2's codec options (decimal scale, integer order, time grid, raw floats).
    var codec = CodecOptions()
    var integers = IntegerState()
    public let kind: ChunkValueKind
    /// Float chunk still on the integer codec (every value so far integral, or exact at the
    /// decimal scale).
    var integralFloats: Bool

    /// Float values are stored as value × 10^decimalExponent (0: whole numbers).
    var decimalExponent: Int {
        get { codec.decimalExponent }
        set { codec.decimalExponent = newValue }
    }

    /// The string dictionary of string chunks, and the time reference of version-3 chunks (made
    /// at seal time): 57 bytes that an open float head never uses, held behind one pointer.
    struct Rare: Sendable {
        var strings = StringDictionary()
        /// Version 3: the id of the time sequence the times are coded against, and its times
        /// (sample i is coded against `reference[i]`; empty when `timeReference` is nil).
        var timeReference: Int64?
        var reference: [Int64] = []
        /// Version 3 with every timestamp equal to the reference's: no time bits are written.
        var exactReference = false
        /// Version 4: the run code's order, the chunk's times (a run looks ahead), the samples
        /// left in the current run and whether an exception follows it (`TimeRuns`).
        var runOrder: Int?
        var runTimes: [Int64] = []
        var zerosLeft = 0
        var exceptionPending = false

        /// The samples from `index` on whose times equal the reference's (`time` is sample
        /// `index`'s, checked against the times given to `codeRuns`).
        func runLength(from index: Int, time: Int64) -> Int {
            precondition(index < runTimes.count && runTimes[index] == time, "run-coded time differs from the chunk's times")
            var r = 0
            while index &+ r < runTimes.count && runTimes[index &+ r] == reference[index &+ r] { r &+= 1 }
            return r
        }
    }

    /// Copy-on-write storage of `Rare` (appenders are values: a copied head must not change).
    final class RareBox: @unchecked Sendable {
        var value: Rare
        init(_ value: Rare) { self.value = value }
    }

    var rare: Rare {
        get { rareBox?.value ?? Rare() }
        _modify {
            if rareBox == nil {
                rareBox = RareBox(Rare())
            } else if !isKnownUniquelyReferenced(&rareBox) {
                rareBox = RareBox(rareBox.unsafelyUnwrapped.value)
            }
            yield &rareBox.unsafelyUnwrapped.value
        }
    }

    var strings: StringDictionary {
        get { rare.strings }
        _modify { yield &rare.strings }
    }

    /// The chunk codes its timestamps against a shared clock (it then needs the clock's times
    /// to decode).
    public var referencesClock: Bool { timeReference != nil }

    var timeReference: Int64? {
        get { rareBox?.value.timeReference }
        set { if newValue != nil || rareBox != nil { rare.timeReference = newValue } }
    }

    var reference: [Int64] {
        get { rareBox?.value.reference ?? [] }
        set { if !newValue.isEmpty || rareBox != nil { rare.reference = newValue } }
    }

    var exactReference: Bool {
        get { rareBox?.value.exactReference ?? false }
        set { if newValue || rareBox != nil { rare.exactReference = newValue } }
    }

    var runOrder: Int? { rareBox?.value.runOrder }

    /// Codes the times of the samples to come (exactly `times`, in order) as runs of order `order`.
    mutating func codeRuns(order: Int, times: [Int64]) {
        precondition(count == 0 && timeReference != nil && !exactReference, "runs are chosen before the first sample")
        rare.runOrder = order
        rare.runTimes = times
    }

    /// An empty appender for values of `kind`.
    public init(kind: ChunkValueKind) {
        self.kind = kind
        scaleExponent = -1
        integralFloats = kind == .float
    }

    /// An empty appender with a fixed time scale and float codec (used when rewriting).
    init(kind: ChunkValueKind, scaleExponent: Int, integralFloats: Bool, codec: CodecOptions, gridInterval: Int64, gridOffset: Int64 = 0) {
        self.kind = kind
        self.scaleExponent = scaleExponent
        self.scale = TimeScale.factor(scaleExponent)
        self.integralFloats = integralFloats && kind == .float
        self.codec = Self.normalized(codec, kind: kind, integralFloats: self.integralFloats)
        self.gridInterval = self.codec.timeGrid ? gridInterval : 0
        self.gridOffset = self.codec.timeGrid ? gridOffset : 0
        integers.order = self.codec.valueOrder
        integers.bias = self.codec.bias
        integers.golomb = Int8(self.codec.golomb ?? -1)
    }

    /// An empty version-3 appender: times coded against `reference` (no time grid), starting
    /// at a fixed time scale (lowered, with a rewrite, if a time or reference entry breaks it).
    init(kind: ChunkValueKind, scaleExponent: Int, integralFloats: Bool, codec: CodecOptions, reference: TimeReference) {
        precondition(reference.id >= 0, "time reference ids are not negative")
        var codec = codec
        codec.timeGrid = false
        self.init(kind: kind, scaleExponent: scaleExponent, integralFloats: integralFloats, codec: codec, gridInterval: 0)
        timeReference = reference.id
        self.reference = reference.times
    }

    /// `codec` without the options that do not apply to a chunk of `kind` (scales and integer
    /// orders need the integer codec, raw floats need the float codec).
    static func normalized(_ codec: CodecOptions, kind: ChunkValueKind, integralFloats: Bool) -> CodecOptions {
        var codec = codec
        if !integralFloats {
            codec.decimalExponent = 0
            codec.binaryScale = false
        }
        if kind != .integer && kind != .unsigned && !integralFloats { codec.valueOrder = 2 }
        if kind != .float || integralFloats { codec.rawFloats = false }
        if codec.valueOrder == 2 { codec.bias = 0 }
        if codec.valueOrder == 3 || (kind != .integer && kind != .unsigned && !integralFloats) { codec.golomb = nil }
        return codec
    }

    /// Bytes of storage its bit buffer holds (its capacity, not its contents).
    public var storageBytes: Int { bits.capacityBytes }

    /// Gives back the bit buffer's storage; the next `reset` starts from an empty buffer.
    public mutating func releaseStorage() {
        bits = BitWriter()
    }

    /// Empties the appender for a new chunk of the same kind, keeping its buffer's storage.
    public mutating func reset() {
        count = 0
        bits.removeAll()
        minTime = 0
        maxTime = 0
        firstTime = 0
        scaleExponent = -1
        scale = 1
        integralFloats = kind == .float
        codec = CodecOptions()
        gridInterval = 0
        gridOffset = 0
        pendingGridNanos = 0
        firstScaled = 0
        prevScaled = 0
        prevDelta = 0
        integers = IntegerState()
        floats = FloatState()
        rareBox = nil
    }

    /// Reserves buffer room for about `samples` more samples.
    public mutating func reserveCapacity(_ samples: Int) {
        bits.reserve(bits: samples * 16)
    }

    /// Size of the chunk `finish()` would return now, without the header (for sealing policies).
    public var bodyByteCount: Int { (bits.bitCount + 7) / 8 }

    public mutating func append(time: Int64, float value: Double) {
        precondition(kind == .float, "float value appended to a \(kind) chunk")
        var scaled: Int64? = nil
        if integralFloats {
            scaled = DecimalScale.scaled(value, exponent: decimalExponent, binary: codec.binaryScale)
            if scaled == nil {
                // A finer scale of the same base if one makes the value exact (the first scale:
                // decimal or binary, whichever gives the smaller integer), else the XOR codec.
                var options = codec
                if decimalExponent == 0 {
                    let first = DecimalScale.firstScale(for: value)
                    options.decimalExponent = first?.exponent ?? 0
                    options.binaryScale = first?.binary ?? false
                } else {
                    options.decimalExponent = DecimalScale.exponent(for: value, above: decimalExponent, binary: codec.binaryScale) ?? 0
                }
                let finer: Int? = options.decimalExponent > 0 ? options.decimalExponent : nil
                if count > 0 {
                    rewrite(scaleExponent: scaleExponent, integralFloats: finer != nil, codec: options)
                } else {
                    integralFloats = finer != nil
                    codec = Self.normalized(options, kind: kind, integralFloats: integralFloats)
                    integers.order = codec.valueOrder
                    integers.bias = codec.bias
                    integers.golomb = Int8(codec.golomb ?? -1)
                }
                // The rewrite may itself have moved on (a stored value too large at the finer scale).
                scaled = integralFloats ? DecimalScale.scaled(value, exponent: decimalExponent, binary: codec.binaryScale) : nil
                if integralFloats && scaled == nil {
                    options = codec
                    options.decimalExponent = 0
                    options.binaryScale = false
                    rewrite(scaleExponent: scaleExponent, integralFloats: false, codec: options)
                }
            }
        }
        if integralFloats, integers.constantCoded, scaled.unsafelyUnwrapped != integers.previous { leaveConstant() }
        appendTime(time)
        if integralFloats {
            integers.append(scaled.unsafelyUnwrapped, to: &bits)
        } else if codec.rawFloats {
            bits.write(value.bitPattern, count: 64)
        } else {
            floats.append(value.bitPattern, first: count == 0, to: &bits)
        }
        count &+= 1
    }

    public mutating func append(time: Int64, integer value: Int64) {
        precondition(kind == .integer, "integer value appended to a \(kind) chunk")
        if integers.constantCoded, value != integers.previous { leaveConstant() }
        appendTime(time)
        integers.append(value, to: &bits)
        count &+= 1
    }

    public mutating func append(time: Int64, unsigned value: UInt64) {
        precondition(kind == .unsigned, "unsigned value appended to a \(kind) chunk")
        if integers.constantCoded, Int64(bitPattern: value) != integers.previous { leaveConstant() }
        appendTime(time)
        integers.append(Int64(bitPattern: value), to: &bits)
        count &+= 1
    }

    public mutating func append(time: Int64, boolean value: Bool) {
        precondition(kind == .boolean, "boolean value appended to a \(kind) chunk")
        appendTime(time)
        bits.write(bit: value)
        count &+= 1
    }

    public mutating func append(time: Int64, string value: String) {
        precondition(kind == .string, "string value appended to a \(kind) chunk")
        appendTime(time)
        // The dictionary lives in the out-of-line box: move it out (no copy) beside `bits`.
        var dictionary = StringDictionary()
        swap(&dictionary, &strings)
        dictionary.append(value, first: count == 0, to: &bits)
        swap(&dictionary, &strings)
        count &+= 1
    }

    /// Appends a value of any kind; the value's kind must equal the chunk's.
    public mutating func append(time: Int64, _ value: ChunkValue) {
        switch value {
        case .float(let v): append(time: time, float: v)
        case .integer(let v): append(time: time, integer: v)
        case .unsigned(let v): append(time: time, unsigned: v)
        case .boolean(let v): append(time: time, boolean: v)
        case .string(let v): append(time: time, string: v)
        }
    }

    /// The complete chunk (header and samples) as it stands; the appender stays usable.
    public func finish() -> [UInt8] {
        var bytes: [UInt8] = []
        finish(into: &bytes)
        return bytes
    }

    /// Writes the complete chunk into `bytes` (emptied first, its storage reused).
    public func finish(into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(24 + bits.bitCount / 8)
        ChunkLayout.write(
            kind: kind, count: count, scaleExponent: max(scaleExponent, 0),
            integralFloats: integralFloats && count > 0, codec: codec, gridInterval: gridInterval, gridOffset: gridOffset,
            timeReference: timeReference, exactReference: exactReference, runOrder: runOrder, minTime: minTime, maxTime: maxTime, firstTime: firstTime, into: &bytes)
        bits.copyBytes(into: &bytes)
    }

    /// A value that differs from the constant of an order-3 chunk: the samples so far are
    /// re-encoded with order 0 (the same bias, so they cost a bit each) and appending goes on.
    mutating func leaveConstant() {
        var options = codec
        options.valueOrder = 0
        rewrite(scaleExponent: scaleExponent, integralFloats: integralFloats, codec: options)
    }

    /// The exact double ⇄ Int64 mapping the integer codec may carry: |v| ≤ 2^53, whole, not -0.0.
    @inline(__always)
    static func integral(_ v: Double) -> Int64? {
        guard v.magnitude <= 9_007_199_254_740_992.0 else { return nil }
        let i = Int64(v)
        guard Double(i) == v, !(i == 0 && v.sign == .minus) else { return nil }
        return i
    }
}
