import Foundation
import Testing

/// `--retention` sets `autogen` for databases created from then on; at start `serve` names each
/// existing database whose `autogen` keeps another duration, with the statement that changes it.
@Suite(.serialized) struct RetentionNoteEndToEndTests {
    @Test func anExistingDatabaseKeepingAnotherDurationIsNamed() async throws {
        let dir = try TemporaryDirectory("retention-note")
        defer { dir.remove() }
        let first = try ServeEndToEndTests.serve(dir.path)
        let port = try await first.httpPort()
        #expect(try await AuthEndToEndTests.post(port, "CREATE DATABASE collectd").0 == 200)
        await ServeEndToEndTests.stop(first)

        let second = try ServeEndToEndTests.serve(dir.path, ["--retention", "30d"])
        let again = try await second.httpPort()
        let note = await second.line(containing: "--retention applies to databases created from now on")
        #expect(note?.contains(#"ALTER RETENTION POLICY "autogen" ON "collectd" DURATION 30d"#) == true, "\(second.log)")
        // A database created now gets the 30-day autogen.
        #expect(try await AuthEndToEndTests.post(again, "CREATE DATABASE lab").0 == 200)
        let (_, body) = try await AuthEndToEndTests.post(again, "SHOW RETENTION POLICIES ON lab")
        #expect(body.contains(#"["autogen","720h0m0s","24h0m0s",1,true]"#), "\(body)")
        await ServeEndToEndTests.stop(second)
    }
}
