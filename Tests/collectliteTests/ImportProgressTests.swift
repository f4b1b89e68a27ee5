import Testing

@testable import collectlite

/// The progress bar and lines of `collectlite import`, and the time arguments.
@Suite struct ImportProgressTests {
    @Test func barShowsFractionValuesRateAndETA() {
        let progress = ImportProgress(values: 1_234_567, done: 450, total: 1_000, elapsed: 10)
        let bar = progress.bar(width: 80)
        #expect(bar.count <= 80)
        #expect(bar.hasPrefix("[") && bar.contains("]"))
        #expect(bar.contains(" 45%"))
        #expect(bar.contains("1,234,567 values"))
        #expect(bar.contains("123,457/s"))
        #expect(bar.hasSuffix("ETA 12s"))
        let filled = bar.filter { $0 == "#" }.count
        let room = bar.filter { $0 == "#" || $0 == "." }.count
        #expect(filled == Int(Double(room) * 0.45))
    }

    @Test func unknownTotalHasNoBarAndNoETA() {
        let progress = ImportProgress(values: 10, done: 0, total: 0, elapsed: 2)
        #expect(progress.bar(width: 80) == "10 values  5/s  ETA ?")
        #expect(progress.plainLine == "imported 10 values, 5/s")
    }

    @Test func plainLine() {
        let progress = ImportProgress(values: 2_000, done: 1, total: 4, elapsed: 100)
        #expect(progress.plainLine == "imported 2,000 values ( 25%), 20/s, ETA 5m00s")
    }

    @Test(arguments: [(0.0, "0s"), (59.4, "59s"), (61, "1m01s"), (3_599, "59m59s"), (3_600, "1h00m"), (90_061, "1d01h")])
    func durations(_ seconds: Double, _ text: String) {
        #expect(ImportProgress.duration(seconds) == text)
    }

    @Test(arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (-1_234_567, "-1,234,567")])
    func grouping(_ n: Int, _ text: String) {
        #expect(ImportProgress.grouped(n) == text)
    }

    @Test func bytes() {
        #expect(ImportProgress.bytes(512) == "512 B")
        #expect(ImportProgress.bytes(1_572_864) == "1.5 MiB")
    }

    @Test func timeArguments() {
        let now: Int64 = 1_700_000_000_000_000_000
        #expect(TimeArgument.nanoseconds("2023-11-14T22:13:20Z", now: now) == now)
        #expect(TimeArgument.nanoseconds("2023-11-14T23:13:20.5+01:00", now: now) == now + 500_000_000)
        #expect(TimeArgument.nanoseconds("1h", now: now) == now - 3_600_000_000_000)
        #expect(TimeArgument.nanoseconds("42", now: now) == 42)
        #expect(TimeArgument.nanoseconds("yesterday", now: now) == nil)
        #expect(TimeArgument.format(now + 500_000_000) == "2023-11-14T22:13:20.5Z")
    }
}
