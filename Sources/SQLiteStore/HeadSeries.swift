import ChunkEncoding
import TimeSeries

/// Identifies one series field inside a database.
struct HeadKey: Hashable, Sendable {
    var series: Int64
    var field: Int64
}

/// The open (unsealed) chunk of one series field: samples sorted by time with unique times,
/// plus the samples written since the last flush in write order (the next log row's share).
struct HeadSeries: Sendable {
    let key: HeadKey
    let type: FieldType
    var times: [Int64] = []
    var values: [FieldValue] = []
    /// Samples since the last flush, encoded as they arrive (nil when none).
    var pending: ChunkAppender?
    /// The first log sequence number holding samples of this head (0 when empty).
    var firstSeq: Int64 = 0
    /// The log sequence number this series field was last sealed at, or a number at least as large.
    var baseSeq: Int64
    /// Monotonic time (ns) of the first sample since the last seal, for the age limit.
    var openedAt: UInt64 = 0

    init(key: HeadKey, type: FieldType, baseSeq: Int64) {
        self.key = key
        self.type = type
        self.baseSeq = baseSeq
    }

    var isEmpty: Bool { times.isEmpty }

    /// Inserts a sample; an equal time replaces the stored value (last write wins).
    @inline(__always)
    mutating func insert(time: Int64, value: FieldValue) {
        if let last = times.last, time <= last {
            insertSlow(time: time, value: value)
        } else {
            times.append(time)
            values.append(value)
        }
    }

    private mutating func insertSlow(time: Int64, value: FieldValue) {
        var lo = 0
        var hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        if lo < times.count && times[lo] == time {
            values[lo] = value
        } else {
            times.insert(time, at: lo)
            values.insert(value, at: lo)
        }
    }

    /// Records a newly written sample for the next log row.
    @inline(__always)
    mutating func log(time: Int64, value: FieldValue, seq: Int64, now: UInt64) {
        if pending == nil {
            pending = ChunkAppender(kind: ChunkValueKind(type))
            if firstSeq == 0 {
                firstSeq = seq
                openedAt = now
            }
        }
        pending!.append(time: time, value.chunkValue)
    }

    /// Empties the head after its samples were sealed at log sequence `seq`.
    mutating func sealed(at seq: Int64) {
        times = []
        values = []
        pending = nil
        firstSeq = 0
        baseSeq = seq
    }

    /// The head's samples as one chunk.
    func encode() -> [UInt8] {
        ChunkCodec.encode(kind: ChunkValueKind(type), times: times, values: values.map(\.chunkValue))
    }

    /// Approximate heap bytes held (for stats and the head-memory benchmark).
    var memoryBytes: Int {
        times.capacity * 8 + values.capacity * MemoryLayout<FieldValue>.stride + (pending?.count ?? 0) * 2
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
