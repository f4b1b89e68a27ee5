import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away InfluxDB 1.x server for tests: own temporary directories, free loopback ports.
///
/// `start()` returns once influxd logs that its HTTP listener is up; `stop()` terminates it and
/// removes its directories.
final class InfluxDBProcess: @unchecked Sendable {
    static let defaultPath = "/usr/bin/influxd"

    let process = Process()
    let directory: URL
    let httpPort: Int

    /// Whether the influxd binary exists; when it does not and `CI=true`, callers must fail.
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: defaultPath) }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    private init(directory: URL, httpPort: Int) {
        self.directory = directory
        self.httpPort = httpPort
    }

    /// Starts influxd and waits for its "Listening on HTTP" log line.
    static func start(path: String = defaultPath) throws -> InfluxDBProcess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("influxql-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let http = try freePort(), rpc = try freePort()
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpc)"
            [meta]
              dir = "\(dir.path)/meta"
            [data]
              dir = "\(dir.path)/data"
              wal-dir = "\(dir.path)/wal"
            [http]
              bind-address = "127.0.0.1:\(http)"
              log-enabled = false
            [monitor]
              store-enabled = false
            """
        let configURL = dir.appendingPathComponent("influxd.conf")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let server = InfluxDBProcess(directory: dir, httpPort: http)
        server.process.executableURL = URL(fileURLWithPath: path)
        server.process.arguments = ["-config", configURL.path]
        let log = Pipe()
        server.process.standardError = log
        server.process.standardOutput = log
        try server.process.run()
        // Block on influxd's own log until the HTTP listener announces itself (or it exits).
        var seen = ""
        while !seen.contains("Listening on HTTP") {
            let chunk = log.fileHandleForReading.availableData
            if chunk.isEmpty {
                server.stop()
                throw InfluxDBProcessError.exited(seen)
            }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        // Keep draining the log so influxd never blocks on a full pipe.
        log.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
        return server
    }

    /// Sends `q` to /query (form-encoded POST) and returns InfluxDB's `error` text, if any.
    func queryError(_ q: String) async throws -> String? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(httpPort)/query")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(("q=" + q.addingPercentEncoding(withAllowedCharacters: allowed)!).utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["error"] as? String
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InfluxDBProcessError.noPort }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard bound else { throw InfluxDBProcessError.noPort }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

enum InfluxDBProcessError: Error {
    case noPort
    case exited(String)
}
