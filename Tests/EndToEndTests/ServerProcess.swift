import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A `collectlite` (or any) child process whose standard error is collected line by line.
final class ServerProcess: Sendable {
    private let process: Process
    private let output = OutputState()

    final class OutputState: Sendable {
        typealias State = (text: String, waiters: [(String, CheckedContinuation<String?, Never>)], closed: Bool)
        private let state = Mutex<State>(("", [], false))
        func withLock<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
    }

    /// The built `collectlite` executable: next to the test bundle, else `.build/debug`.
    static func collectliteBinary() throws -> String {
        let files = FileManager.default
        var candidates: [String] = []
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(bundle.appendingPathComponent("collectlite").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("collectlite").path)
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/collectlite").path)
        candidates.append(FileManager.default.currentDirectoryPath + "/.build/debug/collectlite")
        guard let found = candidates.first(where: { files.isExecutableFile(atPath: $0) }) else {
            throw E2EError("collectlite executable not found; looked in \(candidates)")
        }
        return found
    }

    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("COLLECTLITE_") }
        env.merge(environment) { $1 }
        process.environment = env
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        // A plain thread with blocking reads rather than readabilityHandler: Foundation's
        // dispatch-source handler crashed libdispatch when short-lived processes closed
        // their pipes while others were running.
        let output = self.output
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                let data = n > 0 ? Data(buffer[0..<n]) : Data()
                let ready: [(CheckedContinuation<String?, Never>, String?)] = output.withLock { state in
                    if data.isEmpty {
                        state.closed = true
                        defer { state.waiters = [] }
                        return state.waiters.map { ($0.1, nil) }
                    }
                    state.text += String(decoding: data, as: UTF8.self)
                    var done: [(CheckedContinuation<String?, Never>, String?)] = []
                    state.waiters.removeAll { needle, continuation in
                        guard let line = Self.line(containing: needle, in: state.text) else { return false }
                        done.append((continuation, line))
                        return true
                    }
                    return done
                }
                for (continuation, line) in ready { continuation.resume(returning: line) }
                if data.isEmpty { break }
            }
            try? reader.close()
        }
    }

    static func collectlite(_ arguments: [String], environment: [String: String] = [:]) throws -> ServerProcess {
        try ServerProcess(executable: try collectliteBinary(), arguments: arguments, environment: environment)
    }

    /// Runs `collectlite arguments` to its end (at most `limit`): status (-1 when it did not
    /// end in time) and combined output.
    static func runCollectlite(_ arguments: [String], within limit: Duration = .seconds(120)) async throws -> (status: Int32, output: String) {
        let process = try collectlite(arguments)
        let status = await process.exitStatus(within: limit)
        return (status ?? -1, process.log)
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { output.withLock { $0.text } }
    var isRunning: Bool { process.isRunning }

    static func line(containing needle: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.contains(needle) }.map(String.init)
    }

    /// The first output line containing `needle`, waiting for it; nil when the output ends first.
    func line(containing needle: String) async -> String? {
        await withCheckedContinuation { continuation in
            let immediate: String?? = output.withLock { state in
                if let line = Self.line(containing: needle, in: state.text) { return .some(line) }
                if state.closed { return .some(nil) }
                state.waiters.append((needle, continuation))
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// The UDP port from the receiver's "listening on udp://host:port" line.
    func collectdPort() async throws -> Int {
        guard let line = await line(containing: "listening on udp://"),
              let range = line.range(of: "listening on udp://")
        else { throw E2EError("collectlite did not start:\n\(log)") }
        let address = line[range.upperBound...].prefix { !$0.isWhitespace }
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw E2EError("no port in \(line)")
        }
        return port
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; returns its exit status (or 128 + signal).
    func waitForExit() async -> Int32 {
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        _ = await line(containing: "\u{0}never\u{0}")  // wait for the output to be read to its end
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
