/// The one error type of the dashboard tests: reading dashboards, rendering builder queries,
/// and the two backends (the query engine and a throw-away InfluxDB).
enum DashboardTestError: Error, Hashable, CustomStringConvertible {
    /// A dashboard file is not a JSON object.
    case notAnObject(String)
    /// A dashboard lacks a required key.
    case missing(String)
    /// A builder query part Grafana has no renderer for.
    case unknownPart(String)
    /// A builder query part without its parameter.
    case missingParameter(String)
    /// A non-2xx HTTP answer.
    case http(Int, String)
    /// An answer that is not InfluxDB's JSON.
    case badAnswer(String)
    /// The statement's or the parse error a backend answered with.
    case queryFailed(String)

    var description: String {
        switch self {
        case .notAnObject(let what): "not a JSON object: \(what)"
        case .missing(let what): "missing \(what)"
        case .unknownPart(let type): "missing query definition for \"\(type)\""
        case .missingParameter(let type): "query part \(type) needs a parameter"
        case .http(let code, let body): "HTTP \(code): \(body)"
        case .badAnswer(let body): "unreadable answer: \(body)"
        case .queryFailed(let message): message
        }
    }
}
