/// A time zone read from a TZif file of the tz database (RFC 8536): its UTC offset at any
/// instant, looked up as Go's `time.Location` does (InfluxDB's `tz()` runs on Go's zones).
///
/// Pure: `parse` reads bytes, the file comes from `ZoneDatabase`.
struct ZoneInfo: Sendable, Hashable, CustomStringConvertible {
    /// The name given to `tz()`.
    let name: String
    /// Transition instants in seconds since the epoch, ascending.
    let transitions: [Int64]
    /// The UTC offset in seconds from each transition on.
    let offsets: [Int32]
    /// The offset before the first transition (Go's `lookupFirstZone`).
    let initialOffset: Int32
    /// The POSIX TZ rule of the footer for instants after the last transition (version 2+).
    let rule: PosixZoneRule?

    var description: String { name }

    static func == (a: ZoneInfo, b: ZoneInfo) -> Bool {
        a.name == b.name && a.transitions == b.transitions && a.offsets == b.offsets
            && a.initialOffset == b.initialOffset && a.rule == b.rule
    }

    func hash(into h: inout Hasher) { h.combine(name) }

    /// The UTC zone: offset 0 at every instant.
    static let utc = ZoneInfo(name: "UTC", transitions: [], offsets: [], initialOffset: 0, rule: nil)

    /// The offset in seconds east of UTC at `seconds` since the epoch, with the start and end
    /// (exclusive) of the span in which it holds.
    func lookup(_ seconds: Int64) -> (offset: Int64, start: Int64, end: Int64) {
        guard let first = transitions.first else {
            // Go gives a zone without transitions one at the dawn of time, so its rule applies.
            return rule?.lookup(seconds) ?? (Int64(initialOffset), Int64.min, Int64.max)
        }
        guard seconds >= first else { return (Int64(initialOffset), Int64.min, first) }
        var lo = 0, hi = transitions.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if seconds < transitions[mid] { hi = mid } else { lo = mid }
        }
        let end = lo + 1 < transitions.count ? transitions[lo + 1] : Int64.max
        if lo == transitions.count - 1, let rule, let r = rule.lookup(seconds, lastTransition: transitions[lo]) {
            return r
        }
        return (Int64(offsets[lo]), transitions[lo], end)
    }

    /// The offset in nanoseconds at `ns` nanoseconds since the epoch (Go's `Zone()` of
    /// `time.Unix(0, ns)`: the second is the floor of ns / 1e9).
    func offsetNanos(at ns: Int64) -> Int64 {
        var s = ns / 1_000_000_000
        if ns % 1_000_000_000 < 0 { s -= 1 }
        return lookup(s).offset * 1_000_000_000
    }

    /// The offset in seconds at `ns` nanoseconds since the epoch.
    func offsetSeconds(at ns: Int64) -> Int64 { offsetNanos(at: ns) / 1_000_000_000 }

    /// Wall-clock seconds (local time read as if UTC) to an instant, as Go's `time.Date`
    /// resolves them: a time skipped or repeated by a change takes the offset found first.
    func instant(localSeconds unix: Int64) -> Int64 {
        let (offset, start, end) = lookup(unix)
        guard offset != 0 else { return unix }
        let utc = unix - offset
        if utc < start || utc >= end { return unix - lookup(utc).offset }
        return utc
    }
}

/// Why TZif bytes could not be read.
enum ZoneInfoError: Error, Equatable {
    case malformed
}

extension ZoneInfo {
    /// Reads a TZif file (versions 1 to 4): the 64-bit block when there is one, else the
    /// 32-bit block; leap-second records are skipped, as Go does.
    static func parse(_ bytes: [UInt8], name: String) throws(ZoneInfoError) -> ZoneInfo {
        var r = ByteReader(bytes: bytes)
        var header = try r.header()
        var timeSize = 4
        if header.version >= 2 {
            // Skip the version 1 block, then read the second header and its 64-bit data.
            try r.skip(header.v1Length)
            header = try r.header()
            timeSize = 8
        }
        var transitions: [Int64] = []
        transitions.reserveCapacity(header.timecnt)
        for _ in 0..<header.timecnt { transitions.append(try timeSize == 8 ? r.int64() : Int64(r.int32())) }
        var indices: [Int] = []
        for _ in 0..<header.timecnt { indices.append(Int(try r.byte())) }
        var types: [(offset: Int32, isDST: Bool)] = []
        for _ in 0..<header.typecnt {
            let offset = try r.int32()
            let dst = try r.byte() != 0
            _ = try r.byte()
            types.append((offset, dst))
        }
        guard !types.isEmpty, indices.allSatisfy({ $0 < types.count }) else { throw .malformed }
        try r.skip(header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt)
        var rule: PosixZoneRule?
        if header.version >= 2, r.remaining > 2, (try? r.byte()) == 10 {
            var text: [UInt8] = []
            while let b = try? r.byte(), b != 10 { text.append(b) }
            rule = PosixZoneRule(String(decoding: text, as: UTF8.self))
        }
        return ZoneInfo(name: name, transitions: transitions, offsets: indices.map { types[$0].offset },
                        initialOffset: types[firstZone(indices, types.map(\.isDST))].offset, rule: rule)
    }

    /// Go's `lookupFirstZone`: the zone of instants before the first transition.
    private static func firstZone(_ indices: [Int], _ isDST: [Bool]) -> Int {
        // A first zone no transition uses is the zone before them all.
        if !indices.contains(0) { return 0 }
        // After DST at the first transition: the nearest standard zone before it.
        if let first = indices.first, isDST[first] {
            var z = first - 1
            while z >= 0 {
                if !isDST[z] { return z }
                z -= 1
            }
        }
        return isDST.firstIndex(of: false) ?? 0
    }
}

/// A cursor over big-endian TZif bytes.
private struct ByteReader {
    let bytes: [UInt8]
    var at = 0

    struct Header {
        var version: Int
        var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int
        /// Bytes of the version 1 data block after its header.
        var v1Length: Int { timecnt * 5 + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt }
    }

    var remaining: Int { bytes.count - at }

    mutating func header() throws(ZoneInfoError) -> Header {
        guard remaining >= 44, bytes[at] == 0x54, bytes[at + 1] == 0x5A, bytes[at + 2] == 0x69, bytes[at + 3] == 0x66 else {
            throw .malformed
        }
        let v = bytes[at + 4]
        let version = v == 0 ? 1 : Int(v) - 48
        at += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let n = try int32()
            guard n >= 0 else { throw .malformed }
            counts.append(Int(n))
        }
        return Header(version: version, isutcnt: counts[0], isstdcnt: counts[1], leapcnt: counts[2],
                      timecnt: counts[3], typecnt: counts[4], charcnt: counts[5])
    }

    mutating func skip(_ n: Int) throws(ZoneInfoError) {
        guard n >= 0, remaining >= n else { throw .malformed }
        at += n
    }

    mutating func byte() throws(ZoneInfoError) -> UInt8 {
        guard remaining >= 1 else { throw .malformed }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func int32() throws(ZoneInfoError) -> Int32 {
        guard remaining >= 4 else { throw .malformed }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[at + i]) }
        at += 4
        return Int32(bitPattern: v)
    }

    mutating func int64() throws(ZoneInfoError) -> Int64 {
        guard remaining >= 8 else { throw .malformed }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[at + i]) }
        at += 8
        return Int64(bitPattern: v)
    }
}
