import Foundation
import LineProtocol
import TimeSeries

/// `--file`: an `influx_inspect export` dump (its DDL creates databases and retention
/// policies; its DML points go to the database and policy of the last CONTEXT headers) or a
/// plain line-protocol file (into --database, --rp). Read in constant memory; the resume state
/// records the byte offset up to which every point is durable in the target.
extension ImportCommand {
    func importFile(_ path: String, into target: any ImportTarget, statePath: String, reporter: ImportReporter) async throws -> [Tally] {
        let reader = try LineFileReader(path: path)
        let modified = ((try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date)?.timeIntervalSince1970 ?? 0
        let key = "file \(URL(fileURLWithPath: path).standardizedFileURL.path) \(reader.fileSize) \(Int(modified)) database \(database ?? "-") rp \(rp ?? "-") into \(target.description)"
        var state = ImportState.load(path: statePath, key: key)
        let resumeOffset = state.offset
        if resumeOffset > 0 {
            reporter.note("resuming the import recorded in \(statePath) after \(ImportProgress.bytes(resumeOffset)) of input, \(ImportProgress.grouped(state.values)) values")
        }
        var parser = ExportFileParser()
        var sawContext = false
        var counts: [String: (database: String, policy: String?, measurement: String, values: Int)] = [:]
        var pending: [String: (database: String, policy: String?, points: [Point])] = [:]
        var pendingPoints = 0
        var written = state.values
        var sinceSync = 0
        var lastSync = Date()
        var prepared = Set<String>()
        var failures = 0

        func flushPending() async throws {
            for (_, batch) in pending where !batch.points.isEmpty {
                try await write(batch.points, to: target, database: batch.database, policy: batch.policy, reporter: reporter)
            }
            pending.removeAll(keepingCapacity: true)
            pendingPoints = 0
        }
        /// Writes what is pending, makes it durable and records the offset reached.
        func checkpoint(_ offset: Int64) async throws {
            try await flushPending()
            try target.sync()
            state.completeBytes(upTo: offset, values: sinceSync)
            written = state.values
            sinceSync = 0
            lastSync = Date()
            try state.save(path: statePath)
        }

        while let bytes = try reader.nextLine() {
            let line = bytes.withUnsafeBufferPointer { parser.read($0) }
            switch line {
            case .nothing, .section:
                continue
            case .context:
                sawContext = true
            case .statement(let text):
                switch ExportStatement(text) {
                case .createDatabase(let name, let policy):
                    guard database == nil || database == name else { continue }
                    if prepared.insert(name + "\u{0}" + (policy ?? "")).inserted {
                        try await prepare(target, database: name, policy: policy, duration: 0)
                    }
                case .createRetentionPolicy(let name, let db, let duration, _):
                    guard database == nil || database == db else { continue }
                    if prepared.insert(db + "\u{0}" + name).inserted {
                        try await prepare(target, database: db, policy: name, duration: duration)
                    }
                case .unknown:
                    reporter.note("skipped statement: \(text)")
                }
            case .failure(let failure):
                failures += 1
                if failures <= 10 { reporter.note("skipped line \(failure.line): \(failure.reason): \(failure.text.prefix(200))") }
            case .point(let point):
                guard let db = try pointDatabase(parser, sawContext: sawContext, path: path) else { continue }
                let policy = sawContext ? parser.retentionPolicy : rp
                let countKey = Self.fileKey(db, policy, point.key.measurement)
                counts[countKey, default: (db, policy, point.key.measurement, 0)].values += point.fields.count
                // Points before the resume offset are durable in the target already: counted, not written.
                guard reader.offset > resumeOffset else { continue }
                if !prepared.contains(db + "\u{0}" + (policy ?? "")) {
                    prepared.insert(db + "\u{0}" + (policy ?? ""))
                    try await prepare(target, database: db, policy: policy, duration: 0)
                }
                let batchKey = db + "\u{0}" + (policy ?? "")
                pending[batchKey, default: (db, policy, [])].points.append(point)
                pendingPoints += 1
                sinceSync += point.fields.count
                if pendingPoints >= batchPoints { try await flushPending() }
                if sinceSync >= 50 * batchPoints || Date().timeIntervalSince(lastSync) >= 2 {
                    try await checkpoint(reader.offset)
                }
                reporter.update(values: written + sinceSync, done: Int(reader.consumed), total: Int(reader.fileSize))
            }
        }
        try await checkpoint(reader.offset)
        if failures > 0 { reporter.note("\(failures) line\(failures == 1 ? "" : "s") could not be parsed and were skipped") }
        // The report needs each policy's name: the target's default where the file named none.
        var tallies: [Tally] = []
        var defaults: [String: String] = [:]
        for entry in counts.values {
            var policy = entry.policy
            if policy == nil {
                if defaults[entry.database] == nil { defaults[entry.database] = try await defaultPolicy(of: entry.database, on: target) }
                policy = defaults[entry.database]
            }
            tallies.append(Tally(database: entry.database, policy: policy ?? "autogen", measurement: entry.measurement, source: entry.values, range: nil,
                                 fileKey: Self.fileKey(entry.database, entry.policy, entry.measurement)))
        }
        return tallies
    }

    /// The database a point of the file goes to: its CONTEXT-DATABASE header's, else `--database`;
    /// nil when `--database` names another one (the point is skipped).
    func pointDatabase(_ parser: ExportFileParser, sawContext: Bool, path: String) throws -> String? {
        if sawContext, let context = parser.database {
            if let database, database != context { return nil }
            return context
        }
        if let database { return database }
        throw ImportError("\(path) has points before any CONTEXT-DATABASE header: give --database to name the database")
    }

    /// The key of a (database, policy as the file names it, measurement) in a file's counts.
    static func fileKey(_ database: String, _ policy: String?, _ measurement: String) -> String {
        "\(database).\(policy ?? "")\u{0}\(measurement)"
    }

    /// Reads the file again and counts, for each of `keys` (`fileKey`s), its distinct (series,
    /// field, time) values, as the target stores them. Memory: one hash per value of those
    /// measurements only.
    func distinctValues(_ path: String, _ keys: Set<String>) throws -> [String: Int] {
        let reader = try LineFileReader(path: path)
        var parser = ExportFileParser()
        var sawContext = false
        var seen: [String: Set<Int>] = [:]
        while let bytes = try reader.nextLine() {
            switch bytes.withUnsafeBufferPointer({ parser.read($0) }) {
            case .context:
                sawContext = true
            case .point(let point):
                guard let db = try pointDatabase(parser, sawContext: sawContext, path: path) else { continue }
                let key = Self.fileKey(db, sawContext ? parser.retentionPolicy : rp, point.key.measurement)
                guard keys.contains(key) else { continue }
                for field in point.fields {
                    var hasher = Hasher()
                    hasher.combine(point.key)
                    hasher.combine(field.name)
                    hasher.combine(point.time)
                    seen[key, default: []].insert(hasher.finalize())
                }
            default:
                continue
            }
        }
        return seen.mapValues(\.count)
    }

    /// The name of the default retention policy of `database` on the target.
    func defaultPolicy(of database: String, on target: any ImportTarget) async throws -> String? {
        let answer = try await target.query("SHOW RETENTION POLICIES ON \(InfluxQLName.quote(database))", database: database, change: false)
        guard let series = try InfluxAnswer.series(answer).first else { return nil }
        return series.values.first { (Self.column("default", of: $0, in: series.columns) as? Bool) == true }?.first as? String
    }
}
