import HTTPTypes
import Testing
import TestSupport
@testable import InfluxHTTP

/// `HTTPFields.value(_:)` answers as the library's `HTTPFields[name]`: every value of the name in
/// order, joined by ", " (by "; " for Cookie), names compared without case, nil when absent.
@Suite struct HeaderValueTests {
    static let names: [HTTPField.Name] = [.acceptEncoding, .accept, .origin, .connection, .expect, .contentLength, .contentType,
                                          .contentEncoding, .transferEncoding, .authorization, .cookie, HTTPField.Name("X-Custom")!]
    static let spellings = ["Accept-Encoding", "accept-encoding", "ACCEPT", "Origin", "connection", "Expect", "Content-Length",
                            "content-type", "Content-Encoding", "Transfer-Encoding", "Authorization", "Cookie", "cookie", "x-custom",
                            "X-Custom", "Host", "User-Agent"]
    static let values = ["", "gzip", "gzip, deflate", "close", "100-continue", "12", "text/plain", "a=1", "b=2; c=3", " x ", "é"]

    @Test func asTheLibrarySubscript() {
        var rng = SeededGenerator(seed: 0x48F1)
        for _ in 0..<20_000 {
            var fields = HTTPFields()
            for _ in 0..<Int(rng.next() % 9) {
                let name = HTTPField.Name(Self.spellings[Int(rng.next() % UInt64(Self.spellings.count))])!
                fields.append(HTTPField(name: name, value: Self.values[Int(rng.next() % UInt64(Self.values.count))]))
            }
            for name in Self.names {
                #expect(fields.value(name) == fields[name], "\(name) in \(fields)")
            }
        }
    }
}
