import Hummingbird
import TimeSeries

extension InfluxResponder {
    /// `GET|HEAD /ping`: 204, or 200 with the version for `verbose=true`. Never authenticated.
    func ping(method: HTTPRequest.Method, query: String?) -> Reply {
        guard method == .get || method == .head else { return .methodNotAllowed() }
        let params = Parameters(query: query, form: nil)
        if params.flag("verbose") {
            return Reply(status: 200, body: Array("{\"version\":\(JSONText.quoted(configuration.version))}\n".utf8))
        }
        return Reply(status: 204)
    }

    /// `GET /health` as InfluxDB 1.8 answers it. Never authenticated.
    func health(method: HTTPRequest.Method) -> Reply {
        guard method == .get || method == .head else { return .methodNotAllowed() }
        let body = "{\"name\":\"influxdb\",\"message\":\"ready for queries and writes\",\"status\":\"pass\",\"checks\":[],\"version\":\(JSONText.quoted(configuration.version))}\n"
        return Reply(status: 200, body: Array(body.utf8))
    }

    /// `GET /metrics`: Prometheus text exposition of every stats provider plus HTTP figures.
    func metricsPage(_ request: Request) async -> Reply {
        guard request.method == .get || request.method == .head else { return .methodNotAllowed() }
        let params = Parameters(query: request.uri.query, form: nil)
        let (denied, _) = await authenticate(request, params)
        if let denied { return denied }
        let providers = stats
        let groups = (try? await offload { providers.flatMap { $0.stats() } }) ?? []
        var body = metrics.registry.emitToBuffer()
        body += PrometheusText.render(groups)
        return Reply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: body)
    }
}
