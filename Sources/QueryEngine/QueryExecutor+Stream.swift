import InfluxQL
import TimeSeries

/// A `chunked=true` answer produced as it is sent, so memory holds the chunk being encoded and
/// little else, not every row of the answer:
/// - a raw SELECT reads its rows through open cursors, a chunk at a time;
/// - an aggregate is loaded and evaluated a few groups at a time (`aggregateBlockGroups`), in answer
///   order, each block's rows sent before the next block is read.
/// The pieces are the ones `execute` followed by InfluxDB's chunk split gives (one per `size`
/// rows of a series, `partial` on every piece but the last of a series and of the statement).
/// Read by one consumer, in order; each `next()` reads the store, so call it where blocking is allowed.
public final class QueryStream: @unchecked Sendable {
    private let executor: QueryExecutor
    private var runner: SelectRunner
    private let groups: [SelectRunner.Group]
    private let conditions: [String: Condition]
    private let fieldSets: [String: Set<String>]
    private let size: Int
    private let began: ContinuousClock.Instant
    /// Its entry among the running queries, left when the last chunk is made or the client goes.
    private let queryID: UInt64
    private let tally = PointTally()
    private var groupIndex = 0
    /// The group being sent, the source of its rows still to read, and the rows read but not sent.
    private var current: (group: SelectRunner.Group, next: () throws -> [ResultValue]?)?
    private var buffered: [[ResultValue]] = []
    /// Aggregate groups evaluated but not yet sent (last first), with their rows.
    private var evaluated: [(group: SelectRunner.Group, rows: [[ResultValue]])] = []
    private var sentAny = false
    private var done = false
    private var failed = false

    /// Groups and series an aggregate loads and evaluates at once: enough for both cores and for
    /// batched scans, few enough that a block's rows stay small (16 groups of a day at 10 s are
    /// 138 240 rows).
    static let aggregateBlockGroups = 16
    static let aggregateBlockSeries = 256

    init(executor: QueryExecutor, runner: SelectRunner, selection: (groups: [SelectRunner.Group], conditions: [String: Condition], fieldSets: [String: Set<String>]),
         size: Int, began: ContinuousClock.Instant, queryID: UInt64) {
        self.executor = executor
        self.runner = runner
        self.groups = selection.groups
        self.conditions = selection.conditions
        self.fieldSets = selection.fieldSets
        self.size = max(size, 1)
        self.began = began
        self.queryID = queryID
    }

    /// The next piece of the answer; nil after the last.
    public func next() -> QueryResponse? {
        guard !done else { return nil }
        do {
            let piece = try produce()
            try runner.budget.addPoints(take())
            if done { finish() }
            return piece
        } catch {
            done = true
            failed = true
            finish()
            let message = (error as? QueryError)?.message ?? (error as? SeriesStoreError)?.description ?? "\(error)"
            return QueryResponse(results: [StatementResult(statementID: 0, error: message)])
        }
    }

    private func take() -> Int {
        defer { tally.count = 0 }
        return tally.count
    }

    private func produce() throws -> QueryResponse? {
        if current == nil {
            guard try openNextGroup() else {
                // No group has a row: the statement's empty result, once.
                done = true
                return sentAny ? nil : QueryResponse(results: [Self.result(series: [], partial: false)])
            }
        }
        let (group, source) = current!
        while buffered.count <= size, let row = try source() {
            buffered.append(row)
            if tally.count >= 4_096 { try runner.budget.addPoints(take()) }
        }
        sentAny = true
        if buffered.count > size {
            let rows = Array(buffered.prefix(size))
            buffered.removeFirst(size)
            return piece(group, rows, seriesPartial: true, resultPartial: true)
        }
        // The group's last rows: the statement goes on if a later group has a row.
        let rows = buffered
        buffered = []
        current = nil
        let more = try openNextGroup()
        if !more { done = true }
        return piece(group, rows, seriesPartial: false, resultPartial: more)
    }

