import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The dashboards' reference: a throw-away influxd (see TestSupport) with helpers to write
/// line protocol and read answers in the comparison model.
typealias InfluxdProcess = ThrowawayInfluxDB

extension InfluxdProcess {
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func send(_ request: URLRequest) async throws -> Data {
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(code) else { throw DashboardTestError.http(code, String(decoding: data, as: UTF8.self)) }
        return data
    }

    /// Runs a statement with GET `/query?db=…&epoch=ms&q=…`, as Grafana's backend does.
    func query(_ text: String, database: String) async throws -> [AnswerSeries] {
        let url = URL(string: "\(baseURL)/query?db=\(Self.formEncode(database))&epoch=ms&q=\(Self.formEncode(text))")!
        return try Self.decode(try await send(URLRequest(url: url)))
    }

    /// Runs an administrative statement with POST `/query`.
    func execute(_ text: String) async throws {
        var request = URLRequest(url: URL(string: "\(baseURL)/query")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("q=\(Self.formEncode(text))".utf8)
        _ = try Self.decode(try await send(request))
    }

    /// Writes line protocol with millisecond timestamps.
    func write(lines: [String], database: String) async throws {
        var request = URLRequest(url: URL(string: "\(baseURL)/write?db=\(Self.formEncode(database))&precision=ms")!)
        request.httpMethod = "POST"
        request.httpBody = Data(lines.joined(separator: "\n").utf8)
        _ = try await send(request)
    }

    /// The first result of an InfluxDB JSON answer as neutral series; its error is thrown.
    static func decode(_ data: Data) throws -> [AnswerSeries] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DashboardTestError.badAnswer(String(decoding: data, as: UTF8.self))
        }
        if let error = root["error"] as? String { throw DashboardTestError.queryFailed(error) }
        guard let first = (root["results"] as? [[String: Any]])?.first else { return [] }
        if let error = first["error"] as? String { throw DashboardTestError.queryFailed(error) }
        return (first["series"] as? [[String: Any]] ?? []).map { s in
            AnswerSeries(
                name: s["name"] as? String ?? "",
                tags: s["tags"] as? [String: String] ?? [:],
                columns: s["columns"] as? [String] ?? [],
                rows: (s["values"] as? [[Any]] ?? []).map { $0.map(value) }
            )
        }
    }

    static func value(_ any: Any) -> AnswerSeries.Value {
        switch any {
        case is NSNull: return .null
        case let s as String: return .string(s)
        // Booleans arrive as NSNumber too; collectd data has none, so they read as numbers.
        case let n as NSNumber: return .number(n.doubleValue)
        default: return .string("\(any)")
        }
    }
}

/// Runs dashboard queries against a throw-away InfluxDB.
struct InfluxdRunner: InfluxQLRunner {
    let server: InfluxdProcess
    let database: String

    func run(_ query: String) async throws -> [AnswerSeries] {
        try await server.query(query, database: database)
    }
}
