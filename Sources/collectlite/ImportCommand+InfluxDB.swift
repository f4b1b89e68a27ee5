import Foundation
import LineProtocol
import TimeSeries

/// `--from-influxdb`: reads one database and retention policy of a running InfluxDB 1.x over
/// `/query`, measurement by measurement in time slices (`chunked=true`, `epoch=ns`), each
/// slice written to the target, made durable and recorded in the resume state.
extension ImportCommand {
    func importFromInfluxDB(_ source: HTTPStreamClient, into target: any ImportTarget, statePath: String,
                            reporter: ImportReporter) async throws -> [Tally] {
        let db = database!
        let now = TimeArgument.now()
        let sinceTime = try since.map { text in
            guard let value = TimeArgument.nanoseconds(text, now: now) else {
                throw ImportError("invalid --since \(text): expected RFC 3339, a duration such as 7d, or ns since the epoch")
            }
            return value
        }
        let policies = try InfluxAnswer.series(try await source.query("SHOW RETENTION POLICIES ON \(InfluxQLName.quote(db))", database: db))
            .first.map { series in
                series.values.map { row in
                    (name: row.first as? String ?? "", duration: ImportCommand.column("duration", of: row, in: series.columns) as? String ?? "0s",
                     isDefault: ImportCommand.column("default", of: row, in: series.columns) as? Bool ?? false)
                }
            } ?? []
        guard let policy = rp.flatMap({ name in policies.first { $0.name == name } }) ?? (rp == nil ? policies.first(where: \.isDefault) : nil) else {
            throw ImportError("\(source.base.absoluteString) has no retention policy \(rp ?? "(default)") in database \(db) (it has: \(policies.map(\.name).joined(separator: ", ")))")
        }
        try await prepare(target, database: db, policy: policy.name, duration: ExportStatement.duration(policy.duration) ?? 0)
        let measurements = try InfluxAnswer.firstColumn(try await source.query("SHOW MEASUREMENTS", database: db)).sorted()
        let key = "influxdb \(source.base.absoluteString) \(db).\(policy.name) since \(sinceTime.map(String.init) ?? "-") into \(target.description)"
        var state = ImportState.load(path: statePath, key: key)
        if !state.isFresh {
            reporter.note("resuming the import recorded in \(statePath): \(state.finished.count) of \(measurements.count) measurements done, \(ImportProgress.grouped(state.values)) values")
        }
        let end = state.end ?? now
        state.end = end
        let from = "\(InfluxQLName.quote(policy.name))."
        // No lower bound without --since: InfluxDB reads -9223372036854775808 as no valid time.
        let bounds = (sinceTime.map { "time >= \($0) AND " } ?? "") + "time <= \(end)"

        // Counts first: the report's source side, the ETA's total and the slices' widths.
        var plans: [(measurement: String, fields: [(String, FieldType)], first: Int64, count: Int)] = []
        for measurement in measurements {
            let name = from + InfluxQLName.quote(measurement)
            let count = try InfluxAnswer.count(try await source.query("SELECT count(*) FROM \(name) WHERE \(bounds)", database: db))
            guard count > 0 else { continue }
            let firstRow = try InfluxAnswer.series(try await source.query("SELECT * FROM \(name) WHERE \(bounds) LIMIT 1", database: db))
            let first = (firstRow.first?.values.first?.first as? NSNumber)?.int64Value ?? sinceTime ?? 0
            let fields = try InfluxAnswer.series(try await source.query("SHOW FIELD KEYS FROM \(name)", database: db))
                .flatMap { $0.values }.compactMap { row -> (String, FieldType)? in
                    guard row.count >= 2, let field = row[0] as? String, let type = row[1] as? String else { return nil }
                    return (field, Self.fieldType(type))
                }
            plans.append((measurement, fields, first, count))
        }
        let total = plans.reduce(0) { $0 + $1.count }
        var tallies: [Tally] = []
        var done = plans.filter { state.finished.contains("\(db).\(policy.name).\($0.measurement)") }.reduce(0) { $0 + $1.count }
        var written = state.values
        for plan in plans {
            let stateName = "\(db).\(policy.name).\(plan.measurement)"
            tallies.append(Tally(database: db, policy: policy.name, measurement: plan.measurement, source: plan.count, range: (sinceTime ?? Int64.min)...end))
            guard let start = state.start(of: stateName, from: plan.first) else { continue }
            let width = ImportSlicing.width(start: plan.first, end: end, count: plan.count, valuesPerSlice: sliceValues)
            let select = "SELECT " + plan.fields.map { InfluxQLName.quote($0.0) + "::field" }.joined(separator: ", ")
                + " FROM " + from + InfluxQLName.quote(plan.measurement)
            let types = Dictionary(plan.fields, uniquingKeysWith: { a, _ in a })
            for slice in ImportSlicing.slices(start: start, end: end, width: width) {
                let text = select + " WHERE time >= \(slice.from) AND time < \(slice.to) GROUP BY *"
                var batch: [Point] = []
                var sliceValues = 0
                let items = [("db", db), ("rp", policy.name), ("q", text), ("epoch", "ns"), ("chunked", "true"), ("chunk_size", "10000")]
                let (status, body) = try await source.send(method: .GET, source.target("/query", items)) { line in
                    guard let answer = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                        throw ImportError("\(source.base.absoluteString) answered no JSON to \(text): \(String(decoding: line.prefix(300), as: UTF8.self))")
                    }
                    for series in try InfluxAnswer.series(answer) {
                        let key = SeriesKey(measurement: plan.measurement, tags: series.tags.map { Tag($0.key, $0.value) })
                        for row in series.values {
                            guard let point = Self.point(row, key: key, columns: series.columns, types: types) else { continue }
                            batch.append(point)
                            sliceValues += point.fields.count
                            if batch.count >= batchPoints {
                                try await write(batch, to: target, database: db, policy: policy.name, reporter: reporter)
                                batch.removeAll(keepingCapacity: true)
                                reporter.update(values: written + sliceValues, done: done + sliceValues, total: total)
                            }
                        }
                    }
                }
                guard (200..<300).contains(status) else {
                    throw ImportError("\(source.base.absoluteString) answered \(status) to \(text): \(String(decoding: body.prefix(300), as: UTF8.self))")
                }
                if !batch.isEmpty { try await write(batch, to: target, database: db, policy: policy.name, reporter: reporter) }
                try target.sync()
                written += sliceValues
                done += sliceValues
                state.completeSlice(of: stateName, next: slice.to, values: sliceValues)
                try state.save(path: statePath)
                reporter.update(values: written, done: done, total: total)
            }
            state.completeMeasurement(stateName)
            try state.save(path: statePath)
        }
        return tallies
    }

    /// Writes a batch, telling the user about points the target refused.
    func write(_ points: [Point], to target: any ImportTarget, database: String, policy: String?, reporter: ImportReporter) async throws {
        let rejected = try await target.write(points, database: database, policy: policy)
        if rejected > 0 { reporter.note("the target refused \(rejected) point\(rejected == 1 ? "" : "s") (field type conflict)") }
    }

    /// Creates the database and, when missing, the retention policy on the target.
    func prepare(_ target: any ImportTarget, database: String, policy: String?, duration: Int64) async throws {
        _ = try InfluxAnswer.series(try await target.query("CREATE DATABASE \(InfluxQLName.quote(database))", database: nil, change: true))
        guard let policy else { return }
        let existing = try InfluxAnswer.firstColumn(
            try await target.query("SHOW RETENTION POLICIES ON \(InfluxQLName.quote(database))", database: database, change: false))
        guard !existing.contains(policy) else { return }
        let length = duration == 0 ? "INF" : "\(max(3600, duration / 1_000_000_000))s"
        _ = try InfluxAnswer.series(try await target.query(
            "CREATE RETENTION POLICY \(InfluxQLName.quote(policy)) ON \(InfluxQLName.quote(database)) DURATION \(length) REPLICATION 1",
            database: database, change: true))
    }

    /// A row `[time, field…]` of a `SELECT … GROUP BY *` answer as a point; nil when every field is null.
    static func point(_ row: [Any], key: SeriesKey, columns: [String], types: [String: FieldType]) -> Point? {
        guard let time = (row.first as? NSNumber)?.int64Value else { return nil }
        var fields: [Field] = []
        for (i, column) in columns.enumerated() where i > 0 && i < row.count {
            guard let value = fieldValue(row[i], type: types[column] ?? .float) else { continue }
            fields.append(Field(column, value))
        }
        return fields.isEmpty ? nil : Point(key: key, fields: fields, time: time)
    }

    static func fieldValue(_ value: Any, type: FieldType) -> FieldValue? {
        switch type {
        case .string: return (value as? String).map(FieldValue.string)
        case .boolean: return (value as? Bool).map(FieldValue.boolean)
        case .integer: return (value as? NSNumber).map { .integer($0.int64Value) }
        case .unsigned: return (value as? NSNumber).map { .unsigned($0.uint64Value) }
        case .float: return (value as? NSNumber).map { .float($0.doubleValue) }
        }
    }

    static func fieldType(_ name: String) -> FieldType {
        FieldType.allCases.first { $0.description == name } ?? .float
    }

    static func column(_ name: String, of row: [Any], in columns: [String]) -> Any? {
        guard let i = columns.firstIndex(of: name), i < row.count else { return nil }
        return row[i]
    }

}
