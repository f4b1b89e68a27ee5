import Hummingbird
import LineProtocol
import TimeSeries

extension InfluxResponder {
    /// `POST /write?db=&rp=&precision=`: line protocol in, 204 out; good lines of a body with
    /// bad ones are stored and the answer is 400 naming the bad lines.
    func write(_ request: inout Request) async -> Reply {
        guard request.method == .post else { return .methodNotAllowed() }
        let params = Parameters(query: request.uri.query, form: nil)
        let (denied, caller) = await authenticate(request, params)
        if let denied { return denied }
        guard let database = params.nonEmpty("db") else { return .error(400, "database is required") }
        if let refused = await authorizeWrite(caller, database: database) { return refused }
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

    /// Stores the parsed points in `policy`; points older than the policy keeps are dropped, as
    /// InfluxDB drops points "beyond retention policy".
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
        var reasons = parseErrors.isEmpty ? [] : [parseErrors]
        var rejected = 0
        do {
            if !points.isEmpty { try store.write(points, database: database, policy: policy.name) }
        } catch SeriesStoreError.partialWrite(let count, let reason) {
            rejected = count
            reasons.append(reason)
        } catch {
            return WriteOutcome(reply: .error(500, "\(error)"), stored: 0, failures: batch.points.count)
        }
        // Acknowledged means durable, as InfluxDB answers after its WAL: a kill -9 after the
        // answer loses nothing of it.
        do {
            if points.count > rejected { try store.commit(database: database) }
        } catch {
            return WriteOutcome(reply: .error(500, "\(error)"), stored: 0, failures: batch.points.count)
        }
        if beyond > 0 { reasons.append("points beyond retention policy") }
        let dropped = batch.failures.count + rejected + beyond
        guard dropped > 0 else { return WriteOutcome(reply: Reply(status: 204), stored: points.count, failures: 0) }
        return WriteOutcome(reply: .error(400, "partial write: \(reasons.joined(separator: "\n")) dropped=\(dropped)"),
                            stored: points.count - rejected, failures: dropped)
    }
}
