/// Counts what one statement reads and enforces the query limits with InfluxDB's error texts.
struct ScanBudget {
    let limits: QueryLimits
    let deadline: ContinuousClock.Instant?
    private(set) var points = 0

    init(limits: QueryLimits, deadline: ContinuousClock.Instant?) {
        self.limits = limits
        self.deadline = deadline
    }

    func addSeries(_ n: Int) throws(QueryError) {
        if limits.maxSeries > 0 && n > limits.maxSeries {
            throw QueryError("max-select-series limit exceeded: (\(n)/\(limits.maxSeries))")
        }
    }

    mutating func addPoints(_ n: Int) throws(QueryError) {
        points += n
        if limits.maxPointsScanned > 0 && points > limits.maxPointsScanned {
            throw QueryError("max-select-point limit exceeed: (\(points)/\(limits.maxPointsScanned))")
        }
        if let deadline, ContinuousClock.now > deadline {
            throw QueryError("query-timeout limit exceeded")
        }
    }
}
