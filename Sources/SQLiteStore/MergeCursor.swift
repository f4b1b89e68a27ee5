import ChunkEncoding
import TimeSeries

/// One sealed chunk row as a scan reads it (the blob stays compressed until its turn).
struct ChunkRow {
    var minTime: Int64
    var maxTime: Int64
    var seq: Int64
    var data: [UInt8]
    /// The clock's times when the chunk codes its timestamps against one.
    var reference: [Int64]? = nil
    /// Samples in the chunk (its header's count).
    var count = 0
    /// The stored `ChunkSummary` bytes (schema 7, float chunks of enough samples), else nil.
    var summary: [UInt8]? = nil
    /// The row's id in `chunks`; 0 for a head's chunk, which `DecodedChunks` does not keep.
    var id: Int64 = 0
}

/// Streams one series field: sealed chunks and the head merged in time order.
///
/// Chunks are grouped into clusters of overlapping time spans; a cluster is decoded only when the
/// cursor reaches it. Within a cluster an equal time keeps the newest sample: the head over any
/// chunk, a later-sealed chunk (higher seq) over an earlier one.
struct MergeCursor: SampleCursor {
    private enum Source {
        case chunk(ChunkRow)
        case head([Sample])

        var priority: Int64 {
            if case .chunk(let row) = self { return row.seq }
            return Int64.max
        }
    }

    private struct Cluster {
        var minTime: Int64
        var maxTime: Int64
        var sources: [Source]
    }

    private var clusters: [Cluster] = []
    private var nextCluster = 0
    private var buffer: [Sample] = []
    private var position = 0
    private let range: TimeRange
    private let descending: Bool
    private let file: String
    /// The field is a float field, so its chunks are float chunks (the fast path may try them).
    private let isFloat: Bool
    /// Where the float fast path finds and keeps decoded sealed chunks (nil: it decodes each).
    private let decodedChunks: DecodedChunks?

    init(chunks: [ChunkRow], head: [Sample]?, range: TimeRange, descending: Bool, file: String, isFloat: Bool = false,
         decodedChunks: DecodedChunks? = nil) {
        self.range = range
        self.descending = descending
        self.file = file
        self.isFloat = isFloat
        self.decodedChunks = decodedChunks
        var spans: [(min: Int64, max: Int64, source: Source)] = chunks.map { ($0.minTime, $0.maxTime, .chunk($0)) }
        if let head, let first = head.first?.time, let last = head.last?.time, first <= range.max, last >= range.min {
            spans.append((first, last, .head(head)))
        }
        spans.sort { $0.min < $1.min }
        for span in spans {
            if var last = clusters.last, span.min <= last.maxTime {
                last.maxTime = max(last.maxTime, span.max)
                last.sources.append(span.source)
                clusters[clusters.count - 1] = last
            } else {
                clusters.append(Cluster(minTime: span.min, maxTime: span.max, sources: [span.source]))
            }
        }
        if descending { clusters.reverse() }
    }

    var pointsAhead: Int {
        var n = buffer.count - position
        for cluster in clusters[nextCluster...] {
            for source in cluster.sources {
                switch source {
                case .chunk(let row): n += Self.estimate(row, in: range)
                case .head(let head): n += head.count { range.contains($0.time) }
                }
            }
        }
        return n
    }

    /// `row`'s samples in `range`, supposing them evenly spread over the chunk's time span.
    static func estimate(_ row: ChunkRow, in range: TimeRange) -> Int {
        if row.minTime >= range.min && row.maxTime <= range.max { return row.count }
        let lo = max(row.minTime, range.min), hi = min(row.maxTime, range.max)
        guard lo <= hi else { return 0 }
        let span = Double(row.maxTime) - Double(row.minTime)
        guard span > 0 else { return row.count }
        return Int((Double(row.count) * (Double(hi) - Double(lo)) / span).rounded(.up))
    }

