import Hummingbird
import LineProtocol
import QueryEngine
import TimeSeries

extension InfluxResponder {
    /// `POST /write?db=&rp=&precision=`: line protocol in, 204 out; good lines of a body with
    /// bad ones are stored and the answer is 400 naming the bad lines.
    func write(_ request: inout Request) async -> Reply {
        if request.method == .options { return .preflight }
        guard request.method == .post else { return .methodNotAllowed(allow: "OPTIONS, POST") }
        let params = Parameters(query: request.uri.query, form: nil)
        let (denied, caller) = await authenticate(request, params)
        if let denied { return denied }
        guard let database = params.nonEmpty("db") else { return .error(400, "database is required") }
        if let refused = await authorizeWrite(caller, database: database) { return refused }
        if let level = params.nonEmpty("consistency"), !["any", "one", "quorum", "all"].contains(level.lowercased()) {
            return .error(400, "invalid consistency level")
        }
        let policy = params.nonEmpty("rp")
        let store = self.store
        // The policy must exist (a database that does not exist yet has only autogen).
        let policies = try? await offload { try store.databases().contains(database) ? store.retentionPolicies(database: database) : nil }
        let target: RetentionPolicy
        do {
            target = try (policies.flatMap { $0 } ?? .initial()).require(policy)
        } catch {
            return .error(500, error.description)
        }
        let body: [UInt8]
        switch await readBody(&request) {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.reply
        }
        // InfluxDB ignores a precision it does not know and reads nanoseconds.
        let precision = params.nonEmpty("precision").flatMap { Precision(parameter: $0) } ?? .ns
        let now = clock()
        let outcome: WriteOutcome
        do {
            outcome = try await offload {
                let batch = LineParser(precision: precision, defaultTime: now).parse(body)
                return Self.store(batch, into: store, database: database, policy: target, now: now)
            }
        } catch {
            return .error(500, "\(error)")
        }
        metrics.countWrite(points: outcome.stored, failures: outcome.failures)
        return outcome.reply
    }

    /// InfluxDB's checks with authentication on. A missing database is InfluxDB's 404 with
    /// `--http-auth-enabled`; with only an auth file its (admin) users still create it.
    func authorizeWrite(_ caller: Caller, database: String) async -> Reply? {
        guard caller.enforced else { return nil }
        let admin = caller.user?.admin == true
        if admin && !configuration.authEnabled { return nil }
        let store = self.store
        let exists = (try? await offload { try store.databases().contains(database) }) ?? false
        guard exists else { return .error(404, "database not found: \(Self.goQuoted(database))") }
        if admin { return nil }
        guard let user = caller.user else {
            return .error(403, "user is required to write to database \(Self.goQuoted(database))")
        }
        guard user.authorizes(.write, on: database) else {
            return .error(403, "\(Self.goQuoted(user.name)) user is not authorized to write to database \(Self.goQuoted(database))")
        }
        return nil
    }

