import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A throw-away InfluxDB 1.x (`influxd`) on an ephemeral loopback port with its own temporary
/// directories and reporting disabled. Readiness is the "Listening on HTTP" log line, which
/// also carries the port the kernel picked.
final class InfluxdProcess: Sendable {
    static let executable = "/usr/bin/influxd"

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    let process: Process
    let directory: URL
    let baseURL: URL

    private init(process: Process, directory: URL, port: Int) {
        self.process = process
        self.directory = directory
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Starts influxd and returns once it listens.
    static func start() async throws -> InfluxdProcess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collectlite-influxd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = """
        reporting-disabled = true
        bind-address = "127.0.0.1:0"
        [meta]
          dir = "\(dir.path)/meta"
        [data]
          dir = "\(dir.path)/data"
          wal-dir = "\(dir.path)/wal"
          query-log-enabled = false
        [http]
          bind-address = "127.0.0.1:0"
          log-enabled = false
        [monitor]
          store-enabled = false
        [continuous_queries]
          enabled = false
        [subscriber]
          enabled = false
        """
        let configURL = dir.appendingPathComponent("influxdb.conf")
        try config.write(to: configURL, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "-config", configURL.path]
        process.environment = ["HOME": dir.path, "PATH": "/usr/bin:/bin"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice

        let waiter = PortWaiter()
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                waiter.finish(.failure(DashboardTestError.influxdExited(waiter.log)))
            } else {
                waiter.feed(data)
            }
        }
        process.terminationHandler = { _ in waiter.finish(.failure(DashboardTestError.influxdExited(waiter.log))) }
        try process.run()
        do {
            let port = try await waiter.port()
            return InfluxdProcess(process: process, directory: dir, port: port)
        } catch {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    /// Stops influxd and removes its directories.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Collects stderr until the HTTP listener's address appears, then hands out its port once.
    final class PortWaiter: Sendable {
        struct State {
            var text = ""
            var result: Result<Int, any Error>?
            var continuation: CheckedContinuation<Int, any Error>?
        }
        private let state = Mutex(State())

        var log: String { state.withLock { String($0.text.suffix(2000)) } }

        func feed(_ data: Data) {
            let chunk = String(decoding: data, as: UTF8.self)
            let port: Int? = state.withLock { s in
                guard s.result == nil else { return nil }
                s.text += chunk
                for line in s.text.split(separator: "\n") where line.contains("Listening on HTTP") {
                    if let addr = line.firstMatch(of: /addr=127\.0\.0\.1:(\d+)/) { return Int(addr.1) }
                }
                return nil
            }
            if let port { finish(.success(port)) }
        }

        func finish(_ result: Result<Int, any Error>) {
            let continuation: CheckedContinuation<Int, any Error>? = state.withLock { s in
                guard s.result == nil else { return nil }
                s.result = result
                defer { s.continuation = nil }
                return s.continuation
            }
            continuation?.resume(with: result)
        }

        func port() async throws -> Int {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Int, any Error>? = state.withLock { s in
                    if s.result == nil { s.continuation = continuation }
                    return s.result
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }
}

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
