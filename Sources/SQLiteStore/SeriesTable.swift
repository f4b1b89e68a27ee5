import TimeSeries

/// Series keys by id and ids by key, in about a third of the memory of two dictionaries.
///
/// The entries sit in one dense array (in no particular order: a removal moves the last entry
/// into the hole), and two open-addressing tables of 32-bit positions find them, one by the
/// key's hash and one by the id. Each entry keeps its key's hash, so a probe compares integers
/// before it compares tags, and growing rehashes integers. Two `[HashedSeriesKey: Int64]` and
/// `[Int64: SeriesKey]` dictionaries took 40 + 32 bytes per bucket: 18.9 MB at 78 000 series,
/// against about 7 MB here. A value type: index snapshots share it copy-on-write.
struct SeriesTable: Sendable {
    struct Entry: Sendable {
        var id: Int64
        var hash: Int
        var key: SeriesKey
    }

    private(set) var entries: [Entry] = []
    /// Positions in `entries`; `empty` or `removed` in free slots. Both tables have the same
    /// size and the same number of `removed` slots.
    private var byKey: [Int32] = []
    private var byID: [Int32] = []
    private var removedSlots = 0
    private static let empty: Int32 = -1
    private static let removed: Int32 = -2

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    private var mask: Int { byKey.count - 1 }

    @inline(__always)
    private static func slot(ofID id: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: id) &* 0x9E37_79B9_7F4A_7C15) >> 17)
    }

    /// The key of series `id`.
    subscript(id: Int64) -> SeriesKey? {
        position(ofID: id).map { entries[$0].key }
    }

    /// The id of the series `key`.
    func id(of key: SeriesKey) -> Int64? {
        id(of: key, hash: key.hashValue)
    }

    func id(of key: SeriesKey, hash: Int) -> Int64? {
        guard !byKey.isEmpty else { return nil }
        var slot = hash & mask
        while true {
            let p = byKey[slot]
            if p == Self.empty { return nil }
            if p >= 0 {
                let entry = entries[Int(p)]
                if entry.hash == hash && entry.key == key { return entry.id }
            }
            slot = (slot &+ 1) & mask
        }
    }

    private func position(ofID id: Int64) -> Int? {
        guard !byID.isEmpty else { return nil }
        var slot = Self.slot(ofID: id) & mask
        while true {
            let p = byID[slot]
            if p == Self.empty { return nil }
            if p >= 0 && entries[Int(p)].id == id { return Int(p) }
            slot = (slot &+ 1) & mask
        }
    }

    /// Adds series `id` with `key`, replacing what either had.
    mutating func insert(id: Int64, key: SeriesKey) {
        let hash = key.hashValue
        if let existing = self.id(of: key, hash: hash), existing != id { remove(id: existing) }
        if let p = position(ofID: id) {
            remove(id: entries[p].id)
        }
        if (entries.count + removedSlots + 1) * 2 > byKey.count { rebuild(minimumCount: entries.count + 1) }
        let p = Int32(entries.count)
        entries.append(Entry(id: id, hash: hash, key: key))
        Self.place(p, in: &byKey, from: hash)
        Self.place(p, in: &byID, from: Self.slot(ofID: id))
    }

    /// Removes series `id`; its key, if it was there.
    @discardableResult
    mutating func remove(id: Int64) -> SeriesKey? {
        guard let p = position(ofID: id) else { return nil }
        let entry = entries[p]
        let keySlot = Self.slot(of: p, in: byKey, from: entry.hash)
        let idSlot = Self.slot(of: p, in: byID, from: Self.slot(ofID: id))
        byKey[keySlot] = Self.removed
        byID[idSlot] = Self.removed
        removedSlots += 1
        let last = entries.count - 1
        if p != last {
            let moved = entries[last]
            let movedKeySlot = Self.slot(of: last, in: byKey, from: moved.hash)
            let movedIDSlot = Self.slot(of: last, in: byID, from: Self.slot(ofID: moved.id))
            byKey[movedKeySlot] = Int32(p)
            byID[movedIDSlot] = Int32(p)
            entries[p] = moved
        }
        entries.removeLast()
        return entry.key
    }

    // Static, with the mask taken from the table: a method of `self` taking `&byKey` would
    // see `self` copied for the call, so the table was no longer uniquely referenced and every
    // placement copied it (quadratic: 271 000 series took 150 s to create).
    /// The slot holding position `p` (which must be there).
    private static func slot(of p: Int, in table: [Int32], from start: Int) -> Int {
        let mask = table.count - 1
        var slot = start & mask
        while table[slot] != Int32(p) { slot = (slot &+ 1) & mask }
        return slot
    }

    private static func place(_ p: Int32, in table: inout [Int32], from start: Int) {
        let mask = table.count - 1
        var slot = start & mask
        while table[slot] >= 0 { slot = (slot &+ 1) & mask }
        table[slot] = p
    }

    /// New tables with room for `minimumCount` entries at a load of at most one half.
    private mutating func rebuild(minimumCount: Int) {
        var size = 16
        while size < minimumCount * 2 { size *= 2 }
        if size == byKey.count && removedSlots == 0 { size *= 2 }
        byKey = Array(repeating: Self.empty, count: size)
        byID = Array(repeating: Self.empty, count: size)
        removedSlots = 0
        for (p, entry) in entries.enumerated() {
            Self.place(Int32(p), in: &byKey, from: entry.hash)
            Self.place(Int32(p), in: &byID, from: Self.slot(ofID: entry.id))
        }
    }
}
