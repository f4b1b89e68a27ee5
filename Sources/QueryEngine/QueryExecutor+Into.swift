import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// `SELECT … INTO target …`: runs the select, writes every row as a point, and answers with
    /// the number written (InfluxDB's `result` series). As in InfluxDB, the row's group-by tags
    /// stay tags, every other column becomes a field (tags selected as columns become string
    /// fields), null cells are left out, and rows without any value are skipped.
    func runInto(_ statement: SelectStatement, options: QueryOptions, budget: inout ScanBudget) throws -> [ResultSeries] {
        guard let target = statement.into else { return [] }
        var select = statement
        select.into = nil
        let database = target.database ?? options.database ?? ""
        guard !database.isEmpty else { throw QueryError.databaseRequired }
        let rows = try run(.select(select), options: options, budget: &budget)
        guard try store.databases().contains(database) else { throw QueryError.databaseNotFound(database) }
        let policy = try existingPolicy(target.retentionPolicy, database: database)
        var points = try Self.points(rows, into: target)
        // Points older than the policy keeps are dropped, as InfluxDB's points writer drops them.
        let all = points.count
        if let oldest = policy.oldestKept(now: options.now) { points.removeAll { $0.time < oldest } }
        let beyond = all - points.count
        if !points.isEmpty { try store.write(points, database: database, policy: policy.name) }
        if beyond > 0 { throw QueryError("partial write: points beyond retention policy dropped=\(beyond)") }
        return [ResultSeries(name: "result", columns: ["time", "written"], values: [[.time(0), .integer(Int64(points.count))]])]
    }

    /// The points INTO writes for result rows (pure: tested on its own).
    static func points(_ rows: [ResultSeries], into target: Measurement) throws -> [Point] {
        var points: [Point] = []
        for series in rows {
            let name: String
            if case .name(let n) = target.name, !n.isEmpty { name = n } else { name = series.name }
            guard let timeIndex = series.columns.firstIndex(of: "time") else {
                throw QueryError("error finding time index in result")
            }
            for row in series.values {
                guard case .time(let time) = row[timeIndex] else { continue }
                var fields: [Field] = []
                for (i, column) in series.columns.enumerated() where i != timeIndex {
                    guard let value = Self.fieldValue(row[i]) else { continue }
                    fields.append(Field(column, value))
                }
                if fields.isEmpty { continue }
                points.append(Point(measurement: name, tags: series.tags, fields: fields, time: time))
            }
        }
        return points
    }
}
