import Testing
import QueryEngine
import TimeSeries

@Suite struct ExecutorTests {
    static func store() throws -> MemoryStore {
        let store = MemoryStore()
        var points: [Point] = []
        for h in ["a", "b", "c"] {
            for i in 0..<10 {
                points.append(Point(measurement: "load_shortterm", tags: [Tag("host", h)], fields: [Field("value", .float(Double(i)))], time: Int64(i) * 10_000_000_000))
            }
        }
        try store.write(points, database: "db")
        return store
    }

    static func json(_ r: QueryResponse, epoch: Epoch? = .s) -> String {
        String(decoding: ResultWriter.json(r, epoch: epoch, pretty: false), as: UTF8.self)
    }

    @Test func maxSeriesLimitIsEnforced() throws {
        let executor = QueryExecutor(store: try Self.store(), limits: QueryLimits(maxSeries: 2))
        let r = executor.execute("SELECT mean(value) FROM load_shortterm WHERE time >= 0 GROUP BY host", options: QueryOptions(database: "db", now: 0))
        #expect(r.results.first?.error == "max-select-series limit exceeded: (3/2)")
    }

    @Test func maxPointsLimitIsEnforcedPerRequest() throws {
        let executor = QueryExecutor(store: try Self.store())
        let options = QueryOptions(database: "db", now: 0, limits: QueryLimits(maxPointsScanned: 15))
        let r = executor.execute("SELECT count(value) FROM load_shortterm WHERE time >= 0", options: options)
        #expect(r.results.first?.error?.hasPrefix("max-select-point limit exceeed") == true)
        let small = executor.execute("SELECT count(value) FROM load_shortterm WHERE host = 'a' AND time >= 0", options: options)
        #expect(small.results.first?.error == nil)
    }

    @Test func parseErrorsAreWholeRequestErrors() throws {
        let executor = QueryExecutor(store: try Self.store())
        let r = executor.execute("SELEC 1", options: QueryOptions(database: "db", now: 0))
        #expect(r.results.isEmpty)
        #expect(r.parseError?.hasPrefix("error parsing query: ") == true)
    }

    @Test func oneResultPerStatementInOrder() throws {
        let executor = QueryExecutor(store: try Self.store())
        let r = executor.execute("SHOW DATABASES; SHOW MEASUREMENTS", options: QueryOptions(database: "db", now: 0))
        #expect(Self.json(r) == #"{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["db"]]}]},{"statement_id":1,"series":[{"name":"measurements","columns":["name"],"values":[["load_shortterm"]]}]}]}"#)
    }

    /// InfluxDB 1.6.7 runs no statement after one that fails: the failed one's error, then a
    /// `not executed` under its id for each statement left, which a buffered answer merges into
    /// the last (recorded from influxd in the chunks scenario of `HTTPScenarioTests`).
    @Test func statementsAfterAFailureAreNotExecuted() throws {
        let executor = QueryExecutor(store: try Self.store())
        let options = QueryOptions(database: "db", now: 0)
        let r = executor.execute("SHOW DATABASES; SELECT value FROM nope.autogen.x; SHOW MEASUREMENTS; SHOW DATABASES", options: options)
        #expect(Self.json(r) == #"{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["db"]]}]},{"statement_id":1,"error":"database not found: nope"},{"statement_id":1,"error":"not executed"},{"statement_id":1,"error":"not executed"}]}"#)
        let merged = ResponseAssembly.nonChunked(r, rowLimit: 0)
        #expect(Self.json(merged) == #"{"results":[{"statement_id":0,"series":[{"name":"databases","columns":["name"],"values":[["db"]]}]},{"statement_id":1,"error":"not executed"}]}"#)
        // The last statement failing keeps its own error.
        let last = ResponseAssembly.nonChunked(executor.execute("SHOW DATABASES; SELECT value FROM nope.autogen.x", options: options), rowLimit: 0)
        #expect(last.results.map(\.error) == [nil, "database not found: nope"])
    }

    /// InfluxDB 1.6.7 answers SHOW SERIES through the SELECT emitter: a list over 10 000 keys
    /// stays `"partial":true` in a buffered answer, one of 10 000 does not (measured on influxd).
    @Test func showSeriesOverTenThousandKeysStaysPartial() throws {
        let store = MemoryStore()
        try store.write((0..<10_000).map { Point(measurement: "s", tags: [Tag("k", "\($0)")], fields: [Field("v", .float(1))], time: 1) },
                        database: "db")
        let executor = QueryExecutor(store: store)
        let options = QueryOptions(database: "db", now: 0)
        let even = ResponseAssembly.nonChunked(executor.execute("SHOW SERIES", options: options), rowLimit: 0)
        #expect(even.results.first?.series.first?.partial == false)
        try store.write([Point(measurement: "s", tags: [Tag("k", "x")], fields: [Field("v", .float(1))], time: 1)], database: "db")
        let over = ResponseAssembly.nonChunked(executor.execute("SHOW SERIES; SHOW MEASUREMENTS", options: options), rowLimit: 0)
        #expect(over.results.map { $0.series.map(\.partial) } == [[true], [false]])
        #expect(over.results.first?.series.first?.values.count == 10_001)
    }

