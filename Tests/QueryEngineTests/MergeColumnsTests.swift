import Testing
@testable import QueryEngine
import TestSupport
import TimeSeries

/// `FieldData.mergeColumns`: InfluxDB 1.6.7's sorted merge of a field's series (Go's heap, not
/// stable between series at one time).
struct MergeColumnsTests {
    static func column(_ points: [(Int64, Double)]) -> FloatColumn {
        FloatColumn(times: points.map(\.0), values: points.map(\.1))
    }

    @Test("all samples, ascending by time, each series' own order kept", arguments: [1, 2, 3, 7, 64, 1_000])
    func keepsEverySampleInTimeOrder(columnCount: Int) {
        var rng = SeededGenerator(seed: UInt64(columnCount))
        for descending in [false, true] {
            for _ in 0..<20 {
                var data = FieldData()
                for k in 0..<columnCount {
                    var points: [(Int64, Double)] = []
                    var t = Int64.random(in: 0...5, using: &rng)
                    for i in 0..<Int.random(in: 0...12, using: &rng) {
                        points.append((t, Double(k * 1_000 + i)))  // the value names its series and place
                        t += Int64.random(in: 1...3, using: &rng)  // equal times across columns only
                    }
                    data.columns.append(Self.column(points))
                }
                data.mergeColumns(descending: descending)
                #expect(data.merged.count == data.columns.reduce(0) { $0 + $1.times.count })
                #expect(zip(data.merged, data.merged.dropFirst()).allSatisfy { $0.time <= $1.time })
                var last: [Int: Double] = [:]
                for s in data.merged {
                    guard case .float(let v) = s.value else { Issue.record("not a float"); continue }
                    let k = Int(v) / 1_000
                    #expect(last[k].map { $0 < v } ?? true)
                    last[k] = v
                }
            }
        }
    }

    /// Three series with one point each at one time: Go's heap pops the first source, then swaps
    /// the last one to the top, so InfluxDB reads them a, c, b; newest first it walks the series
    /// in reverse (c, b, a) and reads c, a, b.
    @Test func tiesFollowGoHeap() {
        var data = FieldData()
        data.columns = [Self.column([(5, 1)]), Self.column([(5, 2)]), Self.column([(5, 3)])]
        data.mergeColumns()
        #expect(data.merged.map(\.value) == [.float(1), .float(3), .float(2)])
        data.merged = []
        data.mergeColumns(descending: true)
        #expect(Array(data.merged.reversed()).map(\.value) == [.float(3), .float(1), .float(2)])
        // Loose (non-float) samples laid end to end merge the same way.
        let loose = [1, 2, 3].map { Sample(time: 5, value: .integer($0)) }
        #expect(FieldData.influxOrdered(loose, ends: [1, 2, 3], descending: false).map(\.value) == [.integer(1), .integer(3), .integer(2)])
    }
}
