import Foundation
import InfluxQL
import Synchronization
import Testing
import TimeSeries
@testable import QueryEngine

/// `SHOW QUERIES` and `KILL QUERY` as InfluxDB 1.6.7's task manager answers them (columns,
/// texts and errors recorded from influxd; `KILL QUERY` of a query not running is replayed in
/// the chunks scenario of `PartialDifferentialTests`).
@Suite struct RunningQueriesTests {
    static let options = QueryOptions(database: "db", now: 0)

    @Test func showQueriesListsItselfWithItsDatabase() throws {
        let executor = QueryExecutor(store: try ExecutorTests.store())
        let r = executor.execute("SHOW QUERIES", options: Self.options)
        let series = try #require(r.results.first?.series.first)
        #expect(series.name == "")
        #expect(series.columns == ["qid", "query", "database", "duration", "status"])
        let row = try #require(series.values.first)
        #expect(series.values.count == 1)
        #expect(row[0] == .integer(1))
        #expect(row[1] == .string("SHOW QUERIES"))
        #expect(row[2] == .string("db"))
        #expect(row[4] == .string("running"))
        // Ids go on counting; a query's text is its statements as InfluxDB renders them.
        let next = executor.execute("show databases;  show   queries", options: QueryOptions(now: 0))
        let listed = try #require(next.results.last?.series.first?.values.first)
        #expect(listed[0] == .integer(2))
        #expect(listed[1] == .string("SHOW DATABASES;\nSHOW QUERIES"))
        #expect(listed[2] == .string(""))
    }

    @Test func killMarksAQueryAndItsNextReadStops() throws {
        let executor = QueryExecutor(store: try ExecutorTests.store())
        let statements = try InfluxQLParser.parse("SELECT count(value) FROM load_shortterm")
        let (id, task) = executor.running.attach(statements, database: "db", began: .now)
        #expect(executor.execute("KILL QUERY \(id)", options: Self.options).results.map(\.error) == [nil])
        #expect(task.isKilled)
        let rows = try #require(executor.execute("SHOW QUERIES", options: Self.options).results.first?.series.first?.values)
        #expect(rows.map { $0[0] } == [.integer(Int64(id)), .integer(Int64(id) + 2)])
        #expect(rows.first?[4] == .string("killed"))
        var budget = ScanBudget(limits: QueryLimits(), deadline: nil)
        budget.task = task
        #expect(throws: QueryError("query interrupted")) { try budget.addPoints(1) }
        executor.running.detach(id)
        #expect(executor.execute("KILL QUERY \(id)", options: Self.options).results.map(\.error) == ["no such query id: \(id)"])
    }

    /// A query on another thread, killed while it reads series by series, answers
    /// `query interrupted` (as influxd did for a killed SELECT).
    @Test func aRunningSelectIsInterrupted() throws {
        let store = MemoryStore()
        var points: [Point] = []
        for h in 0..<3_000 {
            for i in 0..<40 {
                points.append(Point(measurement: "m", tags: [Tag("host", "h\(h)")], fields: [Field("value", .float(Double(i)))],
                                    time: Int64(i) * 10_000_000_000))
            }
        }
        try store.write(points, database: "db")
        let executor = QueryExecutor(store: store)
        let answer = Mutex<QueryResponse?>(nil)
        let query = Thread {
            let r = executor.execute("SELECT * FROM m", options: Self.options)
            answer.withLock { $0 = r }
        }
        query.start()
        var killed = false
        let deadline = Date().addingTimeInterval(30)
        while !killed, answer.withLock({ $0 == nil }), Date() < deadline {
            let rows = executor.execute("SHOW QUERIES", options: Self.options).results.first?.series.first?.values ?? []
            if let select = rows.first(where: { $0[1] == .string("SELECT * FROM m") }), case .integer(let id) = select[0] {
                killed = executor.execute("KILL QUERY \(id)", options: Self.options).results.first?.error == nil
            }
        }
        while answer.withLock({ $0 == nil }), Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(killed)
        #expect(answer.withLock { $0?.results.map { $0.error } } == ["query interrupted"])
        let after = executor.execute("SHOW QUERIES", options: Self.options).results.first?.series.first?.values ?? []
        #expect(after.map { $0[1] } == [.string("SHOW QUERIES")])
    }

    @Test(arguments: [
        (0, "0s"), (800, "800ns"), (37_512, "37µs"), (1_500_000, "1ms"), (999_999_999, "999ms"),
        (1_700_000_000, "1s"), (65_300_000_000, "1m5s"), (3_723_000_000_000, "1h2m3s"),
    ])
    func durationsAreCutAsInfluxDBCutsThem(_ nanoseconds: Int64, _ text: String) {
        #expect(RunningQueries.duration(.nanoseconds(nanoseconds)) == text)
    }

    @Test func killQueryParsesAndRenders() throws {
        #expect(try InfluxQLParser.parse("kill query 12") == [.killQuery(id: 12, host: nil)])
        #expect(try InfluxQLParser.parse(#"KILL QUERY 3 ON "localhost:8088""#) == [.killQuery(id: 3, host: "localhost:8088")])
        #expect(Statement.killQuery(id: 3, host: "localhost:8088").description == #"KILL QUERY 3 ON "localhost:8088""#)
        #expect(Statement.killQuery(id: 3, host: "h").description == "KILL QUERY 3 ON h")
        #expect(Statement.killQuery(id: 3, host: nil).requiredPrivileges == [RequiredPrivilege(admin: true, privilege: .all)])
    }
}
