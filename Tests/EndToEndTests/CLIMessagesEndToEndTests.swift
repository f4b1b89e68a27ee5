import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The messages `collectlite` prints for a user's likely mistakes, as a process with its exit code.
@Suite(.serialized) struct CLIMessagesEndToEndTests {
    /// Runs `collectlite arguments` to its end (at most 30 s): status and combined output.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ServerProcess.runCollectlite(arguments, within: .seconds(30))
    }

    @Test func missingDataDirectoryNamesItAndTheFlag() async throws {
        let path = "/nonexistent-\(UUID().uuidString.prefix(8))"
        for statement in ["SHOW MEASUREMENTS", "SELECT mean(\"value\") FROM \"load_shortterm\""] {
            let (status, output) = try await Self.run(["query", "--data-dir", path, statement])
            #expect(status != 0, "\(statement): \(output)")
            #expect(output.contains("data directory \(path) does not exist"), "\(output)")
            #expect(output.contains("--data-dir"))
        }
    }

    @Test func emptyDataDirectorySaysSoAndSelectFails() async throws {
        let dir = try TemporaryDirectory("cli-empty")
        defer { dir.remove() }
        let select = try await Self.run(["query", "--data-dir", dir.path, "SELECT mean(\"value\") FROM \"load_shortterm\""])
        #expect(select.status != 0, "\(select.output)")
        #expect(select.output.contains("data directory \(dir.path) holds no database"), "\(select.output)")
        #expect(select.output.contains("--data-dir"))

        let show = try await Self.run(["query", "--data-dir", dir.path, "SHOW MEASUREMENTS"])
        #expect(show.output.contains("data directory \(dir.path) holds no database"), "\(show.output)")
    }

    @Test func otherDatabaseNamesTheOnesThere() async throws {
        let dir = try TemporaryDirectory("cli-other")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path, ["--collectd-database", "metrics"])
        let sender = UDPSender(port: try await server.collectdPort())
        for d in ServeEndToEndTests.packets(hosts: 1, steps: 0..<2).datagrams { sender.send(d) }
        await ServeEndToEndTests.stop(server)

        let (status, output) = try await Self.run(["query", "--data-dir", dir.path, "SELECT * FROM \"load_shortterm\""])
        #expect(status != 0)
        #expect(output.contains("database \"collectd\" is not in data directory \(dir.path), which holds metrics"), "\(output)")
    }

    @Test func closedURLSaysCannotConnect() async throws {
        // A port that was free a moment ago: nothing listens there.
        let port = try TCPListener().closedPort()
        let url = "http://127.0.0.1:\(port)"
        let (status, output) = try await Self.run(["query", "--url", url, "SHOW DATABASES"])
        #expect(status != 0)
        #expect(output.contains("cannot connect to \(url): connection refused"), "\(output)")
        #expect(!output.contains("NSURLErrorDomain"), "\(output)")
    }

    @Test func showStatsOnADataDirectoryPointsToURL() async throws {
        let dir = try TemporaryDirectory("cli-stats")
        defer { dir.remove() }
        let (_, output) = try await Self.run(["query", "--data-dir", dir.path, "SHOW STATS"])
        #expect(output.contains("live receiver and HTTP counters come from the server"), "\(output)")
        #expect(output.contains("--url"))
    }

    @Test(arguments: [("qeury", "query"), ("serv", "serve"), ("tpyes", "types"), ("sned", "send"), ("usr", "user")])
    func misspeltSubcommandSuggestsTheClosest(typed: String, meant: String) async throws {
        let (status, output) = try await Self.run([typed, "x"])
        #expect(status == 64, "\(output)")
        #expect(output.contains("unknown command '\(typed)'; did you mean '\(meant)'?"), "\(output)")
    }
}

extension TCPListener {
    /// Closes the listener and returns its port, now free.
    func closedPort() -> Int {
        close()
        return port
    }
}
