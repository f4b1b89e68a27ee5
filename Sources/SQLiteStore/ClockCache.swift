import ChunkEncoding

/// The clocks (shared time sequences, rows of `times`) this process wrote recently, so that the
/// next seals of series written together find them.
///
/// Series written together seal together: the data sources of one value list carry the same
/// timestamps, and the value lists of one collectd plugin read mostly the same (about 90 % of
/// samples to the millisecond in the committed recording). A seal first looks for a clock with
/// exactly its timestamps (a hash lookup), then among the clocks with its count and its first or
/// last time for the one its timestamps differ least from. Entries keep the encoded clock only
/// (a few hundred bytes); the oldest are forgotten beyond `capacity`.
struct ClockCache {
    struct Entry {
        var id: Int64
        var count: Int
        var minTime: Int64
        var maxTime: Int64
        var hash: Int
        var data: [UInt8]
    }

    static let capacity = 4096

    private var entries: [Int64: Entry] = [:]
    private var byHash: [Int: [Int64]] = [:]
    private var byStart: [Key: [Int64]] = [:]
    private var byEnd: [Key: [Int64]] = [:]
    private var order: [Int64] = []
    private var orderStart = 0

    private struct Key: Hashable {
        var count: Int
        var time: Int64
    }

    var count: Int { entries.count }

    static func hash(_ times: [Int64]) -> Int {
        var hasher = Hasher()
        hasher.combine(times.count)
        for time in times { hasher.combine(time) }
        return hasher.finalize()
    }

    /// Caches clock `id` holding `times` (`hash`: `ClockCache.hash(times)`), encoded as `data`.
    mutating func add(id: Int64, times: [Int64], hash: Int, data: [UInt8]) {
        guard let first = times.first, let last = times.last else { return }
        let entry = Entry(id: id, count: times.count, minTime: first, maxTime: last, hash: hash, data: data)
        entries[id] = entry
        byHash[entry.hash, default: []].append(id)
        byStart[Key(count: entry.count, time: first), default: []].append(id)
        byEnd[Key(count: entry.count, time: last), default: []].append(id)
        order.append(id)
        while entries.count > Self.capacity, orderStart < order.count {
            remove(id: order[orderStart])
            orderStart += 1
        }
        if orderStart > Self.capacity {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    mutating func remove(id: Int64) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        byHash[entry.hash]?.removeAll { $0 == id }
        if byHash[entry.hash]?.isEmpty == true { byHash[entry.hash] = nil }
        let start = Key(count: entry.count, time: entry.minTime)
        byStart[start]?.removeAll { $0 == id }
        if byStart[start]?.isEmpty == true { byStart[start] = nil }
        let end = Key(count: entry.count, time: entry.maxTime)
        byEnd[end]?.removeAll { $0 == id }
        if byEnd[end]?.isEmpty == true { byEnd[end] = nil }
    }

    mutating func removeAll() {
        self = ClockCache()
    }

    /// The clock with exactly `times` (`hash`: `ClockCache.hash(times)`), if one is cached.
    func exact(_ times: [Int64], hash: Int) -> (id: Int64, times: [Int64])? {
        for id in byHash[hash] ?? [] {
            guard let entry = entries[id], let decoded = try? ChunkCodec.decodeTimes(entry.data), decoded == times else { continue }
            return (id, decoded)
        }
        return nil
    }

    /// The cached clock of the same length starting or ending where `times` does whose
    /// differences from `times` cost the fewest bits, with that cost. Candidates are ranked by
    /// version 3's per-sample cost (one pass, no allocation); the winner's cost is the smaller of
    /// that and version 4's run code (costing runs for all 16 candidates doubled a flush).
    func nearest(_ times: [Int64]) -> (id: Int64, times: [Int64], bits: Int)? {
        guard let first = times.first, let last = times.last else { return nil }
        var ids = byStart[Key(count: times.count, time: first)] ?? []
        for id in byEnd[Key(count: times.count, time: last)] ?? [] where !ids.contains(id) { ids.append(id) }
        var best: (id: Int64, times: [Int64], bits: Int)?
        for id in ids.suffix(16) {
            guard let entry = entries[id], let decoded = try? ChunkCodec.decodeTimes(entry.data) else { continue }
            let bits = ChunkCodec.perSampleTimeBits(times, reference: decoded)
            if best == nil || bits < best!.bits { best = (id, decoded, bits) }
        }
        guard var found = best, found.bits > 0 else { return best }
        found.bits = ChunkCodec.referenceTimeBits(times, reference: found.times)
        return found
    }
}
