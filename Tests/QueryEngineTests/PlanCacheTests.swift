import Foundation
import InfluxQL
import SQLiteStore
import Testing
import TestSupport
import TimeSeries
@testable import QueryEngine

/// SELECT plans and selections kept across runs (`PlanCache`) answer exactly as new ones, and
/// only while the store's catalog stays the same.
struct PlanCacheTests {
    static let second: Int64 = 1_000_000_000

    static func json(_ r: QueryResponse) -> String {
        String(decoding: ResultWriter.json(r, epoch: .ns, pretty: false), as: UTF8.self)
    }

    /// A statement of a random kind at a random time range: the kinds cover the plan's and the
    /// selection's inputs (regex and plain tag conditions, OR beside time, fields compared,
    /// `now()`, wildcards, GROUP BY *, regex sources, an explicit policy, an offset of `now()`).
    static func query(_ rng: inout SeededGenerator) -> String {
        let lo = Int64.random(in: 0...5_000, using: &rng), hi = lo + Int64.random(in: 1...4_000, using: &rng)
        let range = "time >= \(lo)s AND time < \(hi)s"
        let host = "h\(Int.random(in: 0...5, using: &rng))"
        switch Int.random(in: 0...11, using: &rng) {
        case 0: return "SELECT mean(v) FROM cpu WHERE host =~ /^(h0|h1|h4)$/ AND \(range) GROUP BY time(10m), host fill(null)"
        case 1: return "SELECT max(v) FROM /.*/ WHERE time >= \(lo)s GROUP BY *"
        case 2: return "SELECT * FROM mem WHERE \(range)"
        case 3: return "SELECT count(v) FROM cpu WHERE (host = '\(host)' OR time > \(lo)s) AND time < \(hi)s"
        case 4: return "SELECT last(v) FROM cpu WHERE v > 3 AND time < now() - \(lo)s GROUP BY host"
        case 5: return "SELECT v, w FROM \"rp1\".cpu WHERE \(range) LIMIT 7"
        case 6: return "SELECT mean(v) FROM cpu WHERE time >= \(lo)s GROUP BY time(5m, now()) LIMIT 4"
        case 7: return "SELECT derivative(mean(v), 1s) FROM cpu WHERE host = '\(host)' AND \(range) GROUP BY time(1m)"
        case 8: return "SELECT mean(v) FROM cpu, mem, disk WHERE host != 'h2' AND time >= now() - \(hi)s GROUP BY time(15m), dc"
        case 9: return "SELECT sum(w) FROM cpu WHERE dc = 'a' AND \(range) GROUP BY time(20m) fill(0)"
        case 10: return "SELECT first(v) FROM disk WHERE \(range) GROUP BY host SLIMIT 2"
        default: return "SELECT count(*) FROM cpu WHERE \(range) GROUP BY host, dc"
        }
    }

    @Test("a kept plan answers as a new one through writes, new series, tags and fields, drops, deletes and policies",
          arguments: [1, 2, 3] as [UInt64])
    func keptPlansAnswerAsNewOnes(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        defer { try? store.close() }
        let cached = QueryExecutor(store: store)
        let fresh = QueryExecutor(store: store, planCaching: false)
        var rng = SeededGenerator(seed: seed)
        try store.createDatabase("db")
        var hosts = 2
        var policies = 1
        var queries = 0
        func admin(_ text: String) {
            let answer = Self.json(fresh.execute(text, options: QueryOptions(database: "db")))
            #expect(!answer.contains("\"error\""), "\(text): \(answer)")
        }
        for _ in 0..<160 {
            switch Int.random(in: 0...19, using: &rng) {
            case 0...9:
                var points: [Point] = []
                for _ in 0..<Int.random(in: 1...30, using: &rng) {
                    let m = ["cpu", "mem", "disk"][Int.random(in: 0...2, using: &rng)]
                    var tags = [Tag("host", "h\(Int.random(in: 0..<hosts, using: &rng))")]
                    if Int.random(in: 0...3, using: &rng) == 0 { tags.append(Tag("dc", ["a", "b"][Int.random(in: 0...1, using: &rng)])) }
                    var fields = [Field("v", .float(Double(Int.random(in: -20...20, using: &rng))))]
                    if Int.random(in: 0...4, using: &rng) == 0 { fields.append(Field("w", .float(Double(Int.random(in: 0...9, using: &rng))))) }
                    points.append(Point(key: SeriesKey(measurement: m, tags: tags), fields: fields,
                                        time: Int64.random(in: 0...9_000, using: &rng) * Self.second))
                }
                try store.write(points, database: "db")
                if Bool.random(using: &rng) { try store.flush() }
            case 10, 11: hosts = min(hosts + 1, 6)
            case 12: admin("DROP SERIES FROM cpu WHERE host = 'h\(Int.random(in: 0..<hosts, using: &rng))'")
            case 13: admin("DELETE FROM mem WHERE time < \(Int.random(in: 0...9_000, using: &rng))s")
            case 14 where Int.random(in: 0...3, using: &rng) == 0: admin("DROP MEASUREMENT disk")
            case 15:
                // A new default policy: writes and statements without a policy move to it.
                admin("CREATE RETENTION POLICY rp\(policies) ON db DURATION 0s REPLICATION 1 DEFAULT")
                policies += 1
            case 16 where policies > 1:
                admin("ALTER RETENTION POLICY rp\(Int.random(in: 0..<policies, using: &rng)) ON db DEFAULT".replacingOccurrences(of: "rp0", with: "autogen"))
            default:
                break
            }
            for _ in 0..<4 {
                let q = Self.query(&rng)
                let options = QueryOptions(database: "db", now: Int64.random(in: 3_000...9_000, using: &rng) * Self.second)
                #expect(Self.json(cached.execute(q, options: options)) == Self.json(fresh.execute(q, options: options)), "\(q)")
                queries += 1
            }
        }
        // Both ways were taken: kept plans answered, and changes made new ones.
        #expect(cached.plans.hits > queries / 8, "\(cached.plans.hits) of \(queries)")
        #expect(cached.plans.hits < queries * 9 / 10, "\(cached.plans.hits) of \(queries)")
    }

