import InfluxQL
import Testing
import TimeSeries
@testable import QueryEngine

/// The CQ runner on a fake clock over MemoryStore: due windows are written into the target
/// policy exactly as the same SELECT over that window answers, last runs survive a new runner
/// (a restart), downtime is covered within the RESAMPLE FOR span, failures are reported.
@Suite struct ContinuousQueryRunnerTests {
    static let second: Int64 = 1_000_000_000
    static let minute = 60 * second
    /// 2023-11-14T22:00:00Z: a whole hour.
    static let t0: Int64 = 1_699_999_200 * second

    static func loadedStore() throws -> MemoryStore {
        let store = MemoryStore()
        var points: [Point] = []
        for i in 0..<(10 * 6) {  // 10 minutes at 10 s, two hosts
            for (h, host) in ["a", "b"].enumerated() {
                points.append(Point(measurement: "cpu", tags: [Tag("host", host)], fields: [Field("value", .float(Double(i * (h + 1))))],
                                    time: t0 + Int64(i) * 10 * second))
            }
        }
        try store.write(points, database: "db")
        try store.updateRetentionPolicies(database: "db", createDatabase: false) {
            try $0.create(RetentionPolicy(name: "long"), makeDefault: false)
        }
        return store
    }

    static func rows(_ executor: QueryExecutor, _ query: String) -> [[ResultValue]] {
        let response = executor.execute(query, options: QueryOptions(database: "db"))
        return response.results.first?.series.flatMap { s in s.values.map { [.string(s.tags.map(\.value).joined())] + $0 } } ?? []
    }

    @Test func dueWindowsAreWrittenAsTheirSelectAnswers() throws {
        let store = try Self.loadedStore()
        let executor = QueryExecutor(store: store)
        #expect(executor.execute("CREATE CONTINUOUS QUERY cq ON db BEGIN SELECT mean(value) INTO long.cpu_1m FROM cpu GROUP BY time(1m), host END",
                                 options: QueryOptions()).results.first?.error == nil)
        var runner = ContinuousQueryRunner(store: store, executor: executor)
        // The first run only starts the schedule (InfluxDB's first window is empty).
        #expect(runner.tick(now: Self.t0 + Self.second / 2).isEmpty)
        // At the next boundary: the interval that just ended.
        var reports = runner.tick(now: Self.t0 + Self.minute + Self.second / 2)
        #expect(reports.map(\.window) == [.init(start: Self.t0, end: Self.t0 + Self.minute)])
        #expect(reports.map(\.written) == [2])
        // Not due again within the interval.
        #expect(runner.tick(now: Self.t0 + Self.minute + 30 * Self.second).isEmpty)
        // A restart (a new runner) after minutes of downtime: every missed interval, oldest first.
        runner = ContinuousQueryRunner(store: store, executor: executor)
        reports = runner.tick(now: Self.t0 + 5 * Self.minute + Self.second)
        #expect(reports.map(\.window.start) == (1...4).map { Self.t0 + Int64($0) * Self.minute })
        #expect(reports.allSatisfy { $0.written == 2 && $0.error == nil })
        // What was written is what the SELECT over those windows answers.
        let written = Self.rows(executor, "SELECT mean FROM long.cpu_1m GROUP BY host")
        let expected = Self.rows(executor, """
            SELECT mean(value) FROM cpu WHERE time >= \(Self.t0) AND time < \(Self.t0 + 5 * Self.minute) GROUP BY time(1m), host fill(none)
            """)
        #expect(written.count == 10)
        #expect(written == expected)
        #expect(try store.continuousQueries(database: "db").queries.first?.lastRun == Self.t0 + 5 * Self.minute)
    }

    @Test func resampleForRecomputesEarlierWindows() throws {
        let store = try Self.loadedStore()
        let executor = QueryExecutor(store: store)
        _ = executor.execute("CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 1m FOR 3m BEGIN SELECT count(value) INTO long.n FROM cpu GROUP BY time(1m) END",
                             options: QueryOptions())
        let runner = ContinuousQueryRunner(store: store, executor: executor)
        _ = runner.tick(now: Self.t0 + 3 * Self.minute)
        let reports = runner.tick(now: Self.t0 + 4 * Self.minute)
        // FOR 3m: the run covers the last three whole intervals.
        #expect(reports.map(\.window) == [.init(start: Self.t0 + Self.minute, end: Self.t0 + 4 * Self.minute)])
        #expect(reports.first?.written == 3)
        // With the first run's window before it: four intervals of 12 samples each.
        #expect(Self.rows(executor, "SELECT count FROM long.n").map { $0.last } == [.integer(12), .integer(12), .integer(12), .integer(12)])
    }

    @Test func aFailingQueryIsReportedAndCounted() throws {
        let store = try Self.loadedStore()
        let executor = QueryExecutor(store: store)
        _ = executor.execute("CREATE CONTINUOUS QUERY bad ON db BEGIN SELECT mean(value) INTO nosuch.m FROM cpu GROUP BY time(1m) END",
                             options: QueryOptions())
        let runner = ContinuousQueryRunner(store: store, executor: executor)
        _ = runner.tick(now: Self.t0 + Self.second)
        let reports = runner.tick(now: Self.t0 + Self.minute)
        #expect(reports.count == 1)
        #expect(reports.first?.error == "retention policy not found: nosuch")
        let stats = runner.stats().first?.values ?? []
        #expect(stats.first { $0.name == "run_failures_total" }?.value == 1)
    }
}
