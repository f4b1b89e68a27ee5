import Console
import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InfluxHTTP

/// The built-in console's routes on the HTTP API: served at / and under /console/<version>/,
/// cacheable by version, confined to this server by its CSP, and gone with `console: false`.
@Suite struct ConsoleRouteTests {
    @Test func pageAtRoot() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/", method: .get)
            #expect(r.status.code == 200)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            #expect(r.headers[.cacheControl] == "no-cache")
            #expect(r.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'self'") == true)
            #expect(r.text.contains(ConsoleAssets.prefix + "js/app.js"))
        }
    }

    @Test func versionedFilesAreImmutable() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: ConsoleAssets.prefix + "vendor/dygraph.min.js", method: .get)
            #expect(r.status.code == 200)
            #expect(r.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(r.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(r.body.readableBytes > 100_000)
        }
    }

    @Test func filesAreGzippedWhenAccepted() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: ConsoleAssets.prefix + "js/app.js", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(r.headers[.contentEncoding] == "gzip")
            #expect(String(buffer: try r.body.gunzipped()).contains("hashchange"))
        }
    }

    @Test func otherVersionIs404() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/console/000000000000/js/app.js", method: .get).status.code == 404)
        }
    }

    @Test func postIsNotAllowed() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/", method: .post).status.code == 405)
        }
    }

    @Test func servedWithoutCredentialsWhenAuthIsOn() async throws {
        // The page holds no data; it asks for credentials when /query refuses it.
        let (harness, path) = try AuthTests.authHarness()
        defer { unlink(path) }
        try await harness.run { client async throws in
            #expect(try await client.execute(uri: "/", method: .get).status.code == 200)
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get).status.code == 401)
        }
    }

    @Test func turnedOff() async throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, console: false)
        try await Harness(configuration: configuration).run { client async throws in
            let r = try await client.execute(uri: "/", method: .get)
            #expect(r.status.code == 404)
            #expect(r.text == "404 page not found\n")
            #expect(try await client.execute(uri: ConsoleAssets.prefix + "js/app.js", method: .get).status.code == 404)
        }
    }
}
