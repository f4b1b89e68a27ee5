import Testing
@testable import QueryEngine
import TestSupport
import TimeSeries

/// Statements read and evaluate their series on several threads (`ParallelWork`), and small
/// SELECTs run inline (`executeInline`): both must answer byte for byte as one serial run does.
@Suite struct ParallelQueryTests {
    static let minute: Int64 = 60_000_000_000

    /// 120 float series (40 hosts × 3 instances) and 40 integer ones over 30 minutes at 10 s with
    /// jitter, values of very different magnitudes so that float sums depend on their order.
    static func store() throws -> MemoryStore {
        let store = MemoryStore()
        var rng = SeededGenerator(seed: 42)
        var points: [Point] = []
        for h in 0..<40 {
            for inst in ["a", "b", "c"] {
                var counter = Double(Int.random(in: 0...1_000_000, using: &rng))
                for i in 0..<180 {
                    let t = Int64(i) * 10_000_000_000 + Int64.random(in: 0...9_000_000, using: &rng)
                    counter += Double(Int.random(in: 0...5_000, using: &rng))
                    let scale = [1e-3, 1, 1e9, 1e16][Int.random(in: 0...3, using: &rng)]
                    points.append(Point(measurement: "m", tags: [Tag("host", "h\(h)"), Tag("inst", inst)],
                                        fields: [Field("value", .float(Double.random(in: -1...1, using: &rng) * scale)),
                                                 Field("counter", .float(counter))], time: t))
                }
            }
            for i in 0..<180 {
                points.append(Point(measurement: "n", tags: [Tag("host", "h\(h)")],
                                    fields: [Field("ival", .integer(Int64.random(in: -1_000...1_000_000, using: &rng)))],
                                    time: Int64(i) * 10_000_000_000))
            }
        }
        try store.write(points, database: "db")
        return store
    }

    static let queries = [
        "SELECT mean(value), max(value), sum(value), count(value) FROM m WHERE time >= 0 AND time < 30m GROUP BY time(1m), host",
        "SELECT sum(value), mean(value), stddev(value) FROM m WHERE time >= 0 AND time < 30m GROUP BY time(5m)",
        "SELECT sum(value) FROM m WHERE time >= 0 AND time < 30m",
        "SELECT non_negative_derivative(mean(counter), 1s) * 8 FROM m WHERE time >= 0 AND time < 30m GROUP BY time(1m), host, inst",
        "SELECT percentile(value, 90), median(value), spread(value), first(value), last(value) FROM m WHERE time >= 0 AND time < 30m GROUP BY time(10m), inst",
        "SELECT max(value), host FROM m WHERE time >= 0 AND time < 30m GROUP BY time(10m)",
        "SELECT sum(ival), mean(ival), max(ival) FROM n WHERE time >= 0 AND time < 30m GROUP BY time(5m), host",
        "SELECT sum(ival) FROM n WHERE time >= 0 AND time < 30m GROUP BY time(1m)",
        "SELECT count(value) FROM /.*/ WHERE time >= 0",
        "SELECT value FROM m WHERE host = 'h3' AND time >= 0 AND time < 5m",
        "SELECT top(value, 3) FROM m WHERE time >= 0 AND time < 30m GROUP BY time(10m)",
    ]

    static func json(_ r: QueryResponse) -> String {
        String(decoding: ResultWriter.json(r, epoch: .ns, pretty: false), as: UTF8.self)
    }

    static func options(parallelism: Int) -> QueryOptions {
        var o = QueryOptions(database: "db", now: 30 * minute)
        o.parallelism = parallelism
        return o
    }

    @Test("parallel reads and evaluation answer as one thread does", arguments: [2, 3, 8])
    func parallelEqualsSerial(parallelism: Int) throws {
        let executor = QueryExecutor(store: try Self.store())
        for q in Self.queries {
            let serial = Self.json(executor.execute(q, options: Self.options(parallelism: 1)))
            let parallel = Self.json(executor.execute(q, options: Self.options(parallelism: parallelism)))
            #expect(!serial.contains("\"error\""), "\(q)")
            #expect(serial == parallel, "\(q)")
        }
    }

    /// Fewer series than one scan batch holds, but more points than `parallelDrainPoints`: the
    /// batch's series are drained on several threads and must answer as one thread does.
    @Test func fewLongSeriesDrainInParallelWithTheSerialAnswer() throws {
        let store = MemoryStore()
        var rng = SeededGenerator(seed: 7)
        var points: [Point] = []
        for host in ["a", "b", "c", "d"] {
            for i in 0..<(SelectRunner.parallelDrainPoints / 3) {
                let scale = [1e-3, 1, 1e9, 1e16][Int.random(in: 0...3, using: &rng)]
                points.append(Point(measurement: "m", tags: [Tag("host", host)],
                                    fields: [Field("value", .float(Double.random(in: -1...1, using: &rng) * scale))],
                                    time: Int64(i) * 1_000_000_000 + Int64.random(in: 0...900_000_000, using: &rng)))
            }
        }
        try store.write(points, database: "db")
        let executor = QueryExecutor(store: store)
        for q in ["SELECT sum(value), mean(value), count(value) FROM m WHERE time >= 0 AND time < 3h GROUP BY time(10m)",
                  "SELECT sum(value) FROM m WHERE time >= 0 AND time < 3h",
                  "SELECT max(value), last(value) FROM m WHERE time >= 0 AND time < 3h GROUP BY time(1m), host"] {
            let serial = Self.json(executor.execute(q, options: Self.options(parallelism: 1)))
            #expect(!serial.contains("\"error\""), "\(q)")
            for parallelism in [2, 4] {
                #expect(Self.json(executor.execute(q, options: Self.options(parallelism: parallelism))) == serial, "\(q)")
            }
        }
    }

