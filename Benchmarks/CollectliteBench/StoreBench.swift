#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLiteStore
import TimeSeries

/// `collectlite-bench store [--hosts N] [--hours H] [--dir PATH] [--memory-series N] [--chunk-size N]`
///
/// A synthetic collectd day (split mode, 10 s interval, ≤ 10 ms jitter, ms-precision ns times,
/// every value a float as collectd stores them): per host cpu 4×8 DERIVE, interface 3 ifaces ×
/// 4 types × rx/tx DERIVE, load 3 GAUGE, memory 6 GAUGE = 65 series. Prints ingest rate (write
/// plus the per-tick flush, one core), bytes on disk per value after close, full-scan rate and
/// head memory per series. Rates are per CPU-second of the benchmark thread (one core).
func runStoreBench(arguments: [String]) throws {
    var hosts = 100
    var hours = 24.0
    var directory = "/tmp/collectlite-storebench"
    var memorySeries = 10_000
    var chunkSize = 120
    var index = 0
    while index + 1 < arguments.count {
        let value = arguments[index + 1]
        switch arguments[index] {
        case "--hosts": hosts = Int(value) ?? hosts
        case "--hours": hours = Double(value) ?? hours
        case "--dir": directory = value
        case "--memory-series": memorySeries = Int(value) ?? memorySeries
        case "--chunk-size": chunkSize = Int(value) ?? chunkSize
        default: break
        }
        index += 2
    }
    _ = system("rm -rf '\(directory)'")
    let day = SyntheticCollectd(hosts: hosts)
    let ticks = Int(hours * 360)
    print("store bench: \(hosts) hosts, \(day.keys.count) series, \(ticks) ticks of 10 s, \(day.keys.count * ticks) values, chunks of \(chunkSize)")

    // Ingest: write one tick (all series) then flush, as the server does every second.
    let store = try SQLiteStore(dataDirectory: directory, options: .init(chunkSize: chunkSize))
    var writeSeconds = 0.0
    var flushSeconds = 0.0
    var generator = day
    for tick in 0..<ticks {
        let points = generator.tick(tick)
        let t0 = BenchClock.seconds()
        try store.write(points, database: "collectd")
        let t1 = BenchClock.seconds()
        try store.flush()
        flushSeconds += BenchClock.seconds() - t1
        writeSeconds += t1 - t0
    }
    let values = Double(day.keys.count * ticks)
    let closeStart = BenchClock.seconds()
    try store.close()
    let closeSeconds = BenchClock.seconds() - closeStart
    let ingest = writeSeconds + flushSeconds + closeSeconds
    print(fmt("ingest (write+flush+close)", values / ingest, "values/s", extra: "write \(fmt(writeSeconds))s flush \(fmt(flushSeconds))s close \(fmt(closeSeconds))s"))
    print(fmt("write() alone", values / writeSeconds, "values/s"))
    let bytes = fileSize(directory + "/collectd.sqlite") + fileSize(directory + "/collectd.sqlite-wal")
    print(fmt("bytes on disk per value", Double(bytes) / values, "B", extra: "file \(bytes) bytes"))

    // Full scan through the SeriesStore API, read-only as the CLI would.
    let reader = try SQLiteStore(dataDirectory: directory, readOnly: true)
    let scanStart = BenchClock.seconds()
    var scanned = 0
    for entry in try reader.series(database: "collectd", filter: .all, where: .always) {
        var cursor = try reader.scan(database: "collectd", series: entry.id, field: "value", range: .all, descending: false)
        while try cursor.next() != nil { scanned += 1 }
    }
    let scanSeconds = BenchClock.seconds() - scanStart
    print(fmt("full scan", Double(scanned) / scanSeconds, "values/s", extra: "\(scanned) values in \(fmt(scanSeconds))s"))
    try reader.close()

    // Head memory: memorySeries series holding half a chunk (60 samples) each.
    let memoryDirectory = directory + "-memory"
    _ = system("rm -rf '\(memoryDirectory)'")
    let rssBefore = residentBytes()
    let memoryStore = try SQLiteStore(dataDirectory: memoryDirectory)
    let memoryHosts = (memorySeries + 64) / 65
    var memoryDay = SyntheticCollectd(hosts: memoryHosts)
    let seriesCount = memoryDay.keys.count
    for tick in 0..<60 {
        try memoryStore.write(memoryDay.tick(tick), database: "collectd")
        try memoryStore.flush()
    }
    let rssAfter = residentBytes()
    let stats = Dictionary(uniqueKeysWithValues: memoryStore.stats().first!.values.map { ($0.name, $0.value) })
    let headBytes = stats["head_bytes"] ?? 0
    print(fmt("head memory per series (60 samples)", headBytes / Double(seriesCount), "B", extra: "sample arrays only; process RSS grew \(fmt(Double(rssAfter - rssBefore) / Double(seriesCount))) B per series incl. index and SQLite cache, \(seriesCount) series"))
    try memoryStore.close()
    _ = system("rm -rf '\(memoryDirectory)'")
}

