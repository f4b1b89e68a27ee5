import ChunkEncoding
import TimeSeries

/// Identifies one series field inside a database.
struct HeadKey: Hashable, Sendable {
    var series: Int64
    var field: Int64
}

/// The open (unsealed) chunk of one series field.
///
/// Samples arriving in time order are appended to a compressed chunk (`ordered`, as Prometheus'
/// head does); a sample at or before the newest time goes to `late`, a small sorted array that
/// wins over `ordered` on equal times. Sealing writes `ordered` as it is when nothing came late.
struct HeadSeries: Sendable {
    // Ordered so that no padding falls between stored properties (one per series field).
    let key: HeadKey
    let type: FieldType
    /// The ref slot handed out for this series field (`noRef`: none yet, e.g. a head the log
    /// replay opened). Fits in the padding after `type`, so a separate map is not needed.
    var refSlot = HeadSeries.noRef
    static let noRef = UInt32.max
    private var storedCount: Int32 = 0
    /// Seals since the codec options were last chosen (`ChunkAppender.optimized()`), and the
    /// body bits per sample then: the next chunks stream with the chosen options, and the
    /// choice is made again every `evaluationInterval` seals or when a chunk grows 10 % denser.
    private var storedSealsSinceEvaluation = Int32.max
    private(set) var ordered: ChunkAppender
    private(set) var late: [Sample] = []
    private(set) var minTime = Int64.max
    private(set) var maxTime = Int64.min
    /// The first log sequence number holding samples of this head (0 when empty).
    var firstSeq: Int64 = 0
    /// The log sequence number this series field was last sealed at, or a number at least as large.
    var baseSeq: Int64
    /// Monotonic time (ns) of the first sample since the last seal, for the age limit.
    var openedAt: UInt64 = 0
    var evaluatedBitsPerSample = 0.0
    static let evaluationInterval = 8
    /// More bytes than any numeric or boolean sample takes in a chunk body (a time of up to 68
    /// bits and a value of up to 77): below `chunkBytes / maxBytesPerSample` samples, such a
    /// head cannot have reached `chunkBytes`. String samples have no bound.
    static let maxBytesPerSample = 32

    /// Samples in the head (an upper bound when some came late: see `insertLate`).
    private(set) var count: Int {
        get { Int(storedCount) }
        set { storedCount = Int32(newValue) }
    }

    var sealsSinceEvaluation: Int {
        get { storedSealsSinceEvaluation == .max ? .max : Int(storedSealsSinceEvaluation) }
        set { storedSealsSinceEvaluation = newValue >= Int(Int32.max) ? .max : Int32(newValue) }
    }

    /// What a seal wrote and the options the next chunk streams with.
    struct Sealed {
        var count: Int
        var options: ChunkOptions
        var evaluated: Bool
        var bitsPerSample: Double
    }

    init(key: HeadKey, type: FieldType, baseSeq: Int64) {
        self.key = key
        self.type = type
        self.baseSeq = baseSeq
        ordered = ChunkAppender(kind: ChunkValueKind(type))
    }

    var isEmpty: Bool { count == 0 }

    /// Inserts a sample; an equal time replaces the stored value (last write wins).
    @inline(__always)
    mutating func insert(time: Int64, value: FieldValue) {
        if time > maxTime {
            ordered.append(time: time, value)
            maxTime = time
            if time < minTime { minTime = time }
            count += 1
        } else {
            insertLate(Sample(time: time, value: value))
        }
    }