    @Test func nowDefaultsTheUpperBoundOfGroupedQueries() throws {
        let executor = QueryExecutor(store: try Self.store())
        let r = executor.execute("SELECT count(value) FROM load_shortterm WHERE host = 'a' AND time >= 0 GROUP BY time(30s)", options: QueryOptions(database: "db", now: 59_000_000_000))
        #expect(Self.json(r) == #"{"results":[{"statement_id":0,"series":[{"name":"load_shortterm","columns":["time","count"],"values":[[0,3],[30,3]]}]}]}"#)
    }

    @Test func grafanaTemplateRegexSelectsExactHosts() throws {
        let executor = QueryExecutor(store: try Self.store())
        let r = executor.execute(#"SELECT last("value") FROM "load_shortterm" WHERE "host" =~ /^(a|c)$/ AND time >= 0 GROUP BY "host""#, options: QueryOptions(database: "db", now: 0))
        #expect(r.results.first?.series.map { $0.tags.first?.value } == ["a", "c"])
    }

    struct FixedStats: StatsProvider {
        func stats() -> [StatsGroup] { [StatsGroup(name: "collectd", values: [("packets_total", 42), ("ratio", 0.5)])] }
    }

    @Test func showStatsListsRegisteredProviders() throws {
        let executor = QueryExecutor(store: try Self.store())
        executor.register(FixedStats())
        _ = executor.execute("SHOW DATABASES", options: QueryOptions(now: 0))
        let r = executor.execute("SHOW STATS FOR 'collectd'", options: QueryOptions(now: 0))
        #expect(Self.json(r) == #"{"results":[{"statement_id":0,"series":[{"name":"collectd","columns":["packets_total","ratio"],"values":[[42,0.5]]}]}]}"#)
        let all = executor.execute("SHOW STATS", options: QueryOptions(now: 0))
        #expect(all.results.first?.series.map(\.name) == ["queries", "collectd"])
        let queries = executor.stats().first?.values.first { $0.name == "queries_total" }?.value
        #expect(queries == 3)
    }

    @Test func createDropAndDeleteReachTheStore() throws {
        let store = try Self.store()
        let executor = QueryExecutor(store: store)
        let options = QueryOptions(database: "db", now: 0)
        _ = executor.execute("CREATE DATABASE other; DELETE FROM load_shortterm WHERE host = 'a' AND time < 50s; DROP SERIES FROM load_shortterm WHERE host = 'b'", options: options)
        #expect(try store.databases() == ["db", "other"])
        let r = executor.execute("SELECT count(value) FROM load_shortterm WHERE time >= 0 GROUP BY host", options: options)
        #expect(Self.json(r).contains(#""tags":{"host":"a"},"columns":["time","count"],"values":[[0,5]]"#))
        #expect(r.results.first?.series.count == 2)
    }
}

@Suite struct RobustnessTests {
    static let queries = [
        "SELECT mean(value) FROM load_shortterm WHERE time >= -9223372036854775806 AND time <= 9223372036854775806 GROUP BY time(1ns)",
        "SELECT mean(value) FROM load_shortterm WHERE time >= 0 GROUP BY time(1ns) fill(none)",
        "SELECT count(value) FROM load_shortterm WHERE time >= -9223372036854775806 GROUP BY time(1h) fill(none)",
        "SELECT count(value) FROM load_shortterm WHERE time >= -9223372036854775806 GROUP BY time(1m)",
        "SELECT derivative(mean(value)) FROM load_shortterm WHERE time >= -9223372036854775806 AND time <= 100s GROUP BY time(9223372036854775807ns)",
        "SELECT percentile(value, 1e300), percentile(value, -5) FROM load_shortterm",
        "SELECT moving_average(value, 9223372036854775807) FROM load_shortterm",
        "SELECT top(value, 9223372036854775807) FROM load_shortterm",
        "SELECT value % -1, value * 9223372036854775807 FROM load_shortterm LIMIT 9223372036854775807 OFFSET 9223372036854775807",
        "SELECT integral(value, 1ns), elapsed(value, 1ns) FROM load_shortterm WHERE time > 9223372036854775806",
        "SELECT mean(value) FROM load_shortterm WHERE time > now() - 100000000h GROUP BY time(1h, -9223372036854775807ns)",
    ]

    @Test(arguments: queries)
    func extremeQueriesAnswerWithoutTrapping(_ q: String) throws {
        let store = try ExecutorTests.store()
        try store.write([Point(measurement: "load_shortterm", tags: [Tag("host", "z")], fields: [Field("value", .float(1))], time: Int64.min + 10),
                         Point(measurement: "load_shortterm", tags: [Tag("host", "z")], fields: [Field("value", .float(2))], time: Int64.max - 10)], database: "db")
        let r = QueryExecutor(store: store).execute(q, options: QueryOptions(database: "db", now: 1_700_000_000_000_000_000))
        #expect(r.results.count == 1 || r.parseError != nil)
        _ = ResultWriter.json(r, epoch: nil, pretty: true)
        _ = ResultWriter.csv(r, epoch: .ms)
    }
}
