import Foundation
import Logging
import QueryEngine
import ServiceLifecycle
import Testing
import TimeSeries
@testable import InfluxHTTP

/// A real listening server on an ephemeral port for tests with real clients.
struct LiveServer {
    let port: Int
    let store: any SeriesStore

    /// Starts the service on 127.0.0.1:0, runs `body` with the bound port, then shuts down gracefully.
    static func with<T: Sendable>(configuration: HTTPServerConfiguration = HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                  users: UserRegistry? = nil, store: any SeriesStore = MemoryStore(), limits: QueryLimits = QueryLimits(),
                                  _ body: @Sendable (LiveServer) async throws -> T) async throws -> T {
        var logger = Logger(label: "live")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = InfluxHTTPService(configuration: configuration, store: store, executor: QueryExecutor(store: store, users: users),
                                        stats: [], logger: logger, limits: limits, users: users, onServerRunning: { continuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask {
                try await group.run()
                continuation.finish()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw InfluxHTTPError.client("server did not start") }
            let result: T
            do {
                result = try await body(LiveServer(port: port, store: store))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            while let next = try await tasks.next() { if next != nil { break } }
            return result
        }
    }
}

/// Runs a program and collects its output; nil when the program is not installed.
func runProgram(_ path: String, _ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String)? {
    guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Tests needing an external program skip without it, but fail under CI=true.
func requireProgram(_ what: String, available: Bool) -> Bool {
    if available { return true }
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        Issue.record("\(what) is required under CI=true but is missing")
    }
    return false
}
