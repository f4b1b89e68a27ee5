import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The parser's reference: a throw-away influxd (see TestSupport) asked only for its parse errors.
typealias InfluxDBProcess = ThrowawayInfluxDB

extension ThrowawayInfluxDB {
    /// Sends `q` to /query (form-encoded POST) and returns InfluxDB's `error` text, if any.
    func queryError(_ q: String) async throws -> String? {
        var request = URLRequest(url: baseURL.appendingPathComponent("query"))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(("q=" + q.addingPercentEncoding(withAllowedCharacters: allowed)!).utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["error"] as? String
    }
}
