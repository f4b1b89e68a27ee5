import Foundation
import QueryEngine
import Synchronization
import TimeSeries

/// `collectlite-bench query [--hosts N] [--hours H] [--iterations K] [--fleet-iterations K] [--influxd PATH]`
///
/// With `--influxd`, a throw-away InfluxDB is started on localhost, loaded with the same data
/// over /write, and every panel is timed there too (HTTP round trip included) for comparison.
/// Query latency (p50/p99, encoding to JSON included) of Grafana's collectd panels over a
/// collectd-like data set (default 100 hosts × 24 h at 10 s): a host dashboard at
/// GROUP BY time(1m) and fleet-wide panels. Runs over an in-memory column store here;
/// `runQueryBench(store:database:start:end:hosts:iterations:fleetIterations:)` runs the same
/// queries over any `SeriesStore` already holding `loadQueryBenchData` output.
func runQueryBench(arguments: [String]) throws {
    var hosts = 100
    var hours = 24
    var iterations = 20
    var fleetIterations = 5
    var influxd: String?
    var i = 0
    while i < arguments.count {
        let value = i + 1 < arguments.count ? Int(arguments[i + 1]) : nil
        switch arguments[i] {
        case "--hosts": hosts = value ?? hosts
        case "--hours": hours = value ?? hours
        case "--iterations": iterations = value ?? iterations
        case "--fleet-iterations": fleetIterations = value ?? fleetIterations
        case "--influxd": influxd = i + 1 < arguments.count ? arguments[i + 1] : nil
        default: break
        }
        i += 2
    }
    let store = QueryBenchStore()
    let start: Int64 = 1_700_000_000_000_000_000
    let clock = ContinuousClock()
    let loadStart = clock.now
    let samples = try loadQueryBenchData(into: store, database: "collectd", hosts: hosts, hours: hours, start: start)
    print("query bench: loaded \(samples) samples (\(hosts) hosts × \(hours) h at 10 s) in \(clock.now - loadStart)")
    var influx: BenchInflux?
    if let influxd {
        let t0 = clock.now
        let server = try BenchInflux(binary: influxd)
        try server.load(store: store, database: "collectd")
        print("query bench: loaded the same samples into influxd in \(clock.now - t0)")
        influx = server
    }
    defer { influx?.stop() }
    try runQueryBench(store: store, database: "collectd", start: start, end: start + Int64(hours) * 3_600_000_000_000,
                      hosts: hosts, iterations: iterations, fleetIterations: fleetIterations, influx: influx)
}

