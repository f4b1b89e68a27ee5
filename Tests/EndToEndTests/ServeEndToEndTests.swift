import CollectdProtocol
import CollectdReceiver
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import TimeSeries

/// `collectlite serve` as a process: datagrams in over loopback, the data directory read back.
@Suite(.serialized) struct ServeEndToEndTests {
    static let t0: Int64 = 1_700_000_000_000_000_000

    static func serve(_ dir: String, _ extra: [String] = []) throws -> ServerProcess {
        try ServerProcess.collectlite([
            "serve", "--data-dir", dir, "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0",
            "--flush-interval", "200ms",
        ] + extra)
    }

    /// Value lists for `hosts` hosts × `steps` seconds starting at `start` seconds.
    static func packets(hosts: Int, steps: Range<Int>) -> (datagrams: [[UInt8]], values: Int) {
        var encoder = CollectdEncoder()
        var datagrams: [[UInt8]] = []
        var values = 0
        for step in steps {
            for host in 0..<hosts {
                let time = t0 + Int64(step) * 1_000_000_000
                datagrams += encoder.append(ValueList(host: "h\(host)", plugin: "load", type: "load", time: time, interval: 1_000_000_000,
                                                      values: [.gauge(Double(step)), .gauge(1), .gauge(2)]))
                datagrams += encoder.append(ValueList(host: "h\(host)", plugin: "interface", pluginInstance: "eth0", type: "if_octets",
                                                      time: time, interval: 1_000_000_000, values: [.derive(Int64(step)), .derive(7)]))
                values += 5
            }
        }
        return (datagrams + encoder.flush(), values)
    }

    /// Stops the server with SIGTERM and expects a clean exit.
    static func stop(_ server: ServerProcess) async {
        server.signal(SIGTERM)
        let status = await server.waitForExit()
        #expect(status == 0, "exit status \(status); log:\n\(server.log)")
    }

    @Test func sigtermRightAfterTheLastDatagramKeepsEverything() async throws {
        let dir = try TemporaryDirectory("sigterm")
        defer { dir.remove() }
        let server = try Self.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let (datagrams, values) = Self.packets(hosts: 50, steps: 0..<20)
        for d in datagrams { #expect(sender.send(d)) }
        await Self.stop(server)
        #expect(server.log.contains("store flushed and closed"))

        // A restart on the same directory opens it and keeps it intact.
        let again = try Self.serve(dir.path)
        _ = try await again.collectdPort()
        await Self.stop(again)

        let stored = try StoredData(dataDirectory: dir.path)
        #expect(stored.count == values)
        #expect(stored.series(of: "load_shortterm").count == 50)
        let last = stored.contains(series: "interface_rx,host=h3,instance=eth0,type=if_octets", time: Self.t0 + 19_000_000_000)
        #expect(last)
    }

    /// Disk footprint: queries run while collectd data arrives; after SIGTERM the data directory
    /// holds one file per database (no -wal, no -shm; the lock file aside), `/metrics` reported
    /// the WAL's size while running, and a restart finds every value.
    @Test func cleanStopAfterQueriesLeavesOneFilePerDatabase() async throws {
        let dir = try TemporaryDirectory("one-file")
        defer { dir.remove() }
        let server = try Self.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let http = try await server.httpPort()
        let (datagrams, values) = Self.packets(hosts: 20, steps: 0..<30)
        for (i, d) in datagrams.enumerated() {
            #expect(sender.send(d))
            if i % 40 == 0 {
                let (status, _) = try await HTTPEndToEndTests.get(http, "/query", ["db": "collectd", "q": "SELECT count(\"value\") FROM \"load_shortterm\""])
                #expect(status == 200)
            }
        }
        try await Task.sleep(for: .milliseconds(600))
        let (_, answer) = try await HTTPEndToEndTests.get(http, "/query", ["db": "collectd", "q": "SELECT count(\"value\") FROM \"load_shortterm\""])
        #expect("\(answer)".contains("600"), "\(answer)")
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(http)/metrics")!)
        request.httpMethod = "GET"
        let (metrics, _) = try await URLSession.shared.data(for: request)
        let text = String(decoding: metrics, as: UTF8.self)
        #expect(text.contains("collectlite_store_wal_bytes{database=\"collectd\"}"), "\(text.prefix(2000))")
        await Self.stop(server)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.filter { $0 != "collectlite.lock" } == ["collectd.sqlite"], "\(files)")

        let again = try Self.serve(dir.path)
        _ = try await again.collectdPort()
        await Self.stop(again)
        let stored = try StoredData(dataDirectory: dir.path)
        #expect(stored.count == values)
    }

