import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `collectlite --version`: the version and the git commit stamped at build time, also in
/// serve's startup log and `/ping`'s `X-Collectlite-Version`.
@Suite(.serialized) struct VersionEndToEndTests {
    @Test func versionNamesTheCommitOfTheCheckout() throws {
        let (status, output) = try PackagingEndToEndTests.run(try ServerProcess.collectliteBinary(), ["--version"])
        #expect(status == 0)
        let line = output.trimmingCharacters(in: .newlines)
        let match = try #require(line.wholeMatch(of: /(\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)/), "\(line)")
        // Built from a git checkout, the commit is one of the repository's (the checkout's at
        // build time: a later commit without a rebuild keeps the older one).
        let (gitStatus, _) = try PackagingEndToEndTests.run("/usr/bin/git", ["-C", PackagingEndToEndTests.root.path, "rev-parse", "HEAD"])
        if gitStatus == 0 {
            let commit = String(match.2).replacingOccurrences(of: "-dirty", with: "")
            #expect(commit != "unknown")
            let (exists, log) = try PackagingEndToEndTests.run("/usr/bin/git", ["-C", PackagingEndToEndTests.root.path, "cat-file", "-e", commit + "^{commit}"])
            #expect(exists == 0, "\(commit) is no commit of the checkout: \(log)")
        }
    }

    @Test func serveLogsItAndPingSendsIt() async throws {
        let (_, version) = try PackagingEndToEndTests.run(try ServerProcess.collectliteBinary(), ["--version"])
        let expected = version.trimmingCharacters(in: .newlines)
        let dir = try TemporaryDirectory("version")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        let port = try await server.httpPort()
        #expect(server.log.contains("collectlite \(expected) starting"), "\(server.log)")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/ping")!)
        request.httpMethod = "GET"
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 204)
        #expect(http.value(forHTTPHeaderField: "X-Influxdb-Version") == "1.6.7-collectlite")
        #expect(http.value(forHTTPHeaderField: "X-Collectlite-Version") == expected)
        await ServeEndToEndTests.stop(server)
    }
}