/// Runs the panel queries over `store` and prints p50/p99 per query.
func runQueryBench(store: any SeriesStore, database: String, start: Int64, end: Int64, hosts: Int, iterations: Int, fleetIterations: Int, influx: BenchInflux? = nil) throws {
    let executor = QueryExecutor(store: store)
    let range = "time >= \(start / 1_000_000)ms and time <= \(end / 1_000_000)ms"
    let host = hostName(hosts / 2)
    let panels: [(name: String, query: String, fleet: Bool)] = [
        ("host if_octets rx bit/s 1m", "SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_rx\" WHERE (\"host\" =~ /^\(host)$/ AND \"type\" = 'if_octets') AND \(range) GROUP BY time(1m), \"instance\" fill(null)", false),
        ("host if_octets tx bit/s 1m", "SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_tx\" WHERE (\"host\" =~ /^\(host)$/ AND \"type\" = 'if_octets') AND \(range) GROUP BY time(1m), \"instance\" fill(null)", false),
        ("host cpu per state 1m", "SELECT non_negative_derivative(mean(\"value\"), 1s) FROM \"cpu_value\" WHERE (\"host\" =~ /^\(host)$/ AND \"type\" = 'cpu') AND \(range) GROUP BY time(1m), \"type_instance\" fill(null)", false),
        ("host load 1m", "SELECT mean(\"value\") FROM \"load_shortterm\", \"load_midterm\", \"load_longterm\" WHERE (\"host\" =~ /^\(host)$/) AND \(range) GROUP BY time(1m) fill(null)", false),
        ("host memory 1m", "SELECT mean(\"value\") FROM \"memory_value\" WHERE (\"host\" =~ /^\(host)$/) AND \(range) GROUP BY time(1m), \"type_instance\" fill(null)", false),
        ("fleet load 1m", "SELECT mean(\"value\") FROM \"load_shortterm\" WHERE \(range) GROUP BY time(1m), \"host\" fill(null)", true),
        ("fleet if bit/s 5m", "SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_rx\" WHERE \"type\" = 'if_octets' AND \(range) GROUP BY time(5m), \"host\", \"instance\" fill(null)", true),
        ("fleet max cpu 1h", "SELECT max(\"value\") FROM \"cpu_value\" WHERE \"type_instance\" = 'user' AND \(range) GROUP BY time(1h), \"host\" fill(null)", true),
    ]
    let clock = ContinuousClock()
    let options = QueryOptions(database: database, now: end)
    print("panel                          p50 ms    p99 ms   rows  bytes" + (influx == nil ? "" : "  influx p50    p99  speedup"))
    for panel in panels {
        let n = max(panel.fleet ? fleetIterations : iterations, 1)
        var times: [Double] = []
        var rows = 0
        var bytes = 0
        // One untimed warm-up run.
        _ = executor.execute(panel.query, options: options)
        for _ in 0..<n {
            let t0 = clock.now
            let response = executor.execute(panel.query, options: options)
            let body = ResultWriter.json(response, epoch: .ms, pretty: false)
            let d = clock.now - t0
            times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15)
            if let error = response.results.first?.error ?? response.parseError { print("  error: \(error)") }
            rows = response.results.first?.series.reduce(0) { $0 + $1.values.count } ?? 0
            bytes = body.count
        }
        let (p50, p99) = percentiles(times)
        var line = panel.name.padding(30) + fmt(p50).leftPad(8) + fmt(p99).leftPad(10) + String(rows).leftPad(7) + String(bytes).leftPad(8)
        if let influx {
            _ = try influx.query(panel.query, database: database)
            var remote: [Double] = []
            for _ in 0..<n {
                let t0 = clock.now
                _ = try influx.query(panel.query, database: database)
                let d = clock.now - t0
                remote.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15)
            }
            let (r50, r99) = percentiles(remote)
            line += fmt(r50).leftPad(12) + fmt(r99).leftPad(8) + (fmt(r50 / max(p50, 0.001)) + "×").leftPad(9)
        }
        print(line)
    }
}

/// Writes a collectd-like day: per host 2 CPUs × 4 states (counters), 2 interfaces' if_octets
/// rx/tx (counters), load short/mid/long, 4 memory kinds; every 10 s with sub-second jitter.
@discardableResult
func loadQueryBenchData(into store: any SeriesStore, database: String, hosts: Int, hours: Int, start: Int64) throws -> Int {
    try store.createDatabase(database)
    let steps = hours * 360
    var rng = BenchRandom(seed: 42)
    var total = 0
    for h in 0..<hosts {
        let host = hostName(h)
        var series: [(SeriesKey, Double, Bool)] = []
        for cpu in ["0", "1"] {
            for state in ["user", "system", "idle", "wait"] {
                series.append((SeriesKey(measurement: "cpu_value", tags: [Tag("host", host), Tag("instance", cpu), Tag("type", "cpu"), Tag("type_instance", state)]), state == "idle" ? 90 : 5, true))
            }
        }
        for iface in ["eth0", "eth1"] {
            for m in ["interface_rx", "interface_tx"] {
                series.append((SeriesKey(measurement: m, tags: [Tag("host", host), Tag("instance", iface), Tag("type", "if_octets")]), 125_000, true))
            }
        }
        for m in ["load_shortterm", "load_midterm", "load_longterm"] {
            series.append((SeriesKey(measurement: m, tags: [Tag("host", host), Tag("type", "load")]), 2, false))
        }
        for kind in ["used", "free", "cached", "buffered"] {
            series.append((SeriesKey(measurement: "memory_value", tags: [Tag("host", host), Tag("type", "memory"), Tag("type_instance", kind)]), 1e9, false))
        }
        var points: [Point] = []
        points.reserveCapacity(series.count * steps)
        for (key, scale, counter) in series {
            var acc = Double(rng.next() % 1_000_000)
            for s in 0..<steps {
                let t = start + Int64(s) * 10_000_000_000 + Int64(rng.next() % 20_000) * 1_000_000
                let v: Double
                if counter {
                    acc += (Double(rng.next() % 1000) / 1000) * scale * 10
                    v = acc.rounded()
                } else {
                    v = (Double(rng.next() % 1000) / 1000 * scale * 100).rounded() / 100
                }
                points.append(Point(key: key, fields: [Field("value", .float(v))], time: t))
            }
        }
        try store.write(points, database: database)
        total += points.count
    }
    return total
}

