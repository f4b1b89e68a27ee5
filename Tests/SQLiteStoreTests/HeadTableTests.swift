import Testing
@testable import SQLiteStore
import TimeSeries

@Suite struct HeadTableTests {
    @Test func slotsAcrossSegmentsKeepTheirHeads() {
        var table = HeadTable()
        let n = HeadTable.segmentSize * 2 + 7
        for i in 0..<n {
            table.append(HeadSeries(key: HeadKey(series: Int64(i), field: 1), type: .float, baseSeq: 0))
        }
        #expect(table.count == n)
        // Mutation in place through the subscript, in every segment.
        for slot in [0, HeadTable.segmentSize - 1, HeadTable.segmentSize, n - 1] {
            table[slot].insert(time: Int64(slot), value: .float(Double(slot)))
        }
        #expect(table.indices == 0..<n)
        #expect(table.map(\.key.series) == (0..<n).map(Int64.init))
        #expect(table.filter { !$0.isEmpty }.map(\.key.series) == [0, Int64(HeadTable.segmentSize - 1), Int64(HeadTable.segmentSize), Int64(n - 1)])
        #expect(table[HeadTable.segmentSize].samples().map(\.time) == [Int64(HeadTable.segmentSize)])
    }

    /// The key lookup finds every live head through growth, and a forgotten one no more; a head
    /// opened again for a forgotten key gets a new slot.
    @Test func findsLiveHeadsByKey() {
        var table = HeadTable()
        var live: [HeadKey: Int] = [:]
        for i in 0..<5_000 {
            let key = HeadKey(series: Int64(i / 3), field: Int64(i % 3 + 1))
            live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0))
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        #expect(table.slot(of: HeadKey(series: 99_999, field: 1)) == nil)
        var forgotten: [HeadKey] = []
        for (key, slot) in live where key.series % 7 == 0 {
            table.forget(slot)
            forgotten.append(key)
        }
        for key in forgotten {
            #expect(table.slot(of: key) == nil)
            live[key] = nil
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        // Reopened after forgetting, and many more heads (the table grows past its removed places).
        for key in forgotten { live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0)) }
        for i in 5_000..<20_000 {
            let key = HeadKey(series: Int64(i / 3), field: Int64(i % 3 + 1))
            live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0))
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        #expect(table.count == 20_000 + forgotten.count)
    }
}
