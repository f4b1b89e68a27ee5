import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InfluxHTTP

@Suite struct AuthTests {
    /// A users file with cheap hashes (tests only; `user add` uses 210 000 rounds).
    static func authHarness() throws -> (Harness, String) {
        var users = UserFile()
        try users.add(name: "grafana", hash: try PasswordHash(password: "s3cret:x", rounds: 1000))
        let path = "/tmp/collectlite-auth-\(UInt64.random(in: 0...UInt64.max)).users"
        try users.save(path: path)
        return (Harness(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, authFile: path)), path)
    }

    static func headers(_ auth: String) -> HTTPFields {
        var h = HTTPFields()
        h[.authorization] = auth
        return h
    }

    @Test func noCredentialsIs401WithInfluxText() async throws {
        let (h, _) = try Self.authHarness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get)
            #expect(r.status.code == 401)
            #expect(r.text == #"{"error":"unable to parse authentication credentials"}"# + "\n")
            #expect(r.headers[.wwwAuthenticate] == #"Basic realm="InfluxDB""#)
        }
    }

    @Test(arguments: [
        "/query?q=SHOW+DATABASES&u=grafana&p=wrong", "/query?q=SHOW+DATABASES&u=nobody&p=s3cret:x",
    ])
    func wrongCredentialsAre401(_ uri: String) async throws {
        let (h, _) = try Self.authHarness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: uri, method: .get)
            #expect(r.status.code == 401)
            #expect(r.text == #"{"error":"authorization failed"}"# + "\n")
        }
    }

    @Test func basicParamsAndTokenAreAccepted() async throws {
        let (h, _) = try Self.authHarness()
        try await h.run { client async throws in
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: Self.headers(basic("grafana", "s3cret:x"))).status.code == 200)
            // Second time through the verified-password cache.
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: Self.headers(basic("grafana", "s3cret:x"))).status.code == 200)
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: Self.headers(basic("grafana", "s3cret:y"))).status.code == 401)
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES&u=grafana&p=s3cret%3Ax", method: .get).status.code == 200)
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: Self.headers("Token grafana:s3cret:x")).status.code == 200)
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: Self.headers("Bearer abc")).status.code == 401)
        }
    }

    @Test func postFormCredentials() async throws {
        let (h, _) = try Self.authHarness()
        try await h.run { client async throws in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            let r = try await client.execute(uri: "/query", method: .post, headers: headers, body: ByteBuffer(string: "q=SHOW+DATABASES&u=grafana&p=s3cret%3Ax"))
            #expect(r.status.code == 200)
        }
    }

    @Test func pingAndHealthStayOpenOthersDoNot() async throws {
        let (h, _) = try Self.authHarness()
        try await h.run { client async throws in
            #expect(try await client.execute(uri: "/ping", method: .get).status.code == 204)
            #expect(try await client.execute(uri: "/health", method: .get).status.code == 200)
            #expect(try await client.execute(uri: "/metrics", method: .get).status.code == 401)
            #expect(try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: "m v=1")).status.code == 401)
            #expect(try await client.execute(uri: "/write?db=d&u=grafana&p=s3cret%3Ax", method: .post, body: ByteBuffer(string: "m v=1")).status.code == 204)
        }
    }

    @Test func passwordHashRoundTripAndSalt() throws {
        let a = try PasswordHash(password: "pw", rounds: 1000)
        let b = try PasswordHash(password: "pw", rounds: 1000)
        #expect(a.salt != b.salt)
        #expect(a.hash != b.hash)
        let parsed = try #require(PasswordHash(encoded: a.encoded))
        #expect(parsed == a)
        #expect(parsed.verify("pw"))
        #expect(!parsed.verify("pW"))
        #expect(!parsed.verify(""))
        #expect(a.encoded.hasPrefix("pbkdf2-sha256$1000$"))
    }

    @Test func userFileRejectsBadLinesAndDuplicates() throws {
        #expect(throws: InfluxHTTPError.authFile(path: "f", reason: "line 2: expected name:pbkdf2-sha256$rounds$salt$hash")) {
            try UserFile(text: "# users\nalice:plain\n", path: "f")
        }
        var file = UserFile()
        try file.add(name: "alice", hash: PasswordHash(rounds: 1, salt: [1], hash: Array(repeating: 0, count: 32)))
        #expect(throws: InfluxHTTPError.userExists("alice")) {
            try file.add(name: "alice", hash: PasswordHash(rounds: 1, salt: [1], hash: Array(repeating: 0, count: 32)))
        }
        #expect(throws: InfluxHTTPError.invalidUserName("a:b")) {
            try file.add(name: "a:b", hash: PasswordHash(rounds: 1, salt: [1], hash: Array(repeating: 0, count: 32)))
        }
        let reparsed = try UserFile(text: file.text)
        #expect(reparsed.users == file.users)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([], [0]))
    }

    @Test(arguments: ["", "f", "fo", "foo", "user:pa:ss", "ünï"])
    func base64RoundTrip(_ text: String) {
        #expect(Base64.decode(Base64.encode(Array(text.utf8))) == Array(text.utf8))
    }

    @Test func missingAuthFileFailsAtStart() async throws {
        let h = Harness(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, authFile: "/nonexistent/users"))
        #expect(throws: InfluxHTTPError.self) { _ = try h.service.makeApplication() }
    }
}