    @Test func parallelLimitErrorsAreTheSerialOnes() throws {
        let executor = QueryExecutor(store: try Self.store())
        for parallelism in [1, 2, 8] {
            var options = Self.options(parallelism: parallelism)
            options.limits = QueryLimits(maxPointsScanned: 10_000)
            let r = executor.execute("SELECT mean(value) FROM m WHERE time >= 0 GROUP BY host", options: options)
            #expect(r.results.first?.error == "max-select-point limit exceeed: (10080/10000)")
        }
    }

    @Test func jsonSeriesEncodedInPiecesAreTheSameBytes() throws {
        let executor = QueryExecutor(store: try Self.store())
        let r = executor.execute(Self.queries[3], options: Self.options(parallelism: 1))
        let series = r.results[0].series
        #expect(series.count == 120)
        for workers in [1, 2, 3, 8] {
            var serial = JSONOutput(epoch: .ms), pieces = JSONOutput(epoch: .ms)
            serial.seriesList(series, workers: 1)
            pieces.seriesList(series, workers: workers, parallelRows: 1)
            #expect(serial.bytes == pieces.bytes)
        }
    }

    @Test func workMapKeepsOrderAndRethrowsTheFirstFailure() throws {
        struct Failure: Error, Equatable { var index: Int }
        #expect(try ParallelWork.map(1_000, workers: 4) { $0 * 2 } == (0..<1_000).map { $0 * 2 })
        #expect(try ParallelWork.map(0, workers: 4) { $0 }.isEmpty)
        for _ in 0..<20 {
            #expect(throws: Failure(index: 37)) {
                try ParallelWork.map(500, workers: 4) { i in
                    if i == 37 || i == 38 || i == 300 { throw Failure(index: i) }
                    return i
                }
            }
        }
    }

    static let inline = InlineLimits(series: 8, points: 2_000, span: 25 * 3_600_000_000_000)

    @Test func smallSelectsRunInlineWithTheSameAnswer() throws {
        let executor = QueryExecutor(store: try Self.store())
        for q in [
            "SELECT mean(value) FROM m WHERE host = 'h1' AND time >= 0 AND time < 30m GROUP BY time(1m), inst",
            "SELECT non_negative_derivative(mean(counter), 1s) FROM m WHERE host =~ /^h2$/ AND time >= 0 AND time < 30m GROUP BY time(1m)",
            "SELECT ival FROM n WHERE host = 'h7' AND time >= 0 AND time < 10m",
            "SELECT mean(nothing) FROM m WHERE host = 'h1' AND time >= 0",
            "SELECT * FROM m WHERE host = 'h1' AND time >= 20m",
        ] {
            let inline = try #require(executor.executeInline(q, options: Self.options(parallelism: 2), limits: Self.inline), "\(q)")
            #expect(Self.json(inline) == Self.json(executor.execute(q, options: Self.options(parallelism: 2))), "\(q)")
        }
        let parseError = executor.executeInline("SELECT FROM m", options: Self.options(parallelism: 2), limits: Self.inline)
        #expect(parseError?.parseError?.hasPrefix("error parsing query") == true)
        // Text that does not start with SELECT is not parsed here at all: the pool parses it once.
        #expect(executor.executeInline("SELEC 1", options: Self.options(parallelism: 2), limits: Self.inline) == nil)
    }

    @Test func largerStatementsAreLeftForTheThreadPool() throws {
        let executor = QueryExecutor(store: try Self.store())
        for q in [
            "SELECT mean(value) FROM m WHERE time >= 0 AND time < 30m GROUP BY host",       // 120 series
            "SELECT mean(value) FROM m WHERE host = 'h1'",                                   // no lower time bound
            "SELECT mean(value) FROM m WHERE host = 'h1' AND time >= 0 AND time < 2d",       // span over a day
            "SELECT value FROM m WHERE host =~ /^h[12]$/ AND inst = 'a' AND time >= 0",      // 2 series, 360 points
            "SELECT counter FROM m WHERE host =~ /^h[1-6]$/ AND time >= 0",                  // 18 series
            "SELECT mean(value) INTO other FROM m WHERE host = 'h1' AND time >= 0",
            "SELECT mean(value) FROM m WHERE host = 'h1' AND time >= 0; SELECT mean(value) FROM m WHERE host = 'h2' AND time >= 0",
            "SHOW TAG VALUES WITH KEY = host",
        ] {
            let small = InlineLimits(series: 8, points: 300, span: 25 * 3_600_000_000_000)
            #expect(executor.executeInline(q, options: Self.options(parallelism: 2), limits: small) == nil, "\(q)")
        }
        // Nothing abandoned inline is counted as a query.
        let stats = executor.stats()[0].values.first { $0.0 == "queries_total" }?.1
        #expect(stats == 0)
    }

    /// A host that is not there reads nothing, so no time range is too wide to answer inline.
    @Test func selectionsWithoutSeriesAnswerInlineWhateverTheirSpan() throws {
        let executor = QueryExecutor(store: try Self.store())
        let small = InlineLimits(series: 8, points: 300, span: 25 * 3_600_000_000_000)
        for q in [
            "SELECT max(value) FROM m WHERE host = 'nowhere' AND time > 0 GROUP BY time(10s)",
            "SELECT mean(value) FROM m WHERE host = 'nowhere'",
            "SELECT value FROM nothing WHERE time > 0",
        ] {
            let inline = try #require(executor.executeInline(q, options: Self.options(parallelism: 2), limits: small), "\(q)")
            #expect(Self.json(inline) == Self.json(executor.execute(q, options: Self.options(parallelism: 2))), "\(q)")
        }
    }
}