    @Test("the catalog version moves with databases, policies, series and fields, not with samples")
    func catalogVersionFollowsTheCatalog() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let executor = QueryExecutor(store: store)
        func version() -> UInt64 { store.catalogVersion ?? .max }
        let key = SeriesKey(measurement: "cpu", tags: [Tag("host", "a")])
        var last = version()
        func moved(_ why: String, _ expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
            let now = version()
            #expect((now != last) == expected, "\(why): \(last) → \(now)", sourceLocation: sourceLocation)
            last = now
        }
        try store.createDatabase("db")
        moved("a database made", true)
        try store.write([Point(key: key, fields: [Field("v", .float(1))], time: 1)], database: "db")
        moved("a new series", true)
        try store.write([Point(key: key, fields: [Field("v", .float(2))], time: 2)], database: "db")
        try store.flush()
        moved("a sample of a known series field, a flush", false)
        try store.write([Point(key: key, fields: [Field("w", .float(2))], time: 3)], database: "db")
        moved("a new field", true)
        #expect(throws: (any Error).self) {
            try store.write([Point(key: key, fields: [Field("v", .string("x"))], time: 4)], database: "db")
        }
        moved("a write rejected for its type", false)
        _ = executor.execute("DELETE FROM cpu WHERE time < 2", options: QueryOptions(database: "db"))
        moved("samples deleted", false)
        _ = executor.execute("CREATE RETENTION POLICY two ON db DURATION 1h REPLICATION 1", options: QueryOptions(database: "db"))
        moved("a policy made", true)
        _ = executor.execute("ALTER RETENTION POLICY two ON db DEFAULT", options: QueryOptions(database: "db"))
        moved("the default policy changed", true)
        _ = executor.execute("DROP SERIES FROM cpu", options: QueryOptions(database: "db"))
        moved("series dropped", true)
        try store.dropDatabase("db")
        moved("a database dropped", true)
        try store.close()

        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(reader.catalogVersion == nil)
    }

    @Test("statements that differ in their time comparisons alone share a key; a plan reading now() has none")
    func keys() throws {
        func key(_ text: String, database: String = "db") throws -> PlanCache.Key? {
            guard case .select(let s)? = try InfluxQLParser.parse(text).first else { return nil }
            return PlanCache.key(s, options: QueryOptions(database: database))
        }
        let a = try key("SELECT mean(v) FROM cpu WHERE host = 'a' AND time >= 1000ms AND time <= 2000ms GROUP BY time(1m)")
        let b = try key("SELECT mean(v) FROM cpu WHERE (host = 'a') AND time >= now() - 6h GROUP BY time(1m)")
        let c = try key("SELECT mean(v) FROM cpu WHERE host = 'a' AND time >= 5s GROUP BY time(1m)")
        #expect(a != nil && a == c)
        #expect(a != b, "the parentheses are part of the statement")
        #expect(try a != key("SELECT mean(v) FROM cpu WHERE host = 'b' AND time >= 5s GROUP BY time(1m)"))
        #expect(try a != key("SELECT mean(v) FROM cpu WHERE host = 'a' AND time >= 5s GROUP BY time(1m)", database: "other"))
        #expect(try a != key("SELECT mean(v) FROM cpu WHERE host = 'a' AND time >= 5s GROUP BY time(1m) tz('Europe/Paris')"))
        #expect(try key("SELECT mean(v) FROM cpu WHERE time >= 5s GROUP BY time(1m, now())") == nil)
        #expect(try key("SELECT mean(v) FROM cpu WHERE time >= 5s GROUP BY time(1m, 30s)") != nil)
    }

    @Test("the cache keeps at most its capacity, stale entries going first, and no large selections")
    func capacity() throws {
        let cache = PlanCache(capacity: 2)
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        defer { try? store.close() }
        try store.write([Point(key: SeriesKey(measurement: "m", tags: []), fields: [Field("v", .float(1))], time: 1)], database: "db")
        func entry(_ text: String) throws -> (PlanCache.Key, SelectPlan, SelectRunner.Selection) {
            guard case .select(let s)? = try InfluxQLParser.parse(text).first else { throw QueryError("not a select") }
            let options = QueryOptions(database: "db")
            let plan = try SelectPlan.make(s, store: store, options: options)
            let runner = SelectRunner(plan: plan, store: store, options: options, budget: ScanBudget(limits: QueryLimits(), deadline: nil))
            return (PlanCache.key(s, options: options)!, plan, try runner.selection())
        }
        let (a, planA, selA) = try entry("SELECT v FROM m")
        let (b, planB, selB) = try entry("SELECT v FROM m LIMIT 1")
        let (c, planC, selC) = try entry("SELECT v FROM m LIMIT 2")
        cache.keep(a, version: 1, plan: planA, selection: selA)
        cache.keep(b, version: 2, plan: planB, selection: selB)
        #expect(cache.find(a, version: 2) == nil, "found at another version")
        cache.keep(c, version: 2, plan: planC, selection: selC)
        #expect(cache.count == 2)
        #expect(cache.find(b, version: 2) != nil && cache.find(c, version: 2) != nil, "the stale entry went, not these")
        var large = selC
        large.seriesCount = PlanCache.maxSeries + 1
        cache.keep(a, version: 2, plan: planA, selection: large)
        #expect(cache.find(a, version: 2) == nil)
    }
}
