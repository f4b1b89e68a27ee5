import Foundation
import Hummingbird
import TimeSeries

extension InfluxResponder {
    /// `GET|HEAD /ping`: 204, whatever the parameters (1.6.7 has no `verbose`; the version is
    /// in `X-Influxdb-Version`). Never authenticated.
    func ping(method: HTTPRequest.Method) -> Reply {
        guard method == .get || method == .head else { return .methodNotAllowed(allow: "GET, HEAD") }
        return Reply(status: 204)
    }

    /// `GET /health` as InfluxDB 1.8 answers it. Never authenticated.
    func health(method: HTTPRequest.Method) -> Reply {
        guard method == .get || method == .head else { return .methodNotAllowed(allow: "GET, HEAD") }
        let body = "{\"name\":\"influxdb\",\"message\":\"ready for queries and writes\",\"status\":\"pass\",\"checks\":[],\"version\":\(JSONText.quoted(configuration.version))}\n"
        return Reply(status: 200, body: Array(body.utf8))
    }

    /// `GET /metrics`: Prometheus text exposition of every stats provider plus HTTP figures.
    func metricsPage(_ request: Request) async -> Reply {
        let groups: [StatsGroup]
        switch await statsGroups(request) {
        case .failure(let refusal): return refusal.reply
        case .success(let g): groups = g
        }
        var body = metrics.registry.emitToBuffer()
        body += PrometheusText.render(groups)
        return Reply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
    }

    /// `GET /debug/vars`: InfluxDB's expvar page, which Telegraf's `influxdb` input reads:
    /// `system` (start time and uptime) and `cmdline`, then every stats group (the figures of
    /// SHOW STATS and /metrics) as `{"name", "tags", "values"}` under a key of its own
    /// (`name:tag values`). Authenticated as /metrics is.
    func debugVars(_ request: Request) async -> Reply {
        let groups: [StatsGroup]
        switch await statsGroups(request) {
        case .failure(let refusal): return refusal.reply
        case .success(let g): groups = g
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let now = Date()
        let uptime = Int(now.timeIntervalSince(Self.processStarted))
        var body = "{\n\"system\": {\"currentTime\":\(JSONText.quoted(formatter.string(from: now))),"
            + "\"started\":\(JSONText.quoted(formatter.string(from: Self.processStarted))),\"uptime\":\(uptime)},\n"
            + "\"cmdline\": [" + CommandLine.arguments.map(JSONText.quoted).joined(separator: ",") + "]"
        for g in groups {
            let key = ([g.name] + g.tags.map(\.value)).joined(separator: ":")
            let tags = g.tags.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }.joined(separator: ",")
            let values = g.values.map { v in
                let number = v.value == v.value.rounded() && abs(v.value) < 9e15 ? String(Int64(v.value)) : (v.value.isFinite ? "\(v.value)" : "0")
                return JSONText.quoted(v.name) + ":" + number
            }.joined(separator: ",")
            body += ",\n" + JSONText.quoted(key) + ": {\"name\":" + JSONText.quoted(g.name) + ",\"tags\":{" + tags + "},\"values\":{" + values + "}}"
        }
        body += "\n}\n"
        return Reply(status: 200, contentType: "application/json; charset=utf-8", body: Array(body.utf8))
    }

    /// A refused stats request (wrong method, authentication) as an error for `Result`.
    struct Refusal: Error { let reply: Reply }

    /// Every stats provider's groups for a GET or HEAD that authenticates (read off the event loop).
    private func statsGroups(_ request: Request) async -> Result<[StatsGroup], Refusal> {
        guard request.method == .get || request.method == .head else { return .failure(Refusal(reply: .methodNotAllowed(allow: "GET, HEAD"))) }
        let (denied, _) = await authenticate(request, Parameters(query: request.uri.query, form: nil))
        if let denied { return .failure(Refusal(reply: denied)) }
        let providers = stats
        return .success((try? await offload { providers.flatMap { $0.stats() } }) ?? [])
    }

    /// When the HTTP layer was first used in this process (the start `/debug/vars` reports).
    static let processStarted = Date()
}
