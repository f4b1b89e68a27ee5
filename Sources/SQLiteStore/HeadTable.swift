import Synchronization

/// The heads of a database by slot, in segments of 1 024.
///
/// A head is a few hundred bytes held inline, and one contiguous array of them grows by doubling:
/// at 100 000 series fields it held 131 072 slots (about 12 MB never used), and each growth
/// copied the whole array while the old one was still alive. Segments are allocated at their
/// full size once and never move, so the table grows by one segment at a time and holds at most
/// 1 023 unused slots.
///
/// The table also finds a live head by its key: an open-addressing table of 32-bit slots
/// hashed by key, compared against the heads' own keys (a `[HeadKey: Int]` held 6.3 MB at
/// 102 000 series fields, this about 1 MB). A forgotten head keeps its slot (refs may still
/// name it) but is no longer found.
struct HeadTable: RandomAccessCollection, MutableCollection {
    static let shift = 10
    static let segmentSize = 1 << shift

    private var segments: [[HeadSeries]] = []
    private(set) var count = 0
    /// Changes with every mutable access to a head and every head added or forgotten: equal
    /// generations mean no head changed in between (`StoreDatabase.dueSeals` skips its look).
    /// Each table starts in an epoch of its own, so a replaced table never repeats one.
    private(set) var generation: UInt64 = HeadTable.epochs.add(1 << 32, ordering: .relaxed).newValue
    private static let epochs = Atomic<UInt64>(0)
    /// Head slots by key hash; `empty` or `removed` in free places.
    private var lookup: [Int32] = []
    private var occupied = 0
    private static let empty: Int32 = -1
    private static let removed: Int32 = -2

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Out-of-range slots trap in the segment arrays' own bounds checks.
    subscript(slot: Int) -> HeadSeries {
        _read { yield segments[slot &>> Self.shift][slot & (Self.segmentSize - 1)] }
        _modify {
            generation &+= 1
            yield &segments[slot &>> Self.shift][slot & (Self.segmentSize - 1)]
        }
    }

    /// Calls `body` with every slot and a pointer to its head, in slot order. Fields read through
    /// the pointer are read in place: reading them through the subscript copied the whole head
    /// (336 bytes) for every slot, which made a flush's look at 650 000 heads a 220 MB memmove.
    func forEachHead(_ body: (Int, UnsafePointer<HeadSeries>) throws -> Void) rethrows {
        for (s, segment) in segments.enumerated() {
            try segment.withUnsafeBufferPointer { heads in
                guard let base = heads.baseAddress else { return }
                for i in 0..<heads.count { try body(s &<< Self.shift &+ i, base + i) }
            }
        }
    }

    /// Runs `body` on the head in `slot`, in place (one access for several changes).
    @inline(__always)
    mutating func modify<R>(_ slot: Int, _ body: (inout HeadSeries) throws -> R) rethrows -> R {
        try body(&self[slot])
    }

    /// Adds a head (whose key no live head has) and returns its slot.
    @discardableResult
    mutating func append(_ head: HeadSeries) -> Int {
        generation &+= 1
        if count & (Self.segmentSize - 1) == 0 {
            var segment: [HeadSeries] = []
            segment.reserveCapacity(Self.segmentSize)
            segments.append(segment)
        }
        let slot = count
        segments[count &>> Self.shift].append(head)
        count += 1
        if (occupied + 1) * 2 > lookup.count { rebuildLookup() }
        place(slot, hash: Self.hash(head.key))
        occupied += 1
        return slot
    }

    /// The slot of the live head of `key`.
    func slot(of key: HeadKey) -> Int? {
        guard !lookup.isEmpty else { return nil }
        let mask = lookup.count - 1
        var at = Self.hash(key) & mask
        while true {
            let slot = lookup[at]
            if slot == Self.empty { return nil }
            if slot >= 0 && self.key(at: Int(slot)) == key { return Int(slot) }
            at = (at &+ 1) & mask
        }
    }

    /// `slot(of:)` stops finding the head in `slot` (its slot stays).
    mutating func forget(_ slot: Int) {
        generation &+= 1
        guard !lookup.isEmpty else { return }
        let mask = lookup.count - 1
        var at = Self.hash(key(at: slot)) & mask
        while true {
            let found = lookup[at]
            if found == Self.empty { return }
            if found == Int32(slot) {
                lookup[at] = Self.removed
                return
            }
            at = (at &+ 1) & mask
        }
    }

    /// The key of the head in `slot` (without copying the head).
    @inline(__always)
    func key(at slot: Int) -> HeadKey {
        segments[slot &>> Self.shift][slot & (Self.segmentSize - 1)].key
    }

    @inline(__always)
    private static func hash(_ key: HeadKey) -> Int {
        let mixed = (UInt64(bitPattern: key.series) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: key.field) &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
    }

    private mutating func place(_ slot: Int, hash: Int) {
        let mask = lookup.count - 1
        var at = hash & mask
        while lookup[at] >= 0 { at = (at &+ 1) & mask }
        lookup[at] = Int32(slot)
    }

    /// A lookup table at most half full, without removed places.
    private mutating func rebuildLookup() {
        let live = lookup.filter { $0 >= 0 }
        var size = 1_024
        while size < (live.count + 1) * 2 { size *= 2 }
        lookup = Array(repeating: Self.empty, count: size)
        for slot in live { place(Int(slot), hash: Self.hash(key(at: Int(slot)))) }
        occupied = live.count
    }
}
