import Foundation
import InfluxQL
import Synchronization
import TimeSeries

/// Runs InfluxQL text against a `SeriesStore` and answers as InfluxDB 1.x would.
public final class QueryExecutor: Sendable, StatsProvider {
    let store: any SeriesStore
    let limits: QueryLimits
    /// The users of CREATE USER/GRANT/…; nil where none are kept (the CLI on a data directory).
    let users: (any UserAdministration)?
    /// The zones `tz()` may name.
    let zones: ZoneDatabase
    let providers = Mutex<[any StatsProvider]>([])
    private let counters = Mutex(Counters())
    /// Statements of recent query texts (`ParseCache`).
    let parsed = ParseCache()
    /// Plans and series selections of recent SELECTs (`PlanCache`).
    let plans = PlanCache()
    /// Whether `plans` is used (tests compare answers with and without it).
    let planCaching: Bool
    /// The queries being answered (`SHOW QUERIES`, `KILL QUERY`).
    let running = RunningQueries()
    /// `SHOW DIAGNOSTICS` modules beyond the process's own (the server's build and settings).
    let diagnosticsModules = Mutex<[DiagnosticsModule]>([])
    /// When the executor was made: wall time (ns since the epoch) and the monotonic instant.
    let started = (wall: Int64(Date().timeIntervalSince1970 * 1e9), clock: ContinuousClock.now)

    struct Counters {
        var queries = 0
        var statements = 0
        var errors = 0
        var parseErrors = 0
        var pointsScanned = 0
        var chunksSummarized = 0
        var nanoseconds: Int64 = 0
    }

    public init(store: any SeriesStore, limits: QueryLimits = .init(), users: (any UserAdministration)? = nil,
                zones: ZoneDatabase = .system, planCaching: Bool = true) {
        self.store = store
        self.planCaching = planCaching
        self.limits = limits
        self.users = users
        self.zones = zones
    }

    /// Adds a source of figures for `SHOW STATS`.
    public func register(_ provider: any StatsProvider) {
        providers.withLock { $0.append(provider) }
    }

    /// Parses and runs every statement of `text`; never throws (errors are part of the response).
    public func execute(_ text: String, options: QueryOptions) -> QueryResponse {
        let began = ContinuousClock.now
        let parsed: ParseCache.Parsed
        do {
            parsed = try parseShaped(text, params: options.params)
        } catch {
            counters.withLock { $0.queries += 1; $0.parseErrors += 1 }
            return QueryResponse(parseError: "error parsing query: \(error.description)")
        }
        return execute(parsed.statements, shapes: parsed.shapes, options: options, began: began, inline: nil)!
    }

    /// Runs `text` if it is one SELECT without INTO that reads at most `limits` series and points;
    /// nil when it is something else or goes past a limit, having done at most that much work
    /// (then run `execute` where a long query may block). A parse error is an answer.
    public func executeInline(_ text: String, options: QueryOptions, limits inline: InlineLimits) -> QueryResponse? {
        // Anything but a SELECT is left alone unparsed: the pool would parse it a second time.
        guard Self.startsWithSelect(text) else { return nil }
        let began = ContinuousClock.now
        guard let parsed = try? parseShaped(text, params: options.params) else {
            return execute(text, options: options)
        }
        let statements = parsed.statements
        guard statements.count == 1, case .select(let s) = statements[0], s.into == nil else { return nil }
        return execute(statements, shapes: parsed.shapes, options: options, began: began, inline: inline)
    }

    /// The statements of `text`, from the parse cache when the same text ran recently (without
    /// bound parameters: with them the same text may stand for other statements).
    func parse(_ text: String, params: [String: BoundParameter] = [:]) throws(ParseError) -> [Statement] {
        try parseShaped(text, params: params).statements
    }

    /// `parse`, with the plan shapes of the SELECTs (`PlanCache.Shape`), made once per text.
    func parseShaped(_ text: String, params: [String: BoundParameter] = [:]) throws(ParseError) -> ParseCache.Parsed {
        if !params.isEmpty { return ParseCache.Parsed(try InfluxQLParser.parse(text, zoneExists: zones.exists, params: params)) }
        return try parsed.parsed(text) { (text: String) throws(ParseError) -> [Statement] in
            try InfluxQLParser.parse(text, zoneExists: zones.exists)
        }
    }

