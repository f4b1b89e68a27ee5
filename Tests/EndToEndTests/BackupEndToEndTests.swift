import CollectdProtocol
import Foundation
import Testing
import TestSupport
import TimeSeries

/// `collectlite backup` beside a `serve` that ingests at a steady rate, then `restore` and a
/// `serve` on the restored directory.
@Suite(.serialized) struct BackupEndToEndTests {
    /// Runs a `collectlite` command to its end; its exit status and output.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        try await ServerProcess.runCollectlite(arguments)
    }

    static let t0 = ServeEndToEndTests.t0
    static let queries = [
        "SHOW MEASUREMENTS",
        "SHOW TAG VALUES FROM \"load_shortterm\" WITH KEY = \"host\"",
        "SELECT mean(\"value\") FROM \"load_shortterm\" WHERE time >= \(t0) AND time < \(t0 + 400_000_000_000) GROUP BY time(10s), \"host\" fill(null)",
        "SELECT non_negative_derivative(mean(\"value\"), 1s) * 8 FROM \"interface_rx\" WHERE time >= \(t0) AND time < \(t0 + 400_000_000_000) GROUP BY time(10s), \"host\"",
        "SELECT count(\"value\") FROM \"load_midterm\"",
        "SELECT last(\"value\") FROM \"interface_tx\" GROUP BY \"host\"",
    ]

    @Test func backupWhileIngestingHoldsEveryDurableValueAndRestoresToTheSameAnswers() async throws {
        let dir = try TemporaryDirectory("backup-source")
        let out = try TemporaryDirectory("backup-out")
        let restored = try TemporaryDirectory("backup-restored")
        defer { dir.remove(); out.remove(); restored.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let first = ServeEndToEndTests.packets(hosts: 20, steps: 0..<40)
        for d in first.datagrams { #expect(sender.send(d)) }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, ((try? StoredData(dataDirectory: dir.path).count) ?? 0) < first.values {
            try await Task.sleep(for: .milliseconds(50))
        }

        // Steady ingest (20 hosts, a step of 5 values each every 25 ms) while the backup runs.
        let steady = ServeEndToEndTests.packets(hosts: 20, steps: 40..<400)
        let ingest = Task.detached {
            let sender = UDPSender(port: try await server.collectdPort())
            for (i, d) in steady.datagrams.enumerated() {
                sender.send(d)
                if i % 4 == 3 { try await Task.sleep(for: .milliseconds(25)) }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let durable = try StoredData(dataDirectory: dir.path)
        let started = ContinuousClock.now
        let (status, log) = try await Self.run(["backup", "--data-dir", dir.path, out.path])
        let took = ContinuousClock.now - started
        #expect(status == 0, "\(log)")
        #expect(log.contains("integrity ok"), "\(log)")
        #expect(log.contains("written to \(out.path) and verified"), "\(log)")
        try await ingest.value

        // Every value durable when the backup began is in it; the copy passes integrity_check.
        let copy = try StoredData(dataDirectory: out.path)
        var missing = 0
        for (series, fields) in durable.samples {
            for (field, samples) in fields {
                let copied = Set(copy.samples[series]?[field] ?? [])
                missing += samples.filter { !copied.contains($0) }.count
            }
        }
        #expect(missing == 0, "\(missing) durable values missing from the backup (took \(took))")
        #expect(copy.count >= durable.count && durable.count >= first.values)
        let manifest = try String(contentsOfFile: out.path + "/collectlite-backup.json", encoding: .utf8)
        #expect(manifest.contains("\"autogen.load_shortterm\""), "\(manifest)")

        // Ingest lost nothing meanwhile.
        let total = first.values + steady.values
        let end = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < end, ((try? StoredData(dataDirectory: dir.path).count) ?? 0) < total {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try StoredData(dataDirectory: dir.path).count == total)

        // restore refuses while a server holds the directory.
        let (busy, busyLog) = try await Self.run(["restore", "--data-dir", dir.path, "--force", out.path])
        #expect(busy != 0)
        #expect(busyLog.contains("in use by a running collectlite"), "\(busyLog)")
        await ServeEndToEndTests.stop(server)
        // … and refuses to overwrite without --force.
        let (exists, existsLog) = try await Self.run(["restore", "--data-dir", dir.path, out.path])
        #expect(exists != 0)
        #expect(existsLog.contains("give --force"), "\(existsLog)")

        // Restored into an empty directory, serve answers as the backup does.
        let (restoredStatus, restoreLog) = try await Self.run(["restore", "--data-dir", restored.path, out.path])
        #expect(restoredStatus == 0, "\(restoreLog)")
        #expect(restoreLog.contains("values restored, as in the backup"), "\(restoreLog)")
        let fromBackup = try ServeEndToEndTests.serve(out.path)
        let fromRestore = try ServeEndToEndTests.serve(restored.path)
        let expected = try await HTTPEndToEndTests.answers(try await fromBackup.httpPort(), Self.queries)
        let actual = try await HTTPEndToEndTests.answers(try await fromRestore.httpPort(), Self.queries)
        await ServeEndToEndTests.stop(fromBackup)
        await ServeEndToEndTests.stop(fromRestore)
        for (q, (a, e)) in zip(Self.queries, zip(actual, expected)) {
            #expect(a == e, "\(q)\nrestored: \(a)\nbackup: \(e)")
        }
        #expect(try StoredData(dataDirectory: restored.path).count == copy.count)
    }

    @Test func backupSinceKeepsOnlyLaterSamples() async throws {
        let dir = try TemporaryDirectory("backup-since")
        let out = try TemporaryDirectory("backup-since-out")
        defer { dir.remove(); out.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let packets = ServeEndToEndTests.packets(hosts: 5, steps: 0..<60)
        for d in packets.datagrams { #expect(sender.send(d)) }
        await ServeEndToEndTests.stop(server)
        let since = Self.t0 + 30_000_000_000
        let (status, log) = try await Self.run(["backup", "--data-dir", dir.path, "--database", "collectd", "--since", String(since), out.path])
        #expect(status == 0, "\(log)")
        let all = try StoredData(dataDirectory: dir.path)
        let copy = try StoredData(dataDirectory: out.path)
        #expect(all.count == packets.values)
        #expect(copy.count == packets.values / 2)
        for (_, fields) in copy.samples {
            for (_, samples) in fields { #expect(samples.allSatisfy { $0.time >= since }) }
        }
        // A second backup into the same directory is refused.
        let (again, againLog) = try await Self.run(["backup", "--data-dir", dir.path, out.path])
        #expect(again != 0)
        #expect(againLog.contains("already holds"), "\(againLog)")
    }
}
