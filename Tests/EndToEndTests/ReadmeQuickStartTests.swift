import Foundation
import Testing

/// The README's quick start, run line by line as a new user would after the release build:
/// the install step must put a working `collectlite` on PATH, and serve/send/query must show data.
///
/// Substituted, so the test needs no root paths or fixed ports: `.build/release/collectlite` is
/// the binary under test, `/usr/local/bin/` and `/var/lib/collectlite` are temporary
/// directories, and the default ports are free ones.
@Suite(.serialized) struct ReadmeQuickStartTests {
    static func readme() throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// The lines of the first `sh` block under "## Quick start".
    static func quickStart(_ readme: String) throws -> [String] {
        guard let section = readme.range(of: "\n## Quick start"),
              let open = readme.range(of: "```sh\n", range: section.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex)
        else { throw E2EError("README.md has no ```sh block under ## Quick start") }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
    }

    @Test func quickStartRunsAsWritten() async throws {
        let lines = try Self.quickStart(try Self.readme())
        #expect(lines.first == "swift build -c release --static-swift-stdlib")
        let install = try #require(lines.first { $0.hasPrefix("install ") }, "no install step in \(lines)")
        #expect(install.contains(".build/release/collectlite") && install.contains("/usr/local/bin/"))

        let bin = try TemporaryDirectory("readme-bin")
        let data = try TemporaryDirectory("readme-data")
        defer { bin.remove(); data.remove() }
        try FileManager.default.removeItem(atPath: data.path)  // the quick start must create it
        let binary = try ServerProcess.collectliteBinary()
        let udp = try UDPPort.free()
        let environment = ["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        func substitute(_ line: String) -> String {
            line.replacingOccurrences(of: ".build/release/collectlite", with: binary)
                .replacingOccurrences(of: "/usr/local/bin/", with: bin.path + "/")
                .replacingOccurrences(of: "/var/lib/collectlite", with: data.path)
                .replacingOccurrences(of: "127.0.0.1:25826", with: "127.0.0.1:\(udp)")
        }

        var server: ServerProcess?
        defer { server?.signal(SIGKILL) }
        for line in lines.dropFirst() {
            var command = substitute(line)
            if command.hasSuffix("&") {
                // The server, with the substituted ports, in the background.
                command = String(command.dropLast()).trimmingCharacters(in: .whitespaces)
                    + " --collectd-bind 127.0.0.1:\(udp) --http-bind 127.0.0.1:0"
                let started = try ServerProcess(executable: "/bin/sh", arguments: ["-c", "exec " + command], environment: environment)
                server = started
                _ = try await started.collectdPort()
                continue
            }
            // query may run before the first flush made the values durable: retry for a while.
            let deadline = ContinuousClock.now + .seconds(15)
            while true {
                let process = try ServerProcess(executable: "/bin/sh", arguments: ["-c", command], environment: environment)
                let status = await process.exitStatus(within: .seconds(30))
                let done = status == 0 && (!line.contains(" query ") || process.log.contains("load_shortterm"))
                if done { break }
                if ContinuousClock.now > deadline {
                    Issue.record("`\(line)` (run as `\(command)`): status \(status.map(String.init) ?? "timeout"), output:\n\(process.log)")
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(FileManager.default.isExecutableFile(atPath: bin.path + "/collectlite"))
        if let server { await ServeEndToEndTests.stop(server) }
        server = nil
    }
}

/// A UDP port that was free a moment ago.
enum UDPPort {
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else { throw E2EError("no free UDP port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
