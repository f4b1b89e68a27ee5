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
