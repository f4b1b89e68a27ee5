/// Guards that stop one query from starving the server (InfluxDB's `max-select-series`,
/// `max-select-point` and `query-timeout`). Zero or nil means unlimited.
public struct QueryLimits: Sendable, Hashable {
    /// Maximum number of series a SELECT may read.
    public var maxSeries: Int
    /// Maximum number of samples a SELECT may scan.
    public var maxPointsScanned: Int
    /// Wall-clock budget of one request.
    public var timeout: Duration?
    /// InfluxDB's `max-row-limit`: rows of a non-chunked HTTP answer (applied by the HTTP layer).
    public var maxRows: Int

    public init(maxSeries: Int = 0, maxPointsScanned: Int = 0, timeout: Duration? = nil, maxRows: Int = 0) {
        self.maxSeries = maxSeries
        self.maxPointsScanned = maxPointsScanned
        self.timeout = timeout
        self.maxRows = maxRows
    }

    /// The stricter of two limits, field by field (0/nil count as unlimited).
    func tightened(by other: QueryLimits) -> QueryLimits {
        func pick(_ a: Int, _ b: Int) -> Int { a == 0 ? b : (b == 0 ? a : min(a, b)) }
        var t = timeout
        if let o = other.timeout { t = t.map { min($0, o) } ?? o }
        return QueryLimits(maxSeries: pick(maxSeries, other.maxSeries), maxPointsScanned: pick(maxPointsScanned, other.maxPointsScanned), timeout: t,
                           maxRows: pick(maxRows, other.maxRows))
    }
}
