import CollectdProtocol
import TimeSeries

/// What the receiver resolved one value-list identity to, found again by the identity's raw
/// bytes (host, plugin, plugin instance, type, type instance and the number of values), so a
/// value list seen before costs one hash and one byte comparison and allocates nothing.
///
/// Bounded: when `capacity` identities are held the cache starts afresh (a generation-based
/// bound: the next datagrams resolve their identities again through the store, which finds the
/// existing series). The owner also clears it when the store's drop generation moves.
struct IdentityCache {
    /// How one identity maps.
    struct Entry {
        var hash: UInt64
        var keyStart: Int32
        var keyLength: Int32
        /// First of the entry's refs in `refs`, one per value position.
        var refStart: Int32
        /// Index into `typeNames` when the type was unknown or its count mismatched, else -1.
        var unknownType: Int32
        /// The reader's number for the identity while the writer resolves it (`PendingLists`).
        /// (Before the flags: the entry then takes 32 bytes, not 40.)
        var provisional: UInt32 = 0
        /// Values are dropped (unknown type under `--collectd-unknown-types drop`).
        var dropValues: Bool
        /// Pending, and the list that carried the key was refused by the queue: the next list
        /// of it carries the key again.
        var sendKey = false

        /// The writer has not resolved the identity yet (`refStart` is -1).
        var isPending: Bool { refStart < 0 }
    }

    /// A ref the store refused (field type conflict): the value is counted as rejected.
    static let rejected = FieldRef(database: 0, slot: UInt32.max)

    let capacity: Int
    private(set) var entries: [Entry] = []
    private(set) var refs: [FieldRef] = []
    private(set) var typeNames: [String] = []
    private var keys: [UInt8] = []
    private var table: [Int32]
    private var mask: Int
    private var nextProvisional: UInt32 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        table = Array(repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { entries.count }

    /// Forgets everything (keeps the table size).
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        refs.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        typeNames.removeAll(keepingCapacity: true)
        for i in table.indices { table[i] = -1 }
    }

    /// The entry of the list's identity, if cached.
    @inline(__always)
    func lookup(_ list: borrowing ValueListView, hash: UInt64) -> Int? {
        probe(hash) { matches($0, list) }
    }

