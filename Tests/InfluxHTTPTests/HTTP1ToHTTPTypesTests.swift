import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Testing
import TestSupport
@testable import InfluxHTTP

/// `HTTP1ToHTTPTypes` converts a request head as NIOHTTPTypesHTTP1's conversion does, for the
/// origin-form targets it takes as they are and for the others it leaves to that conversion.
@Suite struct HTTP1ToHTTPTypesTests {
    static let pieces = ["/", "//", "/query", "?", "q=", "SELECT%20mean(%22value%22)", "+", "&", "#", "a:b", "http:", "//x/",
                         "%", "%zz", "é", "[", "]", "@", ";", "=", "*", " ", "/../", "\\"]

    @Test func asTheLibraryConversion() throws {
        var rng = SeededGenerator(seed: 0x4771)
        var targets = ["/ping", "/query?db=collectd&q=SELECT+1", "http://example.com/query?q=x", "*", "example.com:80", "/"]
        for _ in 0..<3_000 {
            var t = rng.next() % 4 == 0 ? "" : "/"
            for _ in 0..<Int(rng.next() % 8) { t += Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
            targets.append(t)
        }
        let headerSets: [[(String, String)]] = [
            [], [("Host", "h:8086")], [("host", "a"), ("Host", "b"), ("Accept-Encoding", "gzip")],
            [("Cookie", "a=1; b=2"), ("X-Grafana-Org-Id", "1"), ("bad name", "v")],
        ]
        for (i, target) in targets.enumerated() {
            for method in [HTTPMethod.GET, .POST, .HEAD, .OPTIONS] {
                let head = HTTPRequestHead(version: .http1_1, method: method, uri: target,
                                           headers: HTTPHeaders(headerSets[i % headerSets.count]))
                let ours = try? HTTP1ToHTTPTypes.request(head, secure: false)
                let library = try? HTTPRequest(head, secure: false, splitCookie: false)
                #expect(ours == library, "\(method) \(target)")
            }
        }
    }
}

/// `acceptsGzip` over a header's bytes against its definition over characters.
@Suite struct AcceptsGzipTests {
    @Test func asTheDefinition() {
        var rng = SeededGenerator(seed: 0x6219)
        let pieces = ["gzip", "GZip", "gz", "ip", "deflate", "br", "identity", "*", ",", ", ", ";", "; ", "q=0", "q=0.5", "q=1", " ", "\t",
                      "x", "0", "=", "q", "é", "\r", "\r\n", "\u{0600}", "gzip;q=0", "gzip ; q = 0", ";gzip"]
        var headers = ["gzip", "gzip, deflate", "deflate, gzip;q=0", "GZIP", " gzip ", "gzip;q=0.8", "gzip; q=0", "gzip;q=0 ", ";gzip",
                       "x-gzip", "gzip\t", "", ",,", "gzip,", "\u{0600}q=0, gzip"]
        for _ in 0..<50_000 {
            var h = ""
            for _ in 0..<Int(rng.next() % 7) { h += pieces[Int(rng.next() % UInt64(pieces.count))] }
            headers.append(h)
        }
        var fast = 0
        for h in headers {
            var copy = h
            if copy.withUTF8({ InfluxResponder.acceptsGzip(bytes: $0) }) != nil { fast += 1 }
            #expect(InfluxResponder.acceptsGzip(h) == InfluxResponder.acceptsGzipByCharacters(h), "\(Array(h.utf8))")
        }
        #expect(fast > headers.count / 2)
    }
}
