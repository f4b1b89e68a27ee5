/// Counts what one statement reads and enforces the query limits with InfluxDB's error texts.
struct ScanBudget {
    let limits: QueryLimits
    let deadline: ContinuousClock.Instant?
    private(set) var points = 0
    /// Sealed chunks answered from their count or summary instead of decoded.
    var summarizedChunks = 0
    /// Series selected (each statement's, and each subquery's).
    private(set) var series = 0
    /// Set for an inline run: past these the statement is abandoned (`QueryError.abandoned`).
    var inline: InlineLimits?
    /// The query's entry among the running ones: once killed, the next read stops it.
    var task: RunningQueries.Task?

    init(limits: QueryLimits, deadline: ContinuousClock.Instant?) {
        self.limits = limits
        self.deadline = deadline
    }

    mutating func addSeries(_ n: Int) throws(QueryError) {
        series += n
        if let inline, n > inline.series { throw .abandoned }
        if limits.maxSeries > 0 && n > limits.maxSeries {
            throw QueryError("max-select-series limit exceeded: (\(n)/\(limits.maxSeries))")
        }
    }

    /// An inline run reads no more than `inline.span` of time (a panel's last hours, not a year).
    func checkSpan(_ condition: Condition, now: Int64) throws(QueryError) {
        guard let inline else { return }
        let end = condition.hasMax ? condition.max : now
        guard condition.hasMin, end >= condition.min else { throw .abandoned }
        let (span, overflow) = end.subtractingReportingOverflow(condition.min)
        if overflow || span > inline.span { throw .abandoned }
    }

    /// An inline run gives up before decoding when the cursors it is about to drain hold more
    /// than its points allow (`SampleCursor.pointsAhead`, an estimate from chunk headers).
    func expectPoints(_ n: Int) throws(QueryError) {
        if let inline, points + n > inline.points { throw .abandoned }
    }

    mutating func addPoints(_ n: Int) throws(QueryError) {
        points += n
        if let inline, points > inline.points { throw .abandoned }
        if limits.maxPointsScanned > 0 && points > limits.maxPointsScanned {
            throw QueryError("max-select-point limit exceeed: (\(points)/\(limits.maxPointsScanned))")
        }
        try interrupt.check()
    }

    /// What stops the statement before it finishes: its deadline and `KILL QUERY`.
    var interrupt: Interrupt { Interrupt(deadline: deadline, task: task) }

    /// Checked with every count of points and before each batch of series is read.
    struct Interrupt: Sendable {
        let deadline: ContinuousClock.Instant?
        let task: RunningQueries.Task?

        func check() throws(QueryError) {
            if let deadline, ContinuousClock.now > deadline {
                throw QueryError("query-timeout limit exceeded")
            }
            if let task, task.isKilled { throw QueryError("query interrupted") }
        }
    }
}

/// How much an inline run (`QueryExecutor.executeInline`, on the caller's thread) may read before
/// it gives up: a request that would read more goes to a thread that may block.
public struct InlineLimits: Sendable, Hashable {
    public var series: Int
    public var points: Int
    /// The widest time range (ns) of a statement run inline; one without a lower bound is not.
    public var span: Int64

    public init(series: Int, points: Int, span: Int64) {
        self.series = series
        self.points = points
        self.span = span
    }
}