    @Test func sigkillLosesAtMostTheLastFlushInterval() async throws {
        let dir = try TemporaryDirectory("sigkill")
        defer { dir.remove() }
        let server = try Self.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let first = Self.packets(hosts: 20, steps: 0..<10)
        for d in first.datagrams { #expect(sender.send(d)) }
        // Wait until the first batch is durable: a reader in another process sees it.
        let deadline = ContinuousClock.now + .seconds(20)
        var durable = 0
        while ContinuousClock.now < deadline {
            durable = (try? StoredData(dataDirectory: dir.path).count) ?? 0
            if durable >= first.values { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(durable == first.values)
        let second = Self.packets(hosts: 20, steps: 10..<20)
        for d in second.datagrams { #expect(sender.send(d)) }
        server.signal(SIGKILL)
        #expect(await server.waitForExit() == 128 + SIGKILL)

        let again = try Self.serve(dir.path)
        _ = try await again.collectdPort()
        await Self.stop(again)
        let stored = try StoredData(dataDirectory: dir.path)
        // Everything flushed before the kill survives; what arrived after may be lost.
        #expect(stored.count >= first.values && stored.count <= first.values + second.values)
        for host in 0..<20 {
            for step in 0..<10 {
                let found = stored.contains(series: "load_shortterm,host=h\(host),type=load", time: Self.t0 + Int64(step) * 1_000_000_000)
                #expect(found, "h\(host) step \(step)")
            }
        }
    }

    /// An HTTP write is durable when it is answered, however long the flush interval: InfluxDB
    /// answers a /write after its WAL, and `collectlite import --to` records its progress then.
    @Test func sigkillKeepsEveryAcknowledgedHTTPWrite() async throws {
        let dir = try TemporaryDirectory("sigkill-write")
        defer { dir.remove() }
        let server = try ServerProcess.collectlite([
            "serve", "--data-dir", dir.path, "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0",
            "--flush-interval", "10m",
        ])
        let port = try await server.httpPort()
        var written = 0
        for batch in 0..<5 {
            let lines = (0..<200).map { i in
                "cpu_value,host=h\(i % 7),type_instance=user value=\(batch * 1000 + i) \(Self.t0 + Int64(batch * 200 + i) * 1_000_000_000)"
            }
            let status = try await ImportEndToEndTests.post("http://127.0.0.1:\(port)/write?db=collectd", lines.joined(separator: "\n"))
            #expect(status == 204)
            written += lines.count
        }
        server.signal(SIGKILL)
        #expect(await server.waitForExit() == 128 + SIGKILL)
        // Read by another process straight from the file, before any restart replays anything.
        let stored = try StoredData(dataDirectory: dir.path)
        #expect(stored.count == written)
        // The last line of the last batch: i = 199, host h(199 % 7) = h3.
        let last = stored.contains(series: "cpu_value,host=h3,type_instance=user", time: Self.t0 + 999 * 1_000_000_000)
        let elsewhere = stored.contains(series: "cpu_value,host=h5,type_instance=user", time: Self.t0 + 999 * 1_000_000_000)
        #expect(last && !elsewhere)
    }

    /// Queries that spread over every core must not cost collectd values: datagrams arriving
    /// while fleet queries loop on two connections are all stored.
    @Test func ingestLosesNothingWhileFleetQueriesRun() async throws {
        let dir = try TemporaryDirectory("ingest-under-queries")
        defer { dir.remove() }
        let server = try Self.serve(dir.path)
        let port = try await server.httpPort()
        // 60 hosts × 30 min at 10 s of cpu values for the queries to read.
        var written = 0
        for host in 0..<60 {
            let lines = (0..<180).map { i in
                "cpu_value,host=q\(host),type_instance=user value=\(i * 7 + host) \(Self.t0 + Int64(i) * 10_000_000_000)"
            }
            #expect(try await ImportEndToEndTests.post("http://127.0.0.1:\(port)/write?db=collectd", lines.joined(separator: "\n")) == 204)
            written += lines.count
        }
        let query = "SELECT mean(\"value\") FROM \"cpu_value\" WHERE time >= \(Self.t0) AND time < \(Self.t0 + 1_800_000_000_000) GROUP BY time(1m), \"host\""
        let stop = ManagedAtomicFlag()
        let loops = (0..<2).map { _ in
            Task {
                var answered = 0
                while !stop.isSet {
                    let (status, json) = try await HTTPEndToEndTests.get(port, "/query", ["db": "collectd", "q": query])
                    #expect(status == 200 && HTTPEndToEndTests.series(json).count == 60)
                    answered += 1
                }
                return answered
            }
        }
        let sender = UDPSender(port: try await server.collectdPort())
        let sent = Self.packets(hosts: 40, steps: 0..<60)
        for (n, d) in sent.datagrams.enumerated() {
            #expect(sender.send(d))
            if n % 50 == 49 { try await Task.sleep(for: .milliseconds(5)) }
        }
        try await Task.sleep(for: .milliseconds(300))
        stop.set()
        var answered = 0
        for loop in loops { answered += try await loop.value }
        #expect(answered >= 2)
        await Self.stop(server)
        let stored = try StoredData(dataDirectory: dir.path)
        #expect(stored.count == written + sent.values)
    }

    @Test func randomAndMutatedDatagramsNeverStopTheServer() async throws {
        let dir = try TemporaryDirectory("fuzz")
        defer { dir.remove() }
        let server = try Self.serve(dir.path, ["--collectd-read-buffer", "64MiB"])
        let sender = UDPSender(port: try await server.collectdPort())
        let valid = Self.packets(hosts: 100, steps: 0..<10)
        var rng = SystemRandomNumberGenerator()
        var sent = 0
        var garbage = 0
        for i in 0..<10_000 {
            if i % 100 == 0 {
                sender.send(valid.datagrams[(i / 100) % valid.datagrams.count])
                sent += 1
            }
            var bytes: [UInt8]
            if i % 3 == 0 {
                bytes = (0..<Int.random(in: 0...1500, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = valid.datagrams[Int.random(in: 0..<valid.datagrams.count, using: &rng)]
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if i % 5 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
            }
            if sender.send(bytes) || bytes.isEmpty { garbage += 1 }
        }
        // All valid traffic once more, after the garbage: the server must still take it.
        for d in valid.datagrams { sender.send(d) }
        sent += valid.datagrams.count
        #expect(server.isRunning)
        await Self.stop(server)

        let summary = try #require(ServerProcess.line(containing: "collectd receiver stopped", in: server.log))
        let figures = Self.figures(summary)
        #expect(figures["datagrams"] == sent + garbage, "\(summary)")
        let stored = try StoredData(dataDirectory: dir.path)
        for host in 0..<100 {
            for step in 0..<10 {
                let found = stored.contains(series: "load_shortterm,host=h\(host),type=load", time: Self.t0 + Int64(step) * 1_000_000_000)
                #expect(found, "h\(host) step \(step)")
            }
        }
        #expect(figures["values_received"] == (figures["values_stored"] ?? -1) + (figures["values_dropped"] ?? -1), "\(summary)")
    }

    /// `key=value` pairs from a log line's metadata.
    static func figures(_ line: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for word in line.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" || $0 == "," }) {
            let parts = word.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let n = Int(parts[1]) { out[String(parts[0])] = n }
        }
        return out
    }
}

/// A flag one task sets and others poll.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
