import Testing
import TimeSeries

/// Memory large work freed goes back to the system once it pauses, not after each piece.
@Suite struct HeapTrimTests {
    @Test func trimsOnlyAfterLargeWorkAndAQuietSpell() {
        let trim = HeapTrim()
        trim.afterQuery(points: 10, series: 1)
        #expect(!trim.releaseIfIdle(quiet: .zero))
        trim.afterQuery(points: HeapTrim.minimumPoints, series: 1)
        #expect(!trim.releaseIfIdle(quiet: .seconds(3_600)))
        #expect(trim.releaseIfIdle(quiet: .zero))
        #expect(!trim.releaseIfIdle(quiet: .zero))
        trim.afterQuery(points: 0, series: HeapTrim.minimumSeries)
        #expect(trim.releaseIfIdle(quiet: .zero))
    }

    @Test func manyNewSeriesCountAsLargeWork() {
        let trim = HeapTrim()
        trim.afterNewSeries(HeapTrim.minimumSeries - 1)
        #expect(!trim.releaseIfIdle(quiet: .zero))
        trim.afterNewSeries(1)
        #expect(trim.releaseIfIdle(quiet: .zero))
        trim.afterNewSeries(HeapTrim.minimumSeries - 1)
        #expect(!trim.releaseIfIdle(quiet: .zero))
    }
}
