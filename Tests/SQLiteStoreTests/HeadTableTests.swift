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
}