    /// Runs parsed statements (authorized, budgeted and counted as a query).
    func execute(_ statements: [Statement], options: QueryOptions, began: ContinuousClock.Instant = .now) -> QueryResponse {
        execute(statements, shapes: [], options: options, began: began, inline: nil)!
    }

    /// `shapes`: each statement's `PlanCache.Shape` where its parse made one (may be empty).
    private func execute(_ statements: [Statement], shapes: [PlanCache.Shape?], options: QueryOptions, began: ContinuousClock.Instant,
                         inline: InlineLimits?) -> QueryResponse? {
        if let denial = authorize(statements, options) {
            counters.withLock { $0.queries += 1 }
            return QueryResponse(authorizationError: "error authorizing query: \(denial)")
        }
        let effective = limits.tightened(by: options.limits)
        let deadline = effective.timeout.map { began + $0 }
        let (id, task) = running.attach(statements, database: options.database, began: began)
        defer { running.detach(id) }
        var results: [StatementResult] = []
        var scanned = 0
        var selected = 0
        var summarized = 0
        var failed = 0
        for (i, statement) in statements.enumerated() {
            var budget = ScanBudget(limits: effective, deadline: deadline)
            budget.inline = inline
            budget.task = task
            var error: String?
            do {
                let series = try run(statement, options: options, budget: &budget, shape: i < shapes.count ? shapes[i] : nil)
                var result = StatementResult(statementID: i, series: series, messages: readOnlyWarning(statement, options))
                // InfluxDB 1.6.7 answers SHOW SERIES as a SELECT over its series index, through the
                // same emitter: over 10 000 keys the list stays `"partial":true` (measured).
                switch statement {
                case .select, .showSeries: result.perSeries = true
                default: break
                }
                results.append(result)
            } catch let e as QueryError {
                if e.abandoned { return nil }
                error = e.message
            } catch let e as SeriesStoreError {
                error = e.description
            } catch let e {
                error = "\(e)"
            }
            scanned += budget.points
            summarized += budget.summarizedChunks
            selected += budget.series
            if let error {
                failed += 1
                results += Self.stopped(at: i, of: statements.count, error: error)
                break
            }
        }
        record(statements: statements.count, failed: failed, points: scanned, summarized: summarized, series: selected, began: began)
        return QueryResponse(results: results)
    }

    /// What InfluxDB 1.6.7 answers for statement `i` that failed and the statements after it,
    /// which it does not run: the error, then one `not executed` under the same statement id
    /// for each statement left after it. A chunked answer sends them all; a buffered answer
    /// merges one statement's results, so its last error stands (`ResponseAssembly`): a failure
    /// before the last statement reads `not executed`, measured against influxd.
    static func stopped(at i: Int, of count: Int, error: String) -> [StatementResult] {
        [StatementResult(statementID: i, error: error)]
            + (i + 1..<count).map { _ in StatementResult(statementID: i, error: "not executed") }
    }

    /// Counts one query once it is answered (`execute`, or a `QueryStream` after its last chunk).
    func record(statements: Int, failed: Int, points: Int, summarized: Int, series: Int, began: ContinuousClock.Instant) {
        HeapTrim.process.afterQuery(points: points, series: series)
        let elapsed = ContinuousClock.now - began
        counters.withLock {
            $0.queries += 1
            $0.statements += statements
            $0.errors += failed
            $0.pointsScanned += points
            $0.chunksSummarized += summarized
            $0.nanoseconds += elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        }
    }