    mutating func next() throws -> Sample? {
        while position == buffer.count {
            guard nextCluster < clusters.count else { return nil }
            buffer = try materialise(clusters[nextCluster])
            clusters[nextCluster].sources = []
            nextCluster += 1
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// Decodes a cluster of one float chunk straight into the arrays; other clusters go through
    /// `Sample`s. Stops before the first non-float sample, leaving it to `next()`.
    mutating func appendFloats(times: inout [Int64], values: inout [Double]) throws -> Bool {
        var weights: [Int] = []
        return try appendFloats(times: &times, values: &values, weights: &weights, request: nil).done
    }

    mutating func appendFloats(times: inout [Int64], values: inout [Double], weights: inout [Int],
                               summarizing request: SummaryRequest) throws -> (done: Bool, samples: Int, chunks: Int) {
        try appendFloats(times: &times, values: &values, weights: &weights, request: request)
    }

    /// The float fast path, with chunks `request` covers appended as one entry each.
    private mutating func appendFloats(times: inout [Int64], values: inout [Double], weights: inout [Int],
                                       request: SummaryRequest?) throws -> (done: Bool, samples: Int, chunks: Int) {
        guard isFloat, !descending else { return (false, 0, 0) }
        let counting = request?.aggregate == .count
        var samples = 0, chunks = 0
        if request == nil {
            // Room for every sample ahead at once (at most that many lie in the range).
            var ahead = buffer.count - position
            for cluster in clusters[nextCluster...] {
                for source in cluster.sources {
                    switch source {
                    case .chunk(let row): ahead += row.count
                    case .head(let head): ahead += head.count
                    }
                }
            }
            times.reserveCapacity(times.count + ahead)
            values.reserveCapacity(values.count + ahead)
        }
        while true {
            while position < buffer.count {
                guard case .float(let v) = buffer[position].value else { return (false, samples, chunks) }
                times.append(buffer[position].time)
                values.append(v)
                if counting { weights.append(1) }
                samples += 1
                position += 1
            }
            guard nextCluster < clusters.count else { return (true, samples, chunks) }
            let cluster = clusters[nextCluster]
            clusters[nextCluster].sources = []
            nextCluster += 1
            buffer = []
            position = 0
            if cluster.sources.count == 1, case .chunk(let row) = cluster.sources[0] {
                if let request, try appendSummary(row, request, times: &times, values: &values, weights: &weights) {
                    samples += range.contains(row.maxTime) ? row.count : row.count - 1
                    chunks += 1
                    continue
                }
                let before = times.count
                var decoded = decodedChunks?.appendFloats(row, from: range.min, through: range.max, times: &times, values: &values) ?? false
                if !decoded {
                    do {
                        decoded = try ChunkCodec.appendFloats(row.data, from: range.min, through: range.max, times: &times, values: &values,
                                                              reference: row.reference)
                    } catch {
                        throw SQLiteStoreError.corruptData(file: file, reason: "chunk seq \(row.seq) [\(row.minTime), \(row.maxTime)]: \(error)")
                    }
                }
                if decoded {
                    samples += times.count - before
                    if counting { weights.append(contentsOf: repeatElement(1, count: times.count - before)) }
                    continue
                }
            }
            buffer = try materialise(cluster)
        }
    }

    /// Appends the entries standing for `row` under `request`, or returns false (nothing
    /// appended) when the chunk must be decoded. A chunk wholly in one bucket is one entry; one
    /// whose body (all but its last sample) is in one bucket, e.g. a chunk closed by the first
    /// sample of the next window, is one entry for the body and the last sample as it is.
    /// Count needs no summary for a whole chunk (the header's count is enough).
    private func appendSummary(_ row: ChunkRow, _ request: SummaryRequest, times: inout [Int64],
                               values: inout [Double], weights: inout [Int]) throws -> Bool {
        guard row.count > 1, row.minTime >= range.min, row.minTime < row.maxTime else { return false }
        let whole = row.maxTime <= range.max && request.covers(row.minTime, row.maxTime)
        if whole && request.aggregate == .count {
            times.append(row.minTime)
            values.append(0)
            weights.append(row.count)
            return true
        }
        guard let bytes = row.summary else { return false }
        let s: ChunkSummary
        do {
            s = try ChunkSummary(decoding: bytes)
        } catch {
            throw SQLiteStoreError.corruptData(file: file, reason: "summary of chunk seq \(row.seq) [\(row.minTime), \(row.maxTime)]: \(error)")
        }
        let bodyEnd = row.maxTime - s.tailGap
        guard whole || (bodyEnd >= row.minTime && bodyEnd <= range.max && request.covers(row.minTime, bodyEnd)) else { return false }
        switch (request.aggregate, whole) {
        case (.count, _): times.append(row.minTime); values.append(0); weights.append(row.count - 1)
        case (.first, _): times.append(row.minTime); values.append(s.first)
        case (.last, true): times.append(row.maxTime); values.append(s.last)
        case (.last, false): times.append(bodyEnd); values.append(s.bodyLast)
        case (.min, true): times.append(row.minTime); values.append(s.min)
        case (.min, false): times.append(row.minTime); values.append(s.bodyMin)
        case (.max, true): times.append(row.minTime); values.append(s.max)
        case (.max, false): times.append(row.minTime); values.append(s.bodyMax)
        }
        // The last sample on its own, where decoding would give it.
        if !whole && range.contains(row.maxTime) {
            times.append(row.maxTime)
            values.append(s.last)
            if request.aggregate == .count { weights.append(1) }
        }
        return true
    }

    private func materialise(_ cluster: Cluster) throws(SQLiteStoreError) -> [Sample] {
        var samples: [Sample]
        if cluster.sources.count == 1 {
            samples = try decode(cluster.sources[0])
        } else {
            var tagged: [(sample: Sample, priority: Int64)] = []
            for source in cluster.sources {
                let priority = source.priority
                for sample in try decode(source) { tagged.append((sample, priority)) }
            }
            tagged.sort { $0.sample.time != $1.sample.time ? $0.sample.time < $1.sample.time : $0.priority > $1.priority }
            samples = []
            samples.reserveCapacity(tagged.count)
            for entry in tagged where samples.last?.time != entry.sample.time {
                samples.append(entry.sample)
            }
        }
        if descending { samples.reverse() }
        return samples
    }

    /// The source's samples inside the range, ascending.
    private func decode(_ source: Source) throws(SQLiteStoreError) -> [Sample] {
        var out: [Sample] = []
        switch source {
        case .head(let samples):
            out = samples.filter { range.contains($0.time) }
        case .chunk(let row):
            let decoded: (times: [Int64], values: [ChunkValue])
            do {
                decoded = try ChunkCodec.decode(row.data, reference: row.reference)
            } catch {
                throw .corruptData(file: file, reason: "chunk seq \(row.seq) [\(row.minTime), \(row.maxTime)]: \(error)")
            }
            out.reserveCapacity(decoded.times.count)
            for i in decoded.times.indices where range.contains(decoded.times[i]) {
                out.append(Sample(time: decoded.times[i], value: FieldValue(decoded.values[i])))
            }
        }
        return out
    }
}