private func percentiles(_ values: [Double]) -> (Double, Double) {
    let sorted = values.sorted()
    return (sorted[(sorted.count - 1) / 2], sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)])
}

/// A throw-away influxd for side-by-side timings, talked to with plain HTTP/1.1 over a socket.
final class BenchInflux {
    let directory: URL
    let port: Int
    let process: Process

    init(binary: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-influx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = Int.random(in: 20_000..<60_000)
        let d = directory.path
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(port + 1)"
            [meta]
              dir = "\(d)/meta"
            [data]
              dir = "\(d)/data"
              wal-dir = "\(d)/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:\(port)"
              log-enabled = false
            """
        let conf = directory.appendingPathComponent("influxdb.conf")
        try config.write(to: conf, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-config", conf.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 {
            if (try? request("GET", "/ping", body: [])) != nil { return }
            usleep(25_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    func load(store: any SeriesStore, database: String) throws {
        _ = try request("POST", "/query?q=" + "CREATE DATABASE \(database)".urlEncoded, body: [])
        var body: [UInt8] = []
        for entry in try store.series(database: database, filter: .all, where: .always) {
            let prefix = Array((entry.key.description + " value=").utf8)
            var cursor = try store.scan(database: database, series: entry.id, field: "value", range: .all, descending: false)
            while let s = try cursor.next() {
                guard case .float(let v) = s.value else { continue }
                body += prefix
                body += Array("\(v) \(s.time)\n".utf8)
                if body.count > 4_000_000 {
                    _ = try request("POST", "/write?db=\(database)", body: body)
                    body.removeAll(keepingCapacity: true)
                }
            }
        }
        if !body.isEmpty { _ = try request("POST", "/write?db=\(database)", body: body) }
    }

    func query(_ q: String, database: String) throws -> Int {
        try request("GET", "/query?db=\(database)&epoch=ms&q=" + q.urlEncoded, body: []).count
    }

    /// One HTTP/1.1 exchange with `Connection: close`; returns the raw response bytes.
    func request(_ method: String, _ path: String, body: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CocoaError(.fileReadUnknown) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { throw CocoaError(.fileReadUnknown) }
        let head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let out = Array(head.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        guard response.starts(with: Array("HTTP/1.1 2".utf8)) else { throw CocoaError(.fileReadUnknown) }
        return response
    }
}

private extension String {
    var urlEncoded: String {
        var out = ""
        for b in utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out
    }
}

private func hostName(_ h: Int) -> String {
    let digits = String(h)
    return "host" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}

private func fmt(_ ms: Double) -> String {
    let r = (ms * 100).rounded() / 100
    return String(r)
}

private extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

private struct BenchRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// An append-friendly in-memory column store for the benchmark (MemoryStore re-sorts on
/// every insert, too slow to load a 100-host day). Samples must arrive in time order per series.
final class QueryBenchStore: SeriesStore {
    struct Column {
        var times: [Int64] = []
        var values: [Double] = []
    }

    struct State {
        var databases: Set<String> = []
        var ids: [SeriesKey: UInt64] = [:]
        var entries: [SeriesEntry] = []
        var columns: [UInt64: Column] = [:]
        var sorted = true
    }

    private let state = Mutex(State())

    func databases() throws -> [String] { state.withLock { $0.databases.sorted() } }
    func createDatabase(_ name: String) throws { state.withLock { _ = $0.databases.insert(name) } }
    func dropDatabase(_ name: String) throws { state.withLock { _ = $0.databases.remove(name) } }

    func write(_ points: [Point], database: String, policy: String?) throws {
        state.withLock { s in
            s.databases.insert(database)
            for p in points {
                guard case .float(let v) = p.fields.first?.value else { continue }
                let id: UInt64
                if let existing = s.ids[p.key] {
                    id = existing
                } else {
                    id = UInt64(s.entries.count + 1)
                    s.ids[p.key] = id
                    s.entries.append(SeriesEntry(id: id, key: p.key))
                    s.sorted = false
                }
                s.columns[id, default: Column()].times.append(p.time)
                s.columns[id, default: Column()].values.append(v)
            }
        }
    }

    func measurements(database: String, filter: MeasurementFilter) throws -> [String] {
        state.withLock { Set($0.entries.map(\.key.measurement)).filter { filter.matches($0) }.sorted() }
    }

    func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        state.withLock { s in
            if !s.sorted {
                // Sort once by key text (the protocol's order) instead of on every call.
                s.entries = s.entries.map { ($0.key.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
                s.sorted = true
            }
            return s.entries.filter { filter.matches($0.key.measurement) && predicate.evaluate($0.key) }
        }
    }

    func fieldKeys(database: String, policy: String?, measurement: String) throws -> [FieldKey] { [FieldKey(name: "value", type: .float)] }

    // One policy, autogen, and no continuous queries.
    func retentionPolicies(database: String) throws -> RetentionPolicies { .initial() }
    func updateRetentionPolicies(database: String, createDatabase: Bool, _ change: (inout RetentionPolicies) throws -> Void) throws {}
    func continuousQueries(database: String) throws -> ContinuousQueries { ContinuousQueries() }
    func updateContinuousQueries(database: String, _ change: (inout ContinuousQueries) throws -> Void) throws {}

    func scan(database: String, policy: String?, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        let column = state.withLock { $0.columns[series] } ?? Column()
        var lo = 0, hi = column.times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if column.times[mid] < range.min { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < column.times.count && column.times[end] <= range.max { end += 1 }
        if descending {
            let samples = (lo..<end).map { Sample(time: column.times[$0], value: .float(column.values[$0])) }
            return ArrayCursor(samples: samples.reversed())
        }
        return ColumnCursor(column: column, index: lo, end: end)
    }

    struct ColumnCursor: SampleCursor {
        let column: Column
        var index: Int
        let end: Int

        mutating func next() throws -> Sample? {
            guard index < end else { return nil }
            defer { index += 1 }
            return Sample(time: column.times[index], value: .float(column.values[index]))
        }
    }

    func dropMeasurement(database: String, name: String) throws {}
    func dropSeries(database: String, ids: [UInt64]) throws {}
    func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws {}

    // The benchmark loads through `write`; the appender side maps refs to series ids.
    var appendGeneration: UInt64 { 0 }

    func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        state.withLock { s in
            s.databases.insert(database)
            let id: UInt64
            if let existing = s.ids[key] {
                id = existing
            } else {
                id = UInt64(s.entries.count + 1)
                s.ids[key] = id
                s.entries.append(SeriesEntry(id: id, key: key))
                s.sorted = false
            }
            return .refs(fields.map { _ in FieldRef(database: 0, slot: UInt32(id)) })
        }
    }

    func append(_ batch: ColumnBatch) throws -> AppendResult {
        state.withLock { s in
            for row in 0..<batch.count {
                guard case .float(let v) = batch.value(at: row, as: .float) else { continue }
                let id = UInt64(batch.refs[row].slot)
                s.columns[id, default: Column()].times.append(batch.times[row])
                s.columns[id, default: Column()].values.append(v)
            }
            return AppendResult(appended: batch.count)
        }
    }
}