    /// Whether `text` starts with SELECT (whitespace before it allowed): what else a request sends
    /// is not parsed before the thread pool.
    static func startsWithSelect(_ text: String) -> Bool {
        let head = text.utf8.drop { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }.prefix(6)
        return head.count == 6 && zip(head, "select".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// `shape`: a SELECT's `PlanCache.Shape`, made when it was parsed (nil: made when needed).
    func run(_ statement: Statement, options: QueryOptions, budget: inout ScanBudget, shape: PlanCache.Shape? = nil) throws -> [ResultSeries] {
        switch statement {
        case .select(let s):
            if s.into != nil { return try runInto(s, options: options, budget: &budget) }
            if s.sources.contains(where: { if case .subquery = $0 { return true } else { return false } }) {
                return try runSubquery(s, options: options, budget: &budget)
            }
            return try runSelect(s, options: options, budget: &budget, shape: shape)
        case .showDatabases:
            let names = try visibleDatabases(options)
            return [ResultSeries(name: "databases", columns: ["name"], values: names.map { [.string($0)] })]
        case .showRetentionPolicies(let db):
            return try showRetentionPolicies(db, options)
        case .showMeasurements(let s): return try showMeasurements(s, options)
        case .showTagKeys(let s): return try showTagKeys(s, options)
        case .showTagValues(let s): return try showTagValues(s, options)
        case .showFieldKeys(let s): return try showFieldKeys(s, options)
        case .showSeries(let s): return try showSeries(s, options)
        case .showCardinality(let s): return try showCardinality(s, options)
        case .showStats(let module): return showStats(module)
        case .createDatabase(let s):
            try createDatabase(s)
            return []
        case .dropDatabase(let name):
            try store.dropDatabase(name)
            try users?.removeDatabase(name)
            return []
        case .dropMeasurement(let name):
            let db = try requireDatabase(nil, options)
            try store.dropMeasurement(database: db, name: name)
            return []
        case .dropSeries(let s):
            try deleteSeries(s, options, dropping: true)
            return []
        case .delete(let s):
            try deleteSeries(s, options, dropping: false)
            return []
        case .showUsers, .createUser, .dropUser, .setPassword, .grant, .grantAdmin, .revoke, .revokeAdmin, .showGrants:
            return try runUserStatement(statement)
        case .showQueries:
            return [running.show()]
        case .killQuery(let id, _):
            try running.kill(id)
            return []
        case .showDiagnostics(let module):
            return showDiagnostics(module)
        case .showSubscriptions, .showShards, .showShardGroups:
            return []
        default:
            if let answer = try runAdministration(statement, options: options) { return answer }
            throw QueryError("statement not supported")
        }
    }

    /// A SELECT from the store: planned and its series selected anew, or from `plans` when the
    /// same statement (but for its time comparisons) ran at this catalog version.
    func runSelect(_ s: SelectStatement, options: QueryOptions, budget: inout ScanBudget, shape: PlanCache.Shape? = nil) throws -> [ResultSeries] {
        // The version is read before anything the plan reads: a change after it moves it, and the
        // plan made here is then never found under the newer version.
        assert(shape.map { $0.statement == PlanCache.Shape(s)?.statement } ?? true, "a shape of another statement")
        guard planCaching, let version = store.catalogVersion, let key = PlanCache.key(s, options: options, shape: shape) else {
            let plan = try SelectPlan.make(s, store: store, options: options, zone: try zone(of: s))
            var runner = SelectRunner(plan: plan, store: store, options: options, budget: budget)
            defer { budget = runner.budget }
            return try runner.run()
        }
        if let (kept, selection) = plans.find(key, version: version) {
            var plan = kept
            plan.statement = s
            var runner = SelectRunner(plan: plan, store: store, options: options, budget: budget)
            defer { budget = runner.budget }
            return try runner.run(try runner.retimed(selection))
        }
        let plan = try SelectPlan.make(s, store: store, options: options, zone: try zone(of: s))
        var runner = SelectRunner(plan: plan, store: store, options: options, budget: budget)
        defer { budget = runner.budget }
        let selection = try runner.selection()
        plans.keep(key, version: version, plan: plan, selection: selection)
        return try runner.run(selection)
    }

    /// The database a statement targets (`ON db` or the `db` parameter), which must exist.
    func requireDatabase(_ named: String?, _ options: QueryOptions) throws -> String {
        guard let db = named ?? options.database, !db.isEmpty else { throw QueryError.databaseRequired }
        guard try store.databaseExists(db) else { throw QueryError.databaseNotFound(db) }
        return db
    }

    public func stats() -> [StatsGroup] {
        let c = counters.withLock { $0 }
        return [StatsGroup(name: "queries", values: [
            ("queries_total", Double(c.queries)),
            ("statements_total", Double(c.statements)),
            ("statement_errors_total", Double(c.errors)),
            ("parse_errors_total", Double(c.parseErrors)),
            ("points_scanned_total", Double(c.pointsScanned)),
            ("chunks_summarized_total", Double(c.chunksSummarized)),
            ("query_seconds_total", Double(c.nanoseconds) / 1e9),
        ])]
    }
}