    /// The entry whose hash is `hash` and for which `matches` holds, if any.
    @inline(__always)
    private func probe(_ hash: UInt64, _ matches: (Entry) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = table[slot]
            if index < 0 { return nil }
            let entry = entries[Int(index)]
            if entry.hash == hash && matches(entry) { return Int(index) }
            slot = (slot + 1) & mask
        }
    }

    /// The identity's key bytes: each part length-prefixed, then the number of values (2 bytes).
    static func key(_ list: borrowing ValueListView) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(keyLength(list))
        appendKey(list, to: &key)
        return key
    }

    /// The length of `key(list)`.
    static func keyLength(_ list: borrowing ValueListView) -> Int {
        list.host.count + list.plugin.count + list.pluginInstance.count + list.type.count + list.typeInstance.count + 7
    }

    /// Appends `key(list)` to `bytes`.
    static func appendKey(_ list: borrowing ValueListView, to bytes: inout [UInt8]) {
        func put(_ part: UnsafeRawBufferPointer) {
            bytes.append(UInt8(truncatingIfNeeded: part.count))
            bytes.append(contentsOf: part)
        }
        put(list.host)
        put(list.plugin)
        put(list.pluginInstance)
        put(list.type)
        put(list.typeInstance)
        bytes.append(UInt8(truncatingIfNeeded: list.count))
        bytes.append(UInt8(truncatingIfNeeded: list.count >> 8))
    }

    /// The value list a key names (placeholder values), or nil when the key is malformed.
    static func valueList(key: UnsafeRawBufferPointer, time: Int64) -> ValueList? {
        var parts: [String] = []
        var at = 0
        for _ in 0..<5 {
            guard at < key.count else { return nil }
            let length = Int(key[at])
            guard at + 1 + length <= key.count else { return nil }
            parts.append(String(decoding: UnsafeRawBufferPointer(rebasing: key[(at + 1)..<(at + 1 + length)]), as: UTF8.self))
            at += 1 + length
        }
        guard at + 2 == key.count else { return nil }
        let count = Int(key[at]) | Int(key[at + 1]) << 8
        return ValueList(
            host: parts[0], plugin: parts[1], pluginInstance: parts[2], type: parts[3], typeInstance: parts[4],
            time: time, interval: 0, values: Array(repeating: .gauge(0), count: count))
    }

    /// Adds the list's identity as pending (the writer resolves it); returns its provisional number.
    mutating func insertPending(_ list: borrowing ValueListView, hash: UInt64) -> UInt32 {
        let provisional = nextProvisional
        nextProvisional &+= 1
        add(hash: hash, refStart: -1, unknownType: -1, provisional: provisional, dropValues: false) { Self.appendKey(list, to: &$0) }
        return provisional
    }

    /// Appends an entry whose key bytes `writeKey` appends to `keys`; its index.
    private mutating func add(
        hash: UInt64, refStart: Int32, unknownType: Int32, provisional: UInt32, dropValues: Bool, writeKey: (inout [UInt8]) -> Void
    ) -> Int {
        if entries.count >= capacity { removeAll() }
        if (entries.count + 1) * 2 > table.count { grow() }
        let keyStart = keys.count
        writeKey(&keys)
        let index = entries.count
        entries.append(Entry(
            hash: hash, keyStart: Int32(keyStart), keyLength: Int32(keys.count - keyStart),
            refStart: refStart, unknownType: unknownType, provisional: provisional, dropValues: dropValues))
        place(index, hash: hash)
        return index
    }

    /// The index of `name` in `typeNames` (appended), or -1 for nil.
    private mutating func typeIndex(_ name: String?) -> Int32 {
        guard let name else { return -1 }
        typeNames.append(name)
        return Int32(typeNames.count - 1)
    }

    /// Whether the next list of pending entry `index` must carry the key (then it is no longer due).
    mutating func takeKeyDue(_ index: Int) -> Bool {
        guard entries[index].sendKey else { return false }
        entries[index].sendKey = false
        return true
    }

    /// The next list of pending entry `index` carries its key (the writer could not resolve it).
    mutating func keyDue(_ index: Int) {
        entries[index].sendKey = true
    }

    /// The queue refused the list that carried this pending identity's key: send it again.
    mutating func keyLost(hash: UInt64, provisional: UInt32) {
        guard let index = probe(hash, { $0.isPending && $0.provisional == provisional }) else { return }
        keyDue(index)
    }

    /// Fills in the refs of pending entry `index`, resolved by the writer.
    mutating func resolve(_ index: Int, refs newRefs: [FieldRef], unknownType: String?, dropValues: Bool) {
        entries[index].refStart = Int32(refs.count)
        entries[index].unknownType = typeIndex(unknownType)
        entries[index].dropValues = dropValues
        entries[index].sendKey = false
        refs.append(contentsOf: newRefs)
    }

    /// The entry of an identity given by its key bytes, if cached.
    func lookup(key: [UInt8], hash: UInt64) -> Int? {
        probe(hash) { entry in
            Int(entry.keyLength) == key.count && keys[Int(entry.keyStart)..<Int(entry.keyStart) + key.count].elementsEqual(key)
        }
    }

    /// Adds an identity given by its key bytes (as `key(_:)` makes them) with its refs, one per
    /// value position; returns its entry index.
    mutating func insert(key: [UInt8], hash: UInt64, refs newRefs: [FieldRef], unknownType: String?, dropValues: Bool) -> Int {
        // A reset for capacity (inside `add`) empties `refs` and `typeNames` first.
        if entries.count >= capacity { removeAll() }
        let type = typeIndex(unknownType)
        let index = add(hash: hash, refStart: Int32(refs.count), unknownType: type, provisional: 0, dropValues: dropValues) {
            $0.append(contentsOf: key)
        }
        refs.append(contentsOf: newRefs)
        return index
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] >= 0 { slot = (slot + 1) & mask }
        table[slot] = Int32(index)
    }

    private mutating func grow() {
        table = Array(repeating: -1, count: table.count * 2)
        mask = table.count - 1
        for (index, entry) in entries.enumerated() { place(index, hash: entry.hash) }
    }

    @inline(__always)
    private func matches(_ entry: Entry, _ list: borrowing ValueListView) -> Bool {
        keys.withUnsafeBytes { stored in
            var at = Int(entry.keyStart)
            let end = at + Int(entry.keyLength)
            guard Self.matchPart(stored, &at, end, list.host), Self.matchPart(stored, &at, end, list.plugin),
                  Self.matchPart(stored, &at, end, list.pluginInstance), Self.matchPart(stored, &at, end, list.type),
                  Self.matchPart(stored, &at, end, list.typeInstance) else { return false }
            return at + 2 == end && Int(stored[at]) | Int(stored[at + 1]) << 8 == list.count
        }
    }

    /// Compares one length-prefixed stored part at `at` with `part`, moving `at` past it.
    @inline(__always)
    private static func matchPart(_ stored: UnsafeRawBufferPointer, _ at: inout Int, _ end: Int, _ part: UnsafeRawBufferPointer) -> Bool {
        let count = part.count
        guard at < end, Int(stored[at]) == count, at + 1 + count <= end else { return false }
        let start = at + 1
        at = start + count
        guard count > 0, let base = part.baseAddress, let storedBase = stored.baseAddress else { return true }
        var i = 0
        while i + 8 <= count {
            if storedBase.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) != base.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < count {
            if storedBase.load(fromByteOffset: start + i, as: UInt8.self) != base.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// A hash of the identity bytes, eight at a time.
    @inline(__always)
    static func hash(_ list: borrowing ValueListView) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(list.count)
        mix(list.host, &h)
        mix(list.plugin, &h)
        mix(list.pluginInstance, &h)
        mix(list.type, &h)
        mix(list.typeInstance, &h)
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }

    @inline(__always)
    private static func mix(_ bytes: UnsafeRawBufferPointer, _ h: inout UInt64) {
        let count = bytes.count
        h = (h ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        guard count > 0, let base = bytes.baseAddress else { return }
        var at = 0
        while at + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 31
            at += 8
        }
        if at < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while at < count {
                tail |= UInt64(base.load(fromByteOffset: at, as: UInt8.self)) << shift
                shift += 8
                at += 1
            }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 31
        }
    }

    /// Appends a value list's finite values as rows (ref of each position, `time`) and counts
    /// what it left out: non-finite values, and positions whose ref the store refused. The one
    /// place the reader (cache hits) and the writer (new identities) turn values into rows.
    @inline(__always)
    static func appendRows(
        count: Int, time: Int64, ref: (Int) -> FieldRef, value: (Int) -> Double, to rows: inout ColumnBatch
    ) -> (nonFinite: Int, rejected: Int) {
        var nonFinite = 0
        var rejected = 0
        for position in 0..<count {
            let number = value(position)
            guard number.isFinite else {
                nonFinite += 1
                continue
            }
            let target = ref(position)
            guard target != Self.rejected else {
                rejected += 1
                continue
            }
            rows.append(target, time: time, float: number)
        }
        return (nonFinite, rejected)
    }
}
