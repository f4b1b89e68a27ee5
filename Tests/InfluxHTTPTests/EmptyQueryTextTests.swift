import Foundation
import Testing
@testable import InfluxHTTP

/// Query texts without a statement, as InfluxDB 1.6.7 answers them (recorded with curl from
/// influxd): white space alone is no `q`; comments or semicolons alone are `{}` (Go leaves out
/// an empty `results`), no chunk at all when chunked, `{"results": []}` in MessagePack; a parse
/// error counts characters from the first one that is not white space.
@Suite struct EmptyQueryTextTests {
    @Test func textsWithoutAStatement() async throws {
        try await LiveServer.with { server in
            func get(_ q: String, _ extra: String = "", accept: String = "application/json") async throws -> (Int, Data) {
                let (code, _, data) = try await MsgpackTests.fetch(server.port, "/query?db=x\(extra)&q=" + q, accept: accept)
                return (code, data)
            }
            let missing = Data(#"{"error":"missing required parameter \"q\""}"#.utf8 + [10])
            for q in ["%20%20", "%0A", "%09%20%0D%0A"] {
                #expect(try await get(q) == (400, missing), "\(q)")
            }
            for q in ["--%20hi", "%3B", "%3B%3B"] {
                #expect(try await get(q) == (200, Data("{}\n".utf8)), "\(q)")
                #expect(try await get(q, "&pretty=true") == (200, Data("{}\n".utf8)), "\(q)")
                #expect(try await get(q, "&chunked=true") == (200, Data()), "\(q)")
                #expect(try await get(q, accept: "application/x-msgpack") == (200, Data([0x81, 0xa7] + "results".utf8 + [0x90])), "\(q)")
            }
            let (code, body) = try await get("%20%20SELEC%20x")
            #expect(code == 400)
            #expect(String(decoding: body, as: UTF8.self).hasSuffix("at line 1, char 1\"}\n"))
        }
    }
}
