import Testing
import InfluxQL
@testable import QueryEngine
import TimeSeries

@Suite struct FunctionTests {
    static func samples(_ values: [Double], step: Int64 = 10) -> [Sample] {
        values.enumerated().map { Sample(time: Int64($0.offset) * step * 1_000_000_000, value: .float($0.element)) }
    }

    static func reduce(_ name: String, _ values: [Double], count: Int = 0, number: Double = 0) -> [TimedValue] {
        Reducers.reduce(FunctionCall(name: name, field: "value", count: count, number: number), ArraySlice(samples(values)))
    }

    @Test func windowsAlignToEpochWithOffset() {
        let w = Window(interval: 600_000_000_000, offset: 120_000_000_000)
        #expect(w.start(of: 1_700_000_000_000_000_000) == 1_699_999_920_000_000_000)
        let negative = Window(interval: 3_600_000_000_000, offset: -900_000_000_000)
        #expect(negative.offset == 2_700_000_000_000)
        #expect(Window(interval: 60_000_000_000).start(of: -1) == -60_000_000_000)
        #expect(Array(Window(interval: 10).buckets(min: 5, max: 31)) == [0, 10, 20, 30])
    }

    @Test func medianAveragesTheMiddlePair() {
        #expect(Self.reduce("median", [4, 1, 3, 2]).first?.value == .float(2.5))
        #expect(Self.reduce("median", [5, 1, 3]).first?.value == .float(3))
    }

    @Test func modePrefersMostFrequentThenSmallest() {
        #expect(Self.reduce("mode", [3, 1, 3, 2, 1, 3]).first?.value == .float(3))
        #expect(Self.reduce("mode", [5, 4, 9]).first?.value == .float(4))
    }

    @Test func stddevIsTheSampleFormula() {
        let v = Self.reduce("stddev", [2, 4, 4, 4, 5, 5, 7, 9]).first?.value.double ?? 0
        #expect(abs(v - 2.138089935299395) < 1e-12)
        #expect(Self.reduce("stddev", [1]).first?.value == .null)
    }

    @Test func percentileUsesNearestRank() {
        #expect(Self.reduce("percentile", [1, 2, 3, 4, 5], number: 50).first?.value == .float(3))
        #expect(Self.reduce("percentile", [1, 2, 3, 4, 5], number: 0).isEmpty)
        #expect(Self.reduce("percentile", [1, 2, 3, 4, 5], number: 100).first?.value == .float(5))
    }

    @Test func topKeepsEarliestOnTiesAndReturnsTimeOrder() {
        let top = Self.reduce("top", [1, 5, 3, 5, 4], count: 2)
        #expect(top.map(\.time) == [10_000_000_000, 30_000_000_000])
        let bottom = Self.reduce("bottom", [1, 5, 1, 5, 4], count: 3)
        #expect(bottom.map(\.value) == [.float(1), .float(1), .float(4)])
    }

    @Test func derivativeUnitsAndNonNegative() {
        let input = Self.samples([10, 30, 20, 50]).map { TimedValue($0.time, ResultValue($0.value)) }
        let d = Transforms.apply(FunctionCall(name: "derivative", field: ""), input, unit: 1_000_000_000, ascending: true)
        #expect(d.map(\.value) == [.float(2), .float(-1), .float(3)])
        let perMinute = Transforms.apply(FunctionCall(name: "non_negative_derivative", field: ""), input, unit: 60_000_000_000, ascending: true)
        #expect(perMinute.map(\.value) == [.float(120), .float(180)])
        let diff = Transforms.apply(FunctionCall(name: "non_negative_difference", field: ""), input, unit: 1, ascending: true)
        #expect(diff.map(\.value) == [.float(20), .float(30)])
    }

    @Test func elapsedAndMovingAverage() {
        let input = Self.samples([1, 2, 3, 4]).map { TimedValue($0.time, ResultValue($0.value)) }
        let e = Transforms.apply(FunctionCall(name: "elapsed", field: ""), input, unit: 1_000_000_000, ascending: true)
        #expect(e.map(\.value) == [.integer(10), .integer(10), .integer(10)])
        let m = Transforms.apply(FunctionCall(name: "moving_average", field: "", count: 3), input, unit: 1, ascending: true)
        #expect(m.map(\.value) == [.float(2), .float(3)])
    }

    @Test func integralSplitsAtBucketEdges() {
        // 0 → 10 over 20 s, buckets of 15 s: the area splits 56.25 / 43.75 at the interpolated edge.
        let s = [Sample(time: 0, value: .float(0)), Sample(time: 20_000_000_000, value: .float(10))]
        let whole = Integral.compute(s, unit: 1_000_000_000, window: Window(interval: 0))
        #expect(whole.map(\.value) == [.float(100)])
        let split = Integral.compute(s, unit: 1_000_000_000, window: Window(interval: 15_000_000_000))
        let parts = split.compactMap(\.value.double)
        #expect(parts.count == 2 && abs(parts[0] - 56.25) < 1e-9 && abs(parts[1] - 43.75) < 1e-9)
        // As in InfluxDB, a last point exactly on a bucket start closes that bucket with no area.
        let edge = Integral.compute(s, unit: 1_000_000_000, window: Window(interval: 10_000_000_000))
        #expect(edge.map(\.value) == [.float(25)])
    }

    @Test func fillModes() {
        let points = [TimedValue(0, .float(1)), TimedValue(30, .float(4))]
        let w = Window(interval: 10)
        #expect(Filler.fill(points, window: w, from: 0, through: 40, mode: .linear, isCount: false, integerStream: false).map(\.value) == [.float(1), .float(2), .float(3), .float(4), .null])
        #expect(Filler.fill(points, window: w, from: 0, through: 40, mode: .previous, isCount: false, integerStream: false).map(\.value) == [.float(1), .float(1), .float(1), .float(4), .float(4)])
        #expect(Filler.fill(points, window: w, from: 0, through: 40, mode: .null, isCount: true, integerStream: true).map(\.value)[1] == .integer(0))
        #expect(Filler.fill(points, window: w, from: 0, through: 40, mode: .none, isCount: false, integerStream: false).count == 2)
    }

    @Test func goSortMatchesAscendingOrder() {
        var values = (0..<500).map { ($0 * 7919) % 263 }
        GoSort.sort(&values) { $0 < $1 }
        #expect(values == values.sorted())
    }

    @Test func columnNamesResolveConflictsAsInfluxDB() {
        let mean = Expr.call("mean", [.varRef("value", type: nil)])
        #expect(Column.resolveNames([(mean, nil), (mean, nil), (mean, "mean_1")]) == ["mean", "mean_2", "mean_1"])
        #expect(Column.resolveNames([(.binary(.multiply, mean, .integer(8)), nil)]) == ["mean"])
        #expect(Column.resolveNames([(.binary(.subtract, .call("max", []), .call("min", [])), nil)]) == ["max_min"])
    }
}
