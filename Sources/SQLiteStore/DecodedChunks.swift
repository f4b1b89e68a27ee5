import ChunkEncoding
import Synchronization

/// Float chunks decoded by earlier scans, at most `limit` samples (4 MiB of times and values per
/// database file): a dashboard asks for the same sealed chunks at every refresh, and decoding
/// them was the largest part of a host panel's answer (9–17 %). Only chunks of `minimumSamples`
/// or more are kept: a chunk of a few samples decodes for less than keeping it costs (a count
/// over 130 000 series of 3 samples each would have churned through the cache).
///
/// An entry counts only for the same bytes: it is keyed by the chunk's row id and holds the
/// chunk's bytes and the clock times it was decoded against, and a lookup compares both (the
/// row may have been rewritten since, packed or deleted and its id reused). Any change to a
/// chunk is a change to its bytes or its clock, so an entry can never answer for other data.
/// When full, a random entry goes (as `DecodedClocks`): a fleet-wide query over more chunks
/// than fit then replaces some entries instead of all the oldest.
final class DecodedChunks: Sendable {
    struct Entry {
        var data: [UInt8]
        var reference: [Int64]?
        var times: [Int64]
        var values: [Double]
    }

    private let state: Mutex<RandomlyEvicted<Entry>>
    let limit: Int
    let minimumSamples: Int

    init(limit: Int = 1 << 18, minimumSamples: Int = 64) {
        state = Mutex(RandomlyEvicted(limit: limit))
        self.limit = limit
        self.minimumSamples = minimumSamples
    }

    /// Whether `row` is one this cache keeps: a sealed chunk (a head's has no id) of enough samples,
    /// at most an eighth of the limit.
    func keeps(_ row: ChunkRow) -> Bool {
        row.id > 0 && row.count >= minimumSamples && row.count <= limit / 8
    }

    /// The decoded times and values of `row`, when an entry has its bytes and clock.
    func lookup(_ row: ChunkRow) -> (times: [Int64], values: [Double])? {
        guard keeps(row) else { return nil }
        return state.withLock { s -> (times: [Int64], values: [Double])? in
            guard let entry = s[row.id], Self.same(entry.data, row.data), Self.same(entry.reference, row.reference) else { return nil }
            return (entry.times, entry.values)
        }
    }

    /// Keeps `row`'s decoded samples (every sample of the chunk, in time order).
    func insert(_ row: ChunkRow, times: [Int64], values: [Double]) {
        guard keeps(row), times.count == values.count else { return }
        state.withLock { $0.insert(row.id, Entry(data: row.data, reference: row.reference, times: times, values: values), samples: times.count) }
    }

    /// Samples held (tests, memory figures).
    var samples: Int { state.withLock { $0.samples } }

    static func same<T: BitwiseCopyable>(_ a: [T], _ b: [T]) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in sameBytes(x, y) } }
    }

    /// The same clock times (most often the very same array, from `DecodedClocks`).
    static func same(_ a: [Int64]?, _ b: [Int64]?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): same(x, y)
        default: false
        }
    }
}

extension DecodedChunks {
    /// Appends the samples of `row` in `[from, through]`: from an entry, or decoded whole and
    /// kept. False, with nothing appended, for a chunk the cache does not keep (`keeps`), one
    /// that is not a float chunk, or one whose whole decode fails (the caller then decodes just
    /// the range, as without a cache, and reports what is wrong in it).
    func appendFloats(_ row: ChunkRow, from: Int64, through end: Int64, times: inout [Int64], values: inout [Double]) -> Bool {
        guard keeps(row) else { return false }
        let decoded: (times: [Int64], values: [Double])
        if let hit = lookup(row) {
            decoded = hit
        } else {
            var t: [Int64] = [], v: [Double] = []
            guard (try? ChunkCodec.appendFloats(row.data, from: .min, through: .max, times: &t, values: &v, reference: row.reference)) == true
            else { return false }
            insert(row, times: t, values: v)
            decoded = (t, v)
        }
        let lower = Self.lowerBound(decoded.times, from)
        let upper = end == .max ? decoded.times.count : Self.lowerBound(decoded.times, end &+ 1)
        if lower < upper {
            times.append(contentsOf: decoded.times[lower..<upper])
            values.append(contentsOf: decoded.values[lower..<upper])
        }
        return true
    }

    /// The first index whose time is at least `t` (times ascend).
    static func lowerBound(_ times: [Int64], _ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if times[mid] < t { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }
}
