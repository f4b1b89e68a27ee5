import Foundation
import Testing
import TimeSeries
@testable import InfluxHTTP

/// Debian's `influx` CLI (1.6.7) and Python's `influxdb` package against a live server.
@Suite(.serialized) struct RealClientTests {
    static let influx = "/usr/bin/influx"
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? "/usr/bin/env"

    static func hasPythonClient() -> Bool {
        guard let r = try? runProgram(python == "/usr/bin/env" ? "/usr/bin/env" : python,
                                      (python == "/usr/bin/env" ? ["python3"] : []) + ["-c", "import influxdb"]) else { return false }
        return r.status == 0
    }

    static func pythonArgs(_ script: String) -> [String] {
        (python == "/usr/bin/env" ? ["python3"] : []) + ["-c", script]
    }

    @Test func influxCLIWritesAndQueriesInEveryFormat() async throws {
        guard requireProgram("influx CLI (Debian package influxdb-client)", available: FileManager.default.isExecutableFile(atPath: Self.influx)) else { return }
        try await LiveServer.with { server in
            let base = ["-host", "127.0.0.1", "-port", String(server.port), "-database", "collectd"]
            let ping = try #require(try runProgram(Self.influx, base + ["-execute", "SHOW DATABASES"]))
            #expect(ping.status == 0, "\(ping.err)")
            let write = try #require(try runProgram(Self.influx, base + ["-execute", "INSERT cpu_value,host=a,type_instance=user value=1.5 1700000000000000000"]))
            #expect(write.status == 0, "\(write.err)")
            #expect(try server.store.measurements(database: "collectd", filter: .all) == ["cpu_value"])

            let table = try #require(try runProgram(Self.influx, base + ["-execute", "SELECT * FROM cpu_value"]))
            #expect(table.status == 0)
            #expect(table.out.contains("name: cpu_value"))
            #expect(table.out.contains("1700000000000000000 a    user          1.5") || table.out.contains("1700000000000000000 a"))

            let csv = try #require(try runProgram(Self.influx, base + ["-format", "csv", "-execute", "SELECT * FROM cpu_value"]))
            #expect(csv.out == "name,time,host,type_instance,value\ncpu_value,1700000000000000000,a,user,1.5\n")

            let json = try #require(try runProgram(Self.influx, base + ["-format", "json", "-precision", "rfc3339", "-execute", "SELECT value FROM cpu_value"]))
            #expect(json.out.contains(#""values":[["2023-11-14T22:13:20Z",1.5]]"#), "\(json.out)")

            let bad = try #require(try runProgram(Self.influx, base + ["-execute", "SELEC x"]))
            #expect(bad.out.contains("error parsing query") || bad.err.contains("error parsing query"))
        }
    }

    @Test func influxCLIWithAuth() async throws {
        guard requireProgram("influx CLI", available: FileManager.default.isExecutableFile(atPath: Self.influx)) else { return }
        var users = UserFile()
        try users.add(name: "admin", hash: try PasswordHash(password: "pw", rounds: 1000))
        let path = "/tmp/collectlite-cli-\(UInt64.random(in: 0...UInt64.max)).users"
        try users.save(path: path)
        try await LiveServer.with(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, authFile: path)) { server in
            let base = ["-host", "127.0.0.1", "-port", String(server.port)]
            let ok = try #require(try runProgram(Self.influx, base + ["-username", "admin", "-password", "pw", "-execute", "SHOW DATABASES"]))
            #expect(ok.status == 0, "\(ok.err)")
            let denied = try #require(try runProgram(Self.influx, base + ["-username", "admin", "-password", "no", "-execute", "SHOW DATABASES"]))
            #expect(denied.status != 0)
            #expect((denied.out + denied.err).contains("authorization failed"))
        }
    }

    @Test func pythonClientWritesAndQueries() async throws {
        guard requireProgram("Python package influxdb (Debian python3-influxdb)", available: Self.hasPythonClient()) else { return }
        try await LiveServer.with { server in
            let script = """
            import sys
            from influxdb import InfluxDBClient
            c = InfluxDBClient(host='127.0.0.1', port=\(server.port), database='telegraf')
            assert c.ping(), 'ping'
            c.create_database('telegraf')
            ok = c.write_points([
                {'measurement': 'cpu', 'tags': {'host': 'a b'}, 'time': 1700000000000000000, 'fields': {'v': 1.5, 'n': 3, 's': 'x"y'}},
                {'measurement': 'cpu', 'tags': {'host': 'a b'}, 'time': 1700000010000000000, 'fields': {'v': 2.5, 'n': 4, 's': 'z'}},
            ])
            assert ok, 'write'
            rs = c.query('SELECT v, n, s FROM cpu', epoch='s')
            pts = list(rs.get_points())
            print(pts)
            assert pts == [{'time': 1700000000, 'v': 1.5, 'n': 3, 's': 'x"y'}, {'time': 1700000010, 'v': 2.5, 'n': 4, 's': 'z'}], pts
            rs = c.query('SELECT mean(v) FROM cpu WHERE time >= 1700000000s AND time < 1700000020s GROUP BY time(20s)', epoch='ms')
            assert list(rs.get_points()) == [{'time': 1700000000000, 'mean': 2.0}], list(rs.get_points())
            bound = c.query('SELECT v FROM cpu WHERE host = $h AND v > $v', epoch='s', bind_params={'h': 'a b', 'v': 2})
            assert list(bound.get_points()) == [{'time': 1700000010, 'v': 2.5}], list(bound.get_points())
            multi = c.query('SHOW MEASUREMENTS; SHOW TAG KEYS FROM cpu')
            assert len(multi) == 2, multi
            try:
                c.query('SELEC')
                sys.exit('no error')
            except Exception as e:
                assert 'error parsing query' in str(e), e
            print('ok')
            """
            let r = try #require(try runProgram(Self.python, Self.pythonArgs(script)))
            #expect(r.status == 0, "\(r.out)\n\(r.err)")
            #expect(r.out.hasSuffix("ok\n"))
        }
    }

    @Test func curlOverTLS() async throws {
        guard requireProgram("openssl and curl", available: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")) else { return }
        let dir = "/tmp/collectlite-tls-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let made = try #require(try runProgram("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem"]))
        #expect(made.status == 0, "\(made.err)")
        let config = HTTPServerConfiguration(host: "127.0.0.1", port: 0, tlsCertificate: "\(dir)/cert.pem", tlsKey: "\(dir)/key.pem")
        try await LiveServer.with(configuration: config) { server in
            let r = try #require(try runProgram("/usr/bin/curl", ["-sS", "--cacert", "\(dir)/cert.pem", "-o", "/dev/null", "-w", "%{http_code}",
                                                                  "https://localhost:\(server.port)/ping"]))
            #expect(r.out == "204", "\(r.err)")
            let plain = try #require(try runProgram("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(server.port)/ping"]))
            #expect(plain.out != "204")
        }
    }
}