    /// A late (or repeated) sample: a binary search and an insert into `late`, never a decode
    /// of `ordered`, so a replay of stored data costs O(log n) per sample. `count` may then
    /// include a time that is also in `ordered` (it is an upper bound used for sealing);
    /// `encode` and `samples` merge exactly.
    private mutating func insertLate(_ sample: Sample) {
        var lo = 0
        var hi = late.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if late[mid].time < sample.time { lo = mid + 1 } else { hi = mid }
        }
        if lo < late.count && late[lo].time == sample.time {
            late[lo] = sample
            return
        }
        if lo == late.count {
            late.append(sample)
        } else {
            late.insert(sample, at: lo)
        }
        if sample.time < minTime { minTime = sample.time }
        count += 1
    }

    /// Notes a write at log sequence `seq` (the flush that will log it).
    @inline(__always)
    mutating func touch(seq: Int64, now: UInt64) {
        if firstSeq == 0 {
            firstSeq = seq
            openedAt = now
        }
    }

    /// A sealed head keeps its appender's buffer up to this many bytes: twice the default
    /// `chunkBytes`, which live ingest stays under between two flushes. A bulk load (a `/write`
    /// of thousands of one series' samples, an import) grows it far beyond; kept, that was 64 KiB
    /// per series field for as long as the server ran.
    static let keptStorageBytes = 16 << 10

    /// Empties the head after its samples were sealed at log sequence `seq`; returns the bytes of
    /// appender storage given back.
    @discardableResult
    mutating func sealed(at seq: Int64, _ result: Sealed? = nil) -> Int {
        // The appender keeps its buffer (the next chunk of this series field reuses it) unless a
        // burst grew it beyond what a chunk needs.
        var released = 0
        if ordered.storageBytes > Self.keptStorageBytes {
            released = ordered.storageBytes
            ordered.releaseStorage()
        }
        if let result {
            ordered.reset(carrying: result.options)
            if result.evaluated {
                sealsSinceEvaluation = 0
                evaluatedBitsPerSample = result.bitsPerSample
            } else if sealsSinceEvaluation < Int.max {
                sealsSinceEvaluation += 1
            }
        } else {
            ordered.reset()
        }
        if !late.isEmpty { late = [] }
        count = 0
        minTime = Int64.max
        maxTime = Int64.min
        firstSeq = 0
        baseSeq = seq
        return released
    }

    /// Writes the head's samples as one chunk (sorted, unique times) into `bytes`, reusing its
    /// storage. The codec options are chosen again (a re-encode when that pays) on the first
    /// seal, every `evaluationInterval` seals, and when the chunk is 10 % denser than when they
    /// were last chosen; otherwise the chunk is written as it streamed.
    @discardableResult
    func encode(into bytes: inout [UInt8]) -> Sealed {
        if late.isEmpty {
            let bitsPerSample = Double(ordered.bodyBitCount) / Double(Swift.max(ordered.count, 1))
            let evaluate = sealsSinceEvaluation >= Self.evaluationInterval || bitsPerSample > evaluatedBitsPerSample * 1.1
            let chosen = evaluate ? ordered.optimized() : ordered
            chosen.finish(into: &bytes)
            let chosenBits = Double(chosen.bodyBitCount) / Double(Swift.max(chosen.count, 1))
            return Sealed(count: chosen.count, options: chosen.options, evaluated: evaluate, bitsPerSample: chosenBits)
        }
        let merged = samples()
        bytes = ChunkCodec.encode(kind: ChunkValueKind(type), times: merged.map(\.time), values: merged.map(\.value.chunkValue))
        return Sealed(count: merged.count, options: ordered.options, evaluated: false, bitsPerSample: 0)
    }

    /// The head as one chunk row a scan decodes like a sealed one (straight into float columns,
    /// or counted whole from its header): possible while every sample is in the ordered stream
    /// (none came late) and it codes its own times. Its seq outranks every sealed chunk's, as
    /// the head does.
    func chunkRow() -> ChunkRow? {
        guard late.isEmpty, ordered.count > 0, !ordered.referencesClock else { return nil }
        return ChunkRow(minTime: minTime, maxTime: maxTime, seq: Int64.max, data: ordered.finish(), count: ordered.count)
    }

    /// The head's samples sorted by time with unique times.
    func samples() -> [Sample] {
        var out: [Sample] = []
        out.reserveCapacity(count)
        var lateIndex = 0
        if ordered.count > 0, let decoded = try? ChunkCodec.decode(ordered.finish()) {
            for (time, value) in zip(decoded.times, decoded.values) {
                while lateIndex < late.count && late[lateIndex].time < time {
                    out.append(late[lateIndex])
                    lateIndex += 1
                }
                if lateIndex < late.count && late[lateIndex].time == time {
                    out.append(late[lateIndex])
                    lateIndex += 1
                } else {
                    out.append(Sample(time: time, value: FieldValue(value)))
                }
            }
        }
        out.append(contentsOf: late[lateIndex...])
        return out
    }

    /// Approximate heap bytes held (for stats and the head-memory benchmark).
    var memoryBytes: Int {
        ordered.finish().count + late.capacity * MemoryLayout<Sample>.stride
    }
}

extension ChunkValueKind {
    init(_ type: FieldType) {
        switch type {
        case .float: self = .float
        case .integer: self = .integer
        case .unsigned: self = .unsigned
        case .boolean: self = .boolean
        case .string: self = .string
        }
    }
}

extension FieldValue {
    var chunkValue: ChunkValue {
        switch self {
        case .float(let v): .float(v)
        case .integer(let v): .integer(v)
        case .unsigned(let v): .unsigned(v)
        case .boolean(let v): .boolean(v)
        case .string(let v): .string(v)
        }
    }

    init(_ value: ChunkValue) {
        switch value {
        case .float(let v): self = .float(v)
        case .integer(let v): self = .integer(v)
        case .unsigned(let v): self = .unsigned(v)
        case .boolean(let v): self = .boolean(v)
        case .string(let v): self = .string(v)
        }
    }
}

extension ChunkAppender {
    @inline(__always)
    mutating func append(time: Int64, _ value: FieldValue) {
        switch value {
        case .float(let v): append(time: time, float: v)
        case .integer(let v): append(time: time, integer: v)
        case .unsigned(let v): append(time: time, unsigned: v)
        case .boolean(let v): append(time: time, boolean: v)
        case .string(let v): append(time: time, string: v)
        }
    }
}
