#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entries kept across scans by id, at most `limit` samples in all (`DecodedClocks`,
/// `DecodedChunks`). When full, random entries go (xorshift: deterministic, no locking of its
/// own): a dashboard cycling through slightly more than fits then still finds most of them,
/// where dropping the oldest first missed every one.
struct RandomlyEvicted<Entry> {
    private var entries: [Int64: (entry: Entry, samples: Int)] = [:]
    /// The keys of `entries`, in no particular order.
    private var ids: [Int64] = []
    private(set) var samples = 0
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    subscript(id: Int64) -> Entry? { entries[id]?.entry }

    /// Keeps `entry`, standing for `count` samples, under `id` (replacing an earlier one), then
    /// drops other entries at random while over the limit.
    mutating func insert(_ id: Int64, _ entry: Entry, samples count: Int) {
        if let old = entries.updateValue((entry, count), forKey: id) {
            samples -= old.samples
        } else {
            ids.append(id)
        }
        samples += count
        while samples > limit, ids.count > 1 {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            let i = Int(random % UInt64(ids.count))
            guard ids[i] != id else { continue }
            if let gone = entries.removeValue(forKey: ids[i]) { samples -= gone.samples }
            ids.swapAt(i, ids.count - 1)
            ids.removeLast()
        }
    }
}

extension RandomlyEvicted: Sendable where Entry: Sendable {}

/// Whether two byte ranges hold the same bytes (the very same memory at once).
func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.isEmpty || a.baseAddress == b.baseAddress || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}
