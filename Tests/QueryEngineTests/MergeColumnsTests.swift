import Testing
@testable import QueryEngine
import TestSupport
import TimeSeries

/// `FieldData.mergeColumns` (a heap merge) against the rule it implements: all samples in time
/// order, equal times in series (column) order, each column's own order kept.
struct MergeColumnsTests {
    static func reference(_ columns: [FloatColumn]) -> [Sample] {
        var tagged: [(time: Int64, column: Int, position: Int, value: Double)] = []
        for (k, c) in columns.enumerated() {
            for i in c.times.indices { tagged.append((c.times[i], k, i, c.values[i])) }
        }
        tagged.sort { ($0.time, $0.column, $0.position) < ($1.time, $1.column, $1.position) }
        return tagged.map { Sample(time: $0.time, value: .float($0.value)) }
    }

    @Test("heap merge equals a stable sort by time, ties in series order", arguments: [1, 2, 3, 7, 64, 1_000])
    func matchesReference(columnCount: Int) {
        var rng = SeededGenerator(seed: UInt64(columnCount))
        for _ in 0..<20 {
            var data = FieldData()
            for _ in 0..<columnCount {
                var column = FloatColumn()
                var t = Int64.random(in: 0...5, using: &rng)
                for _ in 0..<Int.random(in: 0...12, using: &rng) {
                    column.times.append(t)
                    column.values.append(Double(Int.random(in: -100...100, using: &rng)))
                    t += Int64.random(in: 0...3, using: &rng)  // equal times within and across columns
                }
                data.columns.append(column)
            }
            data.mergeColumns()
            let expected = Self.reference(data.columns)
            #expect(data.merged.map(\.time) == expected.map(\.time))
            #expect(data.merged.map(\.value) == expected.map(\.value))
        }
    }
}