/// Deterministic collectd-shaped series and values.
private struct SyntheticCollectd {
    let keys: [SeriesKey]
    /// 0 DERIVE counter, 1 load gauge, 2 memory gauge.
    let shapes: [UInt8]
    var counters: [Double]
    var hostOffsetsMs: [Int64]
    var rng = BenchRandom(state: 42)

    init(hosts: Int) {
        var keys: [SeriesKey] = []
        var shapes: [UInt8] = []
        var offsets: [Int64] = []
        var rng = BenchRandom(state: 7)
        for h in 0..<hosts {
            let host = "host\(h).example.net"
            offsets.append(Int64(rng.next() % 10_000))
            for cpu in 0..<4 {
                for state in ["user", "nice", "system", "idle", "wait", "interrupt", "softirq", "steal"] {
                    keys.append(SeriesKey(measurement: "cpu_value", tags: [Tag("host", host), Tag("instance", "\(cpu)"), Tag("type", "cpu"), Tag("type_instance", state)]))
                    shapes.append(0)
                }
            }
            for iface in ["eth0", "eth1", "lo"] {
                for type in ["if_octets", "if_packets", "if_errors", "if_dropped"] {
                    for direction in ["interface_rx", "interface_tx"] {
                        keys.append(SeriesKey(measurement: direction, tags: [Tag("host", host), Tag("instance", iface), Tag("type", type)]))
                        shapes.append(0)
                    }
                }
            }
            for term in ["load_shortterm", "load_midterm", "load_longterm"] {
                keys.append(SeriesKey(measurement: term, tags: [Tag("host", host), Tag("type", "load")]))
                shapes.append(1)
            }
            for state in ["used", "buffered", "cached", "free", "slab_recl", "slab_unrecl"] {
                keys.append(SeriesKey(measurement: "memory_value", tags: [Tag("host", host), Tag("type", "memory"), Tag("type_instance", state)]))
                shapes.append(2)
            }
        }
        self.keys = keys
        self.shapes = shapes
        self.hostOffsetsMs = offsets
        self.counters = shapes.map { $0 == 2 ? 1_073_741_824 : ($0 == 1 ? 0.5 : 1_000_000) }
    }

    /// All points of one 10 s tick.
    mutating func tick(_ tick: Int) -> [Point] {
        let base: Int64 = 1_700_000_000_000 + Int64(tick) * 10_000
        var points: [Point] = []
        points.reserveCapacity(keys.count)
        let perHost = keys.count / max(1, hostOffsetsMs.count)
        for i in keys.indices {
            let r = rng.next()
            switch shapes[i] {
            case 0: counters[i] += Double(r % 4096)
            case 1: counters[i] = (max(0, counters[i] + Double(Int64(r % 21) - 10) / 100) * 100).rounded() / 100
            default: if r % 8 == 0 { counters[i] += Double(Int64(r % 8193) - 4096) * 4096 }
            }
            let jitter = Int64((r >> 20) % 11)
            let ms = base + hostOffsetsMs[i / perHost] + jitter
            points.append(Point(key: keys[i], fields: [Field("value", .float(counters[i]))], time: ms * 1_000_000))
        }
        return points
    }
}

private struct BenchRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// CPU time of the calling thread: the machine is shared, so rates are per CPU-second of one core.
private enum BenchClock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

private func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}

private func residentBytes() -> Int64 {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0
    var resident = 0
    guard fscanf_statm(file, &size, &resident) else { return 0 }
    return Int64(resident) * Int64(sysconf(Int32(_SC_PAGESIZE)))
}

private func fscanf_statm(_ file: UnsafeMutablePointer<FILE>, _ size: inout Int, _ resident: inout Int) -> Bool {
    var buffer = [CChar](repeating: 0, count: 128)
    guard fgets(&buffer, 128, file) != nil else { return false }
    let fields = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
    guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
    size = s
    resident = r
    return true
}

private func fmt(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return "\(rounded)"
}

private func fmt(_ name: String, _ value: Double, _ unit: String, extra: String = "") -> String {
    let text = value >= 1000 ? "\(Int(value.rounded()))" : fmt(value)
    return "  \(name): \(text) \(unit)" + (extra.isEmpty ? "" : "  (\(extra))")
}
