import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven by `Console/console_check.py` (Python Selenium): availability,
/// running a scenario, and where its screenshots go.
enum ConsoleBrowser {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Console/console_check.py").path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Screenshots of a scenario: `$COLLECTLITE_TEST_ARTIFACTS/console/<name>`, by default
    /// `.test-artifacts/console/<name>` in the repository (ignored by git).
    static func artifacts(_ name: String) -> String {
        let base = ProcessInfo.processInfo.environment["COLLECTLITE_TEST_ARTIFACTS"] ?? repository.appendingPathComponent(".test-artifacts").path
        let dir = base + "/console/" + name
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// What is missing to run the browser tests (empty when everything is there).
    static func missing() -> [String] {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: chromium) { missing.append("chromium (apt-get install chromium)") }
        if !FileManager.default.isExecutableFile(atPath: chromedriver) { missing.append("chromedriver (apt-get install chromium-driver)") }
        if (try? run("/usr/bin/python3", ["-c", "import selenium"], timeout: .seconds(30)).status) != 0 {
            missing.append("Python selenium (pip install selenium)")
        }
        return missing
    }

    /// Runs the checker and returns its JSON report.
    static func check(_ arguments: [String]) throws -> [String: Any] {
        let result = try run("/usr/bin/python3", [script] + arguments, timeout: .seconds(240))
        guard let report = (try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) as? [String: Any] else {
            throw E2EError("console_check.py exited \(result.status) without a report:\n\(result.output)\n\(result.errors)")
        }
        return report
    }

    /// Browser console messages that are errors (level SEVERE), except those matching `allowed`.
    static func errors(_ report: [String: Any], allowing allowed: [String] = []) -> [String] {
        let entries = report["console"] as? [[String: Any]] ?? []
        return entries.filter { ($0["level"] as? String) == "SEVERE" }.compactMap { $0["message"] as? String }
            .filter { message in !allowed.contains { message.contains($0) } }
    }

    /// Runs a program to its end (killed after `timeout`), collecting stdout and stderr.
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil, timeout: Duration) throws
        -> (status: Int32, output: String, errors: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes on threads of their own so a full pipe never stalls the child.
        let collected = Collected()
        let readers = [(out, 0), (err, 1)].map { pipe, index in
            let thread = Thread { collected.set(index, pipe.fileHandleForReading.readDataToEndOfFile()) }
            thread.start()
            return thread
        }
        _ = readers
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let data = collected.wait()
        return (process.terminationStatus, String(decoding: data[0], as: UTF8.self), String(decoding: data[1], as: UTF8.self))
    }

    final class Collected: @unchecked Sendable {
        private let condition = NSCondition()
        private var data: [Data?] = [nil, nil]

        func set(_ index: Int, _ value: Data) {
            condition.lock()
            data[index] = value
            condition.broadcast()
            condition.unlock()
        }

        func wait() -> [Data] {
            condition.lock()
            defer { condition.unlock() }
            while data.contains(where: { $0 == nil }) { condition.wait() }
            return data.map { $0 ?? Data() }
        }
    }
}
