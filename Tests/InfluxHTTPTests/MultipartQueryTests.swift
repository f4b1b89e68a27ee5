import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import InfluxHTTP

/// `curl -F "q=@queries.txt" -F db=… /query` (InfluxDB's documented way to run a file of
/// queries): compared with influxd 1.6.7 by hand — a file `q`, a field `q` preferred to a file,
/// other fields as parameters, a malformed body as no `q`.
@Suite struct MultipartQueryTests {
    static func body(_ parts: [(name: String, filename: String?, value: String)], boundary: String) -> [UInt8] {
        var text = ""
        for part in parts {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { text += "; filename=\"\(filename)\"\r\nContent-Type: text/plain" }
            text += "\r\n\r\n\(part.value)\r\n"
        }
        return Array((text + "--\(boundary)--\r\n").utf8)
    }

    @Test func partsAndBoundaries() throws {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=------abc") == "------abc")
        #expect(MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=x; boundary=\"a b\"") == "a b")
        #expect(MultipartForm.boundary(contentType: "multipart/mixed; boundary=x") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
        let body = Self.body([("db", nil, "collectd"), ("q", "q.txt", "SELECT 1;\r\nSHOW DATABASES\n"), ("empty", nil, "")], boundary: "XyZ")
        let parts = try #require(MultipartForm.parse(body, boundary: "XyZ"))
        #expect(parts == [.init(name: "db", filename: nil, value: Array("collectd".utf8)),
                          .init(name: "q", filename: "q.txt", value: Array("SELECT 1;\r\nSHOW DATABASES\n".utf8)),
                          .init(name: "empty", filename: nil, value: [])])
        let params = Parameters(query: nil, form: MultipartForm.form(parts))
        #expect(params["db"] == "collectd" && params["q"] == "SELECT 1;\r\nSHOW DATABASES\n" && params["empty"] == "")
        // A field q wins over a file q.
        let both = try #require(MultipartForm.parse(Self.body([("q", "f", "FILE"), ("q", nil, "FIELD")], boundary: "b"), boundary: "b"))
        #expect(Parameters(query: nil, form: MultipartForm.form(both))["q"] == "FIELD")
        for broken in ["garbage", "--b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nno end", "--b"] {
            #expect(MultipartForm.parse(Array(broken.utf8), boundary: "b") == nil, "\(broken)")
        }
    }

    @Test func aFileOfQueriesRuns() async throws {
        try await LiveServer.with { server in
            func post(_ path: String, _ body: [UInt8], boundary: String = "Bnd") async throws -> (Int, String) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
                request.httpMethod = "POST"
                request.httpBody = Data(body)
                request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
                let (data, response) = try await URLSession.shared.data(for: request)
                return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
            }
            _ = try await post("/query", Self.body([("q", nil, "CREATE DATABASE d")], boundary: "Bnd"))
            let file = "SHOW MEASUREMENTS;\nSHOW DATABASES\n"
            let (status, text) = try await post("/query", Self.body([("q", "queries.txt", file), ("db", nil, "d")], boundary: "Bnd"))
            #expect(status == 200)
            #expect(text.contains(#"{"statement_id":1,"series":[{"name":"databases","columns":["name"],"values":[["d"]]}]}"#), "\(text)")
            let (missing, error) = try await post("/query?db=d", Array("garbage".utf8))
            #expect(missing == 400 && error == #"{"error":"missing required parameter \"q\""}"# + "\n")
        }
    }
}
