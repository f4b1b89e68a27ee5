import Foundation
import Testing
import TimeSeries
@testable import InfluxHTTP

/// Connections of `LaneServer` that only the lane answered: closed when the client closes, so
/// no descriptor is left behind, and a client that half-closes right after its request still
/// gets the whole answer.
@Suite struct LaneServerTests {
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    @Test func connectionsClosedByTheClientAreReleased() async throws {
        try await LiveServer.with { server in
            let before = Self.openDescriptors()
            for i in 0..<60 {
                let target = i % 2 == 0 ? "/ping" : "/query?q=SHOW+DATABASES"
                let fd = try RawHTTP.connected(port: server.port, timeout: 10)
                let request = Array("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
                #expect(send(fd, request, request.count, 0) == request.count)
                var buffer = [UInt8](repeating: 0, count: 4096)
                #expect(recv(fd, &buffer, buffer.count, 0) > 0)
                close(fd)
            }
            var after = Self.openDescriptors()
            for _ in 0..<40 where after > before + 5 {
                try await Task.sleep(nanoseconds: 50_000_000)
                after = Self.openDescriptors()
            }
            #expect(after <= before + 5, "descriptors before \(before), after 60 closed connections \(after)")
        }
    }

    @Test func aHalfCloseAfterTheRequestStillGetsTheAnswer() async throws {
        let store = MemoryStore()
        try await LiveServer.with(store: store) { server in
            var lines = ""
            for i in 0..<100 { lines += "m,host=a v=\(i) \(1_600_000_000_000_000_000 + Int64(i) * 10_000_000_000)\n" }
            #expect(try RawHTTP.exchange(port: server.port, [RawHTTP.post("/write?db=x", lines)], answers: 1).map(\.status) == [204])
            // Without a time bound the count runs off the loop, so the half close arrives first.
            let count = "/query?db=x&q=" + "SELECT count(v) FROM m".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for target in [count, "/ping"] {
                let fd = try RawHTTP.connected(port: server.port, timeout: 10)
                defer { close(fd) }
                let request = Array(RawHTTP.get(target).utf8)
                #expect(send(fd, request, request.count, 0) == request.count)
                shutdown(fd, Int32(SHUT_WR))
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                var closed = false
                while true {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { closed = n == 0; break }
                    received += buffer[0..<n]
                }
                let answer = RawHTTP.parse(received)?.0
                #expect(answer?.status == (target == "/ping" ? 204 : 200), "\(target)")
                if target != "/ping" { #expect(answer?.body.contains("100") == true, "\(answer?.body ?? "")") }
                #expect(closed, "\(target)")
            }
        }
    }
}
