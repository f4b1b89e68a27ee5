import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away InfluxDB 1.x (`influxd`) for tests and reference runs: its own temporary
/// directories, reporting disabled, HTTP on an ephemeral loopback port. Readiness is the
/// "Listening on HTTP" log line, which also carries the port the kernel picked.
public final class ThrowawayInfluxDB: Sendable {
    /// The influxd binary: `$INFLUXD` or Debian's `/usr/bin/influxd`.
    public static var executable: String {
        ProcessInfo.processInfo.environment["INFLUXD"] ?? "/usr/bin/influxd"
    }

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    /// Under `CI=true` a missing influxd is a failure, not a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public let process: Process
    public let directory: URL
    public let port: Int
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(process: Process, directory: URL, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    /// Starts influxd and returns once it listens; `extraConfig` is appended to its TOML
    /// (e.g. a `[[collectd]]` section); `authEnabled` and `maxRowLimit` set `[http]`'s
    /// `auth-enabled` and `max-row-limit`; `continuousQueries` runs the CQ service every second.
    public static func start(extraConfig: String = "", authEnabled: Bool = false, maxRowLimit: Int = 0,
                             continuousQueries: Bool = false) async throws -> ThrowawayInfluxDB {
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
          auth-enabled = \(authEnabled)
          max-row-limit = \(maxRowLimit)
        [monitor]
          store-enabled = false
        [continuous_queries]
          enabled = \(continuousQueries)
          run-interval = "1s"
        [subscriber]
          enabled = false
        \(extraConfig)
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
        try process.run()
        // A plain thread with blocking reads: Foundation's readabilityHandler (a dispatch source)
        // crashed libdispatch here when several influxd ran and stopped at once. EOF means
        // influxd exited; before it listened, that is an error.
        let reader = stderr.fileHandleForReading
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                waiter.feed(Data(buffer[0..<n]))
            }
            waiter.finish(.failure(ThrowawayInfluxDBError.exited(waiter.log)))
            try? reader.close()
        }
        do {
            let port = try await waiter.port()
            return ThrowawayInfluxDB(process: process, directory: dir, port: port)
        } catch {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    /// Stops influxd and removes its directories.
    public func stop() {
        if process.isRunning {
            process.terminate()
            // Poll rather than waitUntilExit(), which spins a RunLoop on a concurrency thread.
            for _ in 0..<1000 where process.isRunning { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
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

public enum ThrowawayInfluxDBError: Error, CustomStringConvertible {
    /// influxd stopped before listening; carries the tail of its log.
    case exited(String)

    public var description: String {
        switch self {
        case .exited(let log): "influxd exited before listening:\n\(log)"
        }
    }
}
