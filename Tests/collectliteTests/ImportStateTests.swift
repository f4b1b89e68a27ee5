import Foundation
import Testing

@testable import collectlite

/// The resume state of `collectlite import` and how measurements are sliced.
@Suite struct ImportStateTests {
    @Test func freshStateStartsEveryMeasurementAtItsFirstTime() {
        let state = ImportState(key: "k")
        #expect(state.isFresh)
        #expect(state.start(of: "db.rp.cpu", from: 100) == 100)
    }

    @Test func resumesTheCurrentMeasurementAfterItsLastSliceAndSkipsFinishedOnes() {
        var state = ImportState(key: "k")
        state.completeSlice(of: "db.rp.a", next: 200, values: 10)
        state.completeMeasurement("db.rp.a")
        state.completeSlice(of: "db.rp.b", next: 500, values: 7)
        #expect(!state.isFresh)
        #expect(state.start(of: "db.rp.a", from: 100) == nil)
        #expect(state.start(of: "db.rp.b", from: 100) == 500)
        #expect(state.start(of: "db.rp.c", from: 100) == 100)
        #expect(state.values == 17)
        // A measurement whose data now starts later than the saved point starts there.
        #expect(state.start(of: "db.rp.b", from: 900) == 900)
    }

    @Test func fileOffsetOnlyMovesForward() {
        var state = ImportState(key: "k")
        state.completeBytes(upTo: 4096, values: 3)
        state.completeBytes(upTo: 1024, values: 0)
        #expect(state.offset == 4096)
        #expect(state.values == 3)
    }

    @Test func savedStateOfAnotherImportIsNotResumed() throws {
        let path = NSTemporaryDirectory() + "import-state-\(UUID().uuidString).json"
        defer { ImportState.remove(path: path) }
        var state = ImportState(key: "influxdb http://a:8086 collectd.autogen")
        state.end = 1_700_000_000_000_000_000
        state.completeSlice(of: "collectd.autogen.cpu_value", next: 42, values: 5)
        try state.save(path: path)
        #expect(ImportState.load(path: path, key: state.key) == state)
        #expect(ImportState.load(path: path, key: "another import").isFresh)
        ImportState.remove(path: path)
        #expect(ImportState.load(path: path, key: state.key).isFresh)
    }

    @Test func slicesCoverTheRangeWithoutGapsOrOverlap() {
        let width = ImportSlicing.width(start: 0, end: 99_999_999_999, count: 1_000, valuesPerSlice: 100)
        #expect(width == 10_000_000_000)
        let slices = ImportSlicing.slices(start: 0, end: 99_999_999_999, width: width)
        #expect(slices.count == 10)
        #expect(slices.first?.from == 0)
        #expect(slices.last?.to == 100_000_000_000)
        for (a, b) in zip(slices, slices.dropFirst()) { #expect(a.to == b.from) }
    }

    @Test func fewValuesMakeOneSliceAndSlicesAreAtLeastASecond() {
        #expect(ImportSlicing.slices(start: 5, end: 7_000_000_000, width: ImportSlicing.width(start: 5, end: 7_000_000_000, count: 3, valuesPerSlice: 100)).count == 1)
        #expect(ImportSlicing.width(start: 0, end: 10_000_000_000, count: 1_000_000, valuesPerSlice: 1) == 1_000_000_000)
        let last = ImportSlicing.slices(start: Int64.max - 10, end: Int64.max, width: 1_000_000_000)
        #expect(last.count == 1 && last[0].to == Int64.max)
    }
}
