import Testing
import TimeSeries

@testable import SQLiteStore
import TestSupport

/// The series table answers as two dictionaries would, through growth, removals (which move the
/// last entry) and ids re-used with other keys.
@Suite struct SeriesTableTests {
    static func key(_ n: Int) -> SeriesKey {
        SeriesKey(measurement: "m\(n % 7)", tags: [Tag("host", "h\(n)"), Tag("type", n % 3 == 0 ? "" : "t\(n % 5)")])
    }

    @Test func matchesDictionariesUnderRandomChanges() {
        var rng = SeededGenerator(seed: 0x7AB1E)
        var table = SeriesTable()
        var byID: [Int64: SeriesKey] = [:]
        var byKey: [SeriesKey: Int64] = [:]
        for step in 0..<40_000 {
            let n = Int(rng.next() % 6_000)
            let id = Int64(rng.next() % 5_000) + 1
            switch rng.next() % 10 {
            case 0..<3:
                let removed = table.remove(id: id)
                #expect(removed == byID[id])
                if let key = byID.removeValue(forKey: id) { byKey[key] = nil }
            default:
                let key = Self.key(n)
                table.insert(id: id, key: key)
                if let old = byKey[key] { byID[old] = nil }
                if let oldKey = byID[id] { byKey[oldKey] = nil }
                byID[id] = key
                byKey[key] = id
            }
            if step % 997 == 0 || step == 39_999 {
                #expect(table.count == byID.count)
                for (id, key) in byID {
                    #expect(table[id] == key)
                    #expect(table.id(of: key) == id)
                }
                #expect(Set(table.entries.map(\.id)) == Set(byID.keys))
                #expect(table[Int64(9_999)] == nil && table.id(of: Self.key(99_999)) == nil)
            }
        }
        for id in Array(byID.keys) { #expect(table.remove(id: id) != nil) }
        #expect(table.isEmpty && table.id(of: Self.key(1)) == nil)
    }
}

/// Series of one measurement share their equal tag strings (one host name per host, not per series).
@Suite struct InterningTests {
    static func storage(_ s: String) -> UnsafePointer<UInt8>? {
        var copy = s
        return copy.withUTF8 { $0.baseAddress }
    }

    @Test func equalTagValuesShareStorage() {
        var index = SeriesIndex()
        let host = "a-host-name-longer-than-fifteen-bytes.example.net"
        // Separate String instances with equal contents, as decoding each datagram makes them.
        let first = SeriesKey(measurement: "cpu_value", tags: [Tag("host", String(host.utf8.map { Character(UnicodeScalar($0)) })), Tag("type", "user")])
        let second = SeriesKey(measurement: "cpu_value", tags: [Tag("host", String(host.utf8.map { Character(UnicodeScalar($0)) })), Tag("type", "system")])
        #expect(Self.storage(first.tags[0].value) != Self.storage(second.tags[0].value))
        let a = index.add(id: 1, key: first)
        let b = index.add(id: 2, key: second)
        #expect(a == first && b == second)
        #expect(Self.storage(index.table[1]!.tags[0].value) == Self.storage(index.table[2]!.tags[0].value))
        #expect(index.table.id(of: second) == 2)
        #expect(index.select("cpu_value", .equal(key: "host", value: host)) == [1, 2])
    }
}
