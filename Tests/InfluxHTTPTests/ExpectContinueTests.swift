#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import InfluxHTTP

/// `Expect: 100-continue` (curl sends it with bodies from about 1 MiB and then waits a second
/// for the interim answer): the server sends `100 Continue` before the body, as Go's server
/// does for InfluxDB, on Hummingbird's path (/write) and the lane's (a POSTed query).
@Suite struct ExpectContinueTests {
    @Test func interimAnswerComesBeforeTheBody() async throws {
        try await LiveServer.with { server in
            for (target, type, body, status) in [("/write?db=x", "text/plain", "m v=1 1\n", "204"),
                                                 ("/query?db=x", "application/x-www-form-urlencoded", "q=SHOW+DATABASES", "200")] {
                let fd = try RawHTTP.connected(port: server.port, timeout: 10)
                defer { close(fd) }
                let head = Array("POST \(target) HTTP/1.1\r\nHost: x\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n".utf8)
                #expect(send(fd, head, head.count, 0) == head.count)
                var buffer = [UInt8](repeating: 0, count: 4096)
                var received: [UInt8] = []
                while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    guard n > 0 else { break }
                    received += buffer[0..<n]
                }
                #expect(String(decoding: received, as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n", "\(target)")
                let bytes = Array(body.utf8)
                #expect(send(fd, bytes, bytes.count, 0) == bytes.count)
                received = []
                while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    guard n > 0 else { break }
                    received += buffer[0..<n]
                }
                #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 \(status) "), "\(target)")
            }
        }
    }
}
