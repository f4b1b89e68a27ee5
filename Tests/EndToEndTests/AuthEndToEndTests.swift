import Foundation
import Testing

/// `serve --http-auth-enabled`: users made with InfluxQL live in the data directory and are
/// enforced again after a restart; `--http-auth-file` users are admins beside them.
@Suite(.serialized) struct AuthEndToEndTests {
    /// POST /query with curl (URLSession on Linux stalls on a 401 with a Basic challenge).
    static func post(_ port: Int, _ q: String, user: String? = nil, password: String? = nil, db: String? = nil) async throws -> (Int, String) {
        var args = ["-s", "-m", "30", "-w", "\n%{http_code}", "-XPOST", "http://127.0.0.1:\(port)/query", "--data-urlencode", "q=\(q)"]
        if let db { args += ["--data-urlencode", "db=\(db)"] }
        if let user, let password { args += ["-u", "\(user):\(password)"] }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
            throw E2EError("curl gave no status: \(text)")
        }
        return (status, String(text[..<newline]).trimmingCharacters(in: .newlines))
    }

    @Test func usersSurviveARestartAndAreEnforced() async throws {
        let dir = try TemporaryDirectory("auth")
        defer { dir.remove() }
        do {
            let server = try ServeEndToEndTests.serve(dir.path, ["--http-auth-enabled"])
            let port = try await server.httpPort()
            #expect(try await Self.post(port, "SHOW DATABASES").0 == 403)
            #expect(try await Self.post(port, "CREATE USER root WITH PASSWORD 'r00t' WITH ALL PRIVILEGES") == (200, #"{"results":[{"statement_id":0}]}"#))
            let setup = "CREATE DATABASE metrics; CREATE USER grafana WITH PASSWORD 'view'; GRANT READ ON metrics TO grafana"
            #expect(try await Self.post(port, setup, user: "root", password: "r00t").0 == 200)
            server.signal(SIGTERM)
            #expect(await server.waitForExit() == 0)
        }
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/influxql-users")[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let server = try ServeEndToEndTests.serve(dir.path, ["--http-auth-enabled"])
        defer { server.signal(SIGKILL) }
        let port = try await server.httpPort()
        #expect(try await Self.post(port, "SHOW DATABASES") == (401, #"{"error":"unable to parse authentication credentials"}"#))
        #expect(try await Self.post(port, "SHOW USERS", user: "root", password: "r00t")
                == (200, #"{"results":[{"statement_id":0,"series":[{"columns":["user","admin"],"values":[["root",true],["grafana",false]]}]}]}"#))
        #expect(try await Self.post(port, "SHOW MEASUREMENTS", user: "grafana", password: "view", db: "metrics").0 == 200)
        #expect(try await Self.post(port, "DROP DATABASE metrics", user: "grafana", password: "view")
                == (403, #"{"error":"error authorizing query: grafana not authorized to execute statement 'DROP DATABASE metrics', requires admin privilege"}"#))
        #expect(try await Self.post(port, "SHOW USERS", user: "grafana", password: "wrong").0 == 401)
    }
}