    /// Go's `%q` for the names InfluxDB quotes in its messages.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    struct WriteOutcome: Sendable {
        var reply: Reply
        var stored: Int
        var failures: Int
    }

    /// Stores the parsed points in `policy` and answers as InfluxDB 1.6 does: the lines that
    /// failed to parse alone (400) when no point parsed; otherwise the first reason points were
    /// dropped by the store (a tag or only fields named `time`, a field type conflict), else
    /// points older than the policy keeps ("beyond retention policy"), else the parse errors,
    /// each as `partial write: … dropped=N` (N counts the points that reason's step dropped,
    /// 0 for parse errors).
    static func store(_ batch: LineBatch, into store: any SeriesStore, database: String, policy: RetentionPolicy = .init(name: "autogen"),
                      now: Int64 = 0) -> WriteOutcome {
        let parseErrors = batch.failures.map(\.description).joined(separator: "\n")
        if batch.points.isEmpty {
            if batch.failures.isEmpty { return WriteOutcome(reply: Reply(status: 204), stored: 0, failures: 0) }
            return WriteOutcome(reply: .error(400, parseErrors), stored: 0, failures: batch.failures.count)
        }
        var points = batch.points
        if let oldest = policy.oldestKept(now: now) { points.removeAll { $0.time < oldest } }
        let beyond = batch.points.count - points.count
        var (invalid, reason) = Self.dropTimeKeys(&points)
        let failed = Self.shardGroupsWithClashingFields(points, store: store, database: database, policy: policy)
        // Those shard groups' writes fail whole; InfluxDB still writes the other groups.
        if !failed.isEmpty { points.removeAll { failed.contains(Self.shardGroup($0.time, policy)) } }
        let rejected: Int
        do {
            let outcome = try Self.writeDurably(points, into: store, database: database, policy: policy.name)
            rejected = outcome.rejected
            invalid += rejected
            if reason == nil { reason = outcome.conflict }
        } catch {
            return WriteOutcome(reply: .error(500, "\(error)"), stored: 0, failures: batch.points.count)
        }
        if !failed.isEmpty {
            // The answer names that failure only, as InfluxDB answers with one shard's error.
            return WriteOutcome(reply: .error(400, "field type conflict"), stored: points.count - rejected,
                                failures: batch.points.count - points.count + rejected)
        }
        let stored = points.count - rejected
        let failures = batch.failures.count + invalid + beyond
        let message: String
        if let reason {
            message = "partial write: \(reason) dropped=\(invalid)"
        } else if beyond > 0 {
            message = "partial write: points beyond retention policy dropped=\(beyond)"
        } else if !batch.failures.isEmpty {
            message = "partial write: \(parseErrors) dropped=0"
        } else {
            return WriteOutcome(reply: Reply(status: 204), stored: stored, failures: 0)
        }
        return WriteOutcome(reply: .error(400, message), stored: stored, failures: failures)
    }

    /// Writes the points and commits what was stored before the answer: acknowledged means
    /// durable, as InfluxDB answers after its WAL (a kill -9 after the answer loses nothing of
    /// it). Returns the points refused for a field type conflict and the first one's reason.
    static func writeDurably(_ points: [Point], into store: any SeriesStore, database: String,
                             policy: String) throws -> (rejected: Int, conflict: String?) {
        guard !points.isEmpty else { return (0, nil) }
        var rejected = 0
        var conflict: String?
        do {
            try store.write(points, database: database, policy: policy)
        } catch SeriesStoreError.partialWrite(let count, let reason) {
            rejected = count
            conflict = reason
        }
        if points.count > rejected { try store.commit(database: database) }
        return (rejected, conflict)
    }

    /// The shard groups where the points give one field of a measurement that has no fields yet
    /// two types: InfluxDB creates a new measurement's fields in a shard for the whole batch at
    /// once, and fails that shard's whole write ("field type conflict") when two of them clash.
    /// (Points of different shard groups may differ in type there; collectlite keeps one type
    /// per field, so the later points are refused as conflicts.)
    static func shardGroupsWithClashingFields(_ points: [Point], store: any SeriesStore, database: String,
                                              policy: RetentionPolicy) -> Set<Int64> {
        // Only a measurement without fields can clash: a batch's few measurements are looked up
        // once each (a run of points of one measurement compares one name), so a write to known
        // measurements hashes no field.
        var isNew: [String: Bool] = [:]
        var last: (measurement: String, isNew: Bool)?
        var types: [Int64: [String: [String: FieldType]]] = [:]
        var failed: Set<Int64> = []
        for point in points {
            let measurement = point.key.measurement
            if last?.measurement != measurement {
                let fresh = isNew[measurement] ?? ((try? store.fieldKeys(database: database, policy: policy.name, measurement: measurement)) ?? []).isEmpty
                isNew[measurement] = fresh
                last = (measurement, fresh)
            }
            guard last?.isNew == true else { continue }
            let shard = Self.shardGroup(point.time, policy)
            for field in point.fields {
                if let known = types[shard]?[measurement]?[field.name] {
                    if known != field.value.type { failed.insert(shard) }
                } else {
                    types[shard, default: [:]][measurement, default: [:]][field.name] = field.value.type
                }
            }
        }
        return failed
    }

    /// The start of `time`'s shard group as InfluxDB cuts them: Go's `Time.Truncate` by the
    /// policy's shard group duration (the one a continuous query's windows use too).
    static func shardGroup(_ time: Int64, _ policy: RetentionPolicy) -> Int64 {
        ContinuousQuerySchedule.truncate(time, policy.shardGroupDuration > 0 ? policy.shardGroupDuration : 604_800_000_000_000)
    }

    /// InfluxDB's refusal of the key `time`: a point with a tag `time` is dropped, a field
    /// `time` is left out, and a point with no other field is dropped. Returns the points
    /// dropped and the first reason.
    static func dropTimeKeys(_ points: inout [Point]) -> (Int, String?) {
        guard points.contains(where: { p in p.key.tags.contains { $0.key == "time" } || p.fields.contains { $0.name == "time" } }) else {
            return (0, nil)
        }
        var dropped = 0
        var reason: String?
        points.removeAll { point in
            if point.key.tags.contains(where: { $0.key == "time" }) {
                dropped += 1
                if reason == nil { reason = "invalid tag key: input tag \"time\" on measurement \"\(point.key.measurement)\" is invalid" }
                return true
            }
            if !point.fields.contains(where: { $0.name != "time" }) {
                dropped += 1
                if reason == nil { reason = "invalid field name: input field \"time\" on measurement \"\(point.key.measurement)\" is invalid" }
                return true
            }
            return false
        }
        for i in points.indices where points[i].fields.contains(where: { $0.name == "time" }) {
            points[i].fields.removeAll { $0.name == "time" }
        }
        return (dropped, reason)
    }
}