    /// Opens groups until one has a row (it becomes `current`, its first row buffered).
    private func openNextGroup() throws -> Bool {
        if runner.plan.isAggregate { return try openNextAggregate() }
        while groupIndex < groups.count {
            let g = groups[groupIndex]
            groupIndex += 1
            let source = try runner.rawSource(g, condition: conditions[g.measurement]!, fieldSet: fieldSets[g.measurement]!, tally: tally)
            let next = { try source.next().map { [.time($0.time)] + $0.cells } }
            if let first = try next() {
                current = (g, next)
                buffered = [first]
                return true
            }
        }
        return false
    }

    /// The next aggregate group with rows, evaluating the next block of groups when the last
    /// one is sent.
    private func openNextAggregate() throws -> Bool {
        while true {
            if let (g, rows) = evaluated.popLast() {
                var rest = rows.dropFirst().makeIterator()
                current = (g, { rest.next() })
                buffered = [rows[0]]
                return true
            }
            guard groupIndex < groups.count else { return false }
            var end = groupIndex, series = 0
            while end < groups.count && end - groupIndex < Self.aggregateBlockGroups && series < Self.aggregateBlockSeries {
                series += groups[end].series.count
                end += 1
            }
            let block = Array(groups[groupIndex..<end])
            groupIndex = end
            let data = try runner.loadGroups(block, conditions: conditions, fieldSets: fieldSets)
            // Conditions with a start (`groupsStandAlone`): the earliest sample is not used.
            let rows = try runner.aggregateRows(Array(zip(block, data)), conditions: conditions, dataMin: .max)
            evaluated = zip(block, rows).filter { !$0.1.isEmpty }.map { ($0.0, $0.1.cells) }.reversed()
        }
    }

    private func piece(_ g: SelectRunner.Group, _ rows: [[ResultValue]], seriesPartial: Bool, resultPartial: Bool) -> QueryResponse {
        var series = ResultSeries(name: g.measurement, tags: g.tags, columns: runner.plan.columnNames, values: rows, partial: seriesPartial)
        series.zone = runner.plan.zone
        return QueryResponse(results: [Self.result(series: [series], partial: resultPartial)])
    }

    /// The statement's result as `execute` makes a SELECT's.
    private static func result(series: [ResultSeries], partial: Bool) -> StatementResult {
        var result = StatementResult(statementID: 0, series: series, partial: partial)
        result.perSeries = true
        return result
    }

    deinit {
        // A client that went away before the last chunk: the query still counts.
        if !done { finish() }
    }

    private func finish() {
        executor.running.detach(queryID)
        executor.record(statements: 1, failed: failed ? 1 : 0, points: runner.budget.points, summarized: runner.budget.summarizedChunks,
                        series: runner.budget.series, began: began)
    }
}

extension QueryExecutor {
    /// A streamed `chunked=true` answer to `text` when it is one SELECT without INTO or subquery
    /// that is either raw (ascending, without LIMIT, OFFSET, SLIMIT or SOFFSET) or an aggregate
    /// whose groups stand alone (`SelectRunner.streamsAggregates`); nil for anything else, and
    /// for a statement that fails before its first row (then `execute` answers it).
    public func stream(_ text: String, options: QueryOptions, chunkSize: Int) -> QueryStream? {
        let began = ContinuousClock.now
        guard Self.startsWithSelect(text), let statements = try? parse(text, params: options.params), statements.count == 1,
              case .select(let s) = statements[0], s.into == nil,
              !s.sources.contains(where: { if case .subquery = $0 { return true } else { return false } }),
              authorize(statements, options) == nil else { return nil }
        do {
            let plan = try SelectPlan.make(s, store: store, options: options, zone: try zone(of: s))
            let effective = limits.tightened(by: options.limits)
            var runner = SelectRunner(plan: plan, store: store, options: options,
                                      budget: ScanBudget(limits: effective, deadline: effective.timeout.map { began + $0 }))
            guard runner.streamsRawRows || runner.streamsAggregates else { return nil }
            let selection = try runner.select()
            if runner.plan.isAggregate && !runner.groupsStandAlone(selection.conditions) { return nil }
            let (id, task) = running.attach(statements, database: options.database, began: began)
            runner.budget.task = task
            return QueryStream(executor: self, runner: runner, selection: selection, size: chunkSize, began: began, queryID: id)
        } catch {
            return nil
        }
    }
}
