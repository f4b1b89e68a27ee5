import CollectdProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Ingest benchmark: replays encoder-made collectd packets (100 hosts, a collectd-like plugin
/// mix) over loopback at rising rates into `collectlite serve` and, in the same run, into
/// InfluxDB 1.6.7's `[[collectd]]` input; prints values stored per CPU-second of each server
/// and the highest offered rate with at most 0.1 % loss.
///
/// Arguments: `[--seconds N] [--rates 50000,100000,...] [--hosts N] [--resources] [--no-influxdb]`.
/// With `--resources`, also prints each server's peak RSS (VmHWM) and bytes on disk per stored
/// value (collectlite: its data directory after SIGTERM; InfluxDB: data + WAL after its cache
/// snapshot and full compaction have run, at the end of the run).
func runIngestBench(arguments: [String]) throws {
    var seconds = 3.0
    var rates = [50_000, 100_000, 200_000, 400_000, 800_000, 1_200_000, 1_600_000]
    var withInflux = FileManager.default.isExecutableFile(atPath: "/usr/bin/influxd")
    var hosts = 100
    var resources = false
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--seconds": index += 1; seconds = Double(arguments[index]) ?? seconds
        case "--rates": index += 1; rates = arguments[index].split(separator: ",").compactMap { Int($0) }
        case "--no-influxdb": withInflux = false
        case "--hosts": index += 1; hosts = Int(arguments[index]) ?? hosts
        case "--resources": resources = true
        default: break
        }
        index += 1
    }
    let collectlite = try IngestBenchSupport.collectliteBinary()
    print("ingest benchmark: \(seconds) s per rate, \(hosts) hosts, server binary \(collectlite)")
    var workload = IngestWorkload(hosts: hosts)
    var influx: InfluxServer? = withInflux ? try InfluxServer.start() : nil
    defer { influx?.stop() }
    print("server         offered/s       stored   loss %   values/CPU-s")
    var best: [String: Int] = [:]
    var influxStored = 0
    for rate in rates {
        let packets = workload.packets(values: Int(Double(rate) * seconds))
        // collectlite: a fresh server per rate, counted from its own shutdown summary.
        let ours = try IngestBenchSupport.runCollectlite(binary: collectlite, packets: packets.datagrams, rate: rate)
        report("collectlite", rate, sent: packets.values, stored: ours.stored, cpu: ours.cpuSeconds, best: &best)
        if resources {
            print(String(format: "resources collectlite rate=%d peak_rss_kib=%d disk_bytes=%d stored=%d bytes_per_value=%.3f",
                         rate, ours.peakRSSKiB, ours.diskBytes, ours.stored, Double(ours.diskBytes) / Double(max(ours.stored, 1))))
        }
        if var server = influx {
            let result = try server.ingest(packets: packets.datagrams, rate: rate)
            report("influxdb", rate, sent: packets.values, stored: result.stored, cpu: result.cpuSeconds, best: &best)
            influxStored += result.stored
            influx = server
        }
    }
    if resources, let server = influx {
        let disk = server.compactedDiskBytes()
        print(String(format: "resources influxdb rates=all peak_rss_kib=%d disk_bytes=%d stored=%d bytes_per_value=%.3f",
                     IngestBenchSupport.peakRSSKiB(pid: server.process.processIdentifier), disk, influxStored,
                     Double(disk) / Double(max(influxStored, 1))))
    }
    for (server, rate) in best.sorted(by: { $0.key < $1.key }) {
        print("\(server): highest offered rate with <= 0.1 % loss: \(rate) values/s")
    }
}

private func report(_ server: String, _ rate: Int, sent: Int, stored: Int, cpu: Double, best: inout [String: Int]) {
    let loss = sent > 0 ? 100 * Double(sent - stored) / Double(sent) : 0
    if loss <= 0.1 { best[server] = max(best[server] ?? 0, rate) }
    let name = server.padding(toLength: 11, withPad: " ", startingAt: 0)
    print(name + String(format: "%12d %12d %8.2f %14.0f", rate, stored, loss, cpu > 0 ? Double(stored) / cpu : 0))
}

/// Value lists shaped like a collectd host (cpu, interface, load, memory, df, disk) each interval.
struct IngestWorkload {
    let hosts: Int
    private var round = 0
    private let start: Int64 = 1_600_000_000_000_000_000

    init(hosts: Int) { self.hosts = hosts }

    /// Starts later in time (a second feed of new samples for the same series).
    mutating func skip(rounds: Int) { round += rounds }

    /// Exactly `rounds` rounds of every host; with `valuesPerDatagram`, a datagram is cut once
    /// it holds that many values (smaller packets than collectd's 1452-byte default).
    mutating func packets(rounds: Int, valuesPerDatagram: Int = 0) -> (datagrams: [[UInt8]], values: Int) {
        var encoder = CollectdEncoder()
        var datagrams: [[UInt8]] = []
        var values = 0
        var inPacket = 0
        for _ in 0..<rounds {
            let time = start + Int64(round) * 1_000_000_000
            round += 1
            for host in 0..<hosts {
                for list in Self.lists(host: "host\(host).example.net", time: time, round: round) {
                    let completed = encoder.append(list)
                    if !completed.isEmpty { inPacket = 0 }
                    datagrams += completed
                    values += list.values.count
                    inPacket += list.values.count
                    if valuesPerDatagram > 0 && inPacket >= valuesPerDatagram {
                        datagrams += encoder.flush()
                        inPacket = 0
                    }
                }
            }
        }
        return (datagrams + encoder.flush(), values)
    }

    mutating func packets(values target: Int) -> (datagrams: [[UInt8]], values: Int) {
        var encoder = CollectdEncoder()
        var datagrams: [[UInt8]] = []
        var values = 0
        while values < target {
            // Every round is a new second, so no sample replaces another anywhere.
            let time = start + Int64(round) * 1_000_000_000
            round += 1
            for host in 0..<hosts {
                for list in Self.lists(host: "host\(host).example.net", time: time, round: round) {
                    datagrams += encoder.append(list)
                    values += list.values.count
                }
            }
        }
        return (datagrams + encoder.flush(), values)
    }

    static func lists(host: String, time: Int64, round: Int) -> [ValueList] {
        func vl(_ plugin: String, _ pi: String, _ type: String, _ ti: String, _ values: [CollectdValue]) -> ValueList {
            ValueList(host: host, plugin: plugin, pluginInstance: pi, type: type, typeInstance: ti, time: time, interval: 10_000_000_000, values: values)
        }
        let r = Int64(round)
        var out: [ValueList] = []
        for cpu in 0..<2 {
            for state in ["user", "system", "idle", "wait", "nice", "interrupt", "softirq", "steal"] {
                out.append(vl("cpu", "\(cpu)", "cpu", state, [.derive(r * 100 + Int64(state.count))]))
            }
        }
        for iface in ["eth0", "lo"] {
            for type in ["if_octets", "if_packets", "if_errors", "if_dropped"] {
                out.append(vl("interface", iface, type, "", [.derive(r * 1500), .derive(r * 900)]))
            }
        }
        out.append(vl("load", "", "load", "", [.gauge(0.5), .gauge(0.4), .gauge(0.3)]))
        for state in ["used", "buffered", "cached", "free", "slab_recl", "slab_unrecl"] {
            out.append(vl("memory", "", "memory", state, [.gauge(Double(r % 1000) * 1e6)]))
        }
        for fs in ["root", "boot"] {
            for state in ["used", "free", "reserved"] { out.append(vl("df", fs, "df_complex", state, [.gauge(1e9 + Double(r))])) }
        }
        out.append(vl("disk", "sda", "disk_octets", "", [.derive(r * 4096), .derive(r * 8192)]))
        out.append(vl("disk", "sda", "disk_ops", "", [.derive(r * 4), .derive(r * 8)]))
        return out
    }
}

/// Processes, ports, pacing and CPU accounting for the ingest benchmark.
enum IngestBenchSupport {
    static func collectliteBinary() throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let candidates = [here + "/collectlite", ".build/release/collectlite", ".build/debug/collectlite"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError("collectlite executable not found in \(candidates)")
        }
        return found
    }

    /// A port the kernel says is free right now (UDP or TCP).
    static func freePort(udp: Bool) -> Int {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = bind(fd, $0, length); _ = getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Sends `packets` to 127.0.0.1:`port` so that `rate` values per second are offered.
    static func send(_ packets: [[UInt8]], values: Int, rate: Int, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let packetsPerSecond = Double(rate) * Double(packets.count) / Double(max(values, 1))
        let start = now()
        for (i, packet) in packets.enumerated() {
            let due = start + Double(i) / packetsPerSecond
            let wait = due - now()
            if wait > 0.0005 { usleep(UInt32(wait * 1e6)) }
            _ = packet.withUnsafeBytes { raw in
                withUnsafePointer(to: &address) { p in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// User + system CPU seconds of a running process, from /proc.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14, stime 15 (1-based over the whole line).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of every child process reaped so far.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Waits (bounded) until the process has used no CPU for `quiet` seconds.
    static func waitIdle(pid: Int32, quiet: Double = 0.4, limit: Double = 60) {
        let deadline = now() + limit
        var last = cpuSeconds(pid: pid)
        var quietSince = now()
        while now() < deadline {
            usleep(100_000)
            let cpu = cpuSeconds(pid: pid)
            if cpu - last > 0.011 { quietSince = now() }
            last = cpu
            if now() - quietSince >= quiet { return }
        }
    }

    /// Peak resident set size (VmHWM) of a running process in KiB, from /proc.
    static func peakRSSKiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Apparent size in bytes of every file under `paths` (`du -sb`).
    static func diskBytes(_ paths: [String]) -> Int {
        shell("/usr/bin/du", ["-sbc"] + paths).split(separator: "\n").last.flatMap { Int($0.split(separator: "\t").first ?? "") } ?? 0
    }

    static func runCollectlite(binary: String, packets: [[UInt8]], rate: Int) throws -> (stored: Int, cpuSeconds: Double, peakRSSKiB: Int, diskBytes: Int) {
        let dir = NSTemporaryDirectory() + "collectlite-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = freePort(udp: true)
        let logPath = dir + "/server.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--data-dir", dir + "/data", "--collectd-bind", "127.0.0.1:\(port)",
                             "--http-bind", "127.0.0.1:\(freePort(udp: false))", "--collectd-read-buffer", "32MiB"]
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        let childrenBefore = childrenCPUSeconds()
        try process.run()
        let deadline = now() + 20
        while now() < deadline, !((try? String(contentsOfFile: logPath, encoding: .utf8))?.contains("listening on udp://") ?? false) {
            usleep(20_000)
        }
        let totalValues = IngestBenchSupport.values(in: packets)
        send(packets, values: totalValues, rate: rate, port: port)
        waitIdle(pid: process.processIdentifier)
        let peak = peakRSSKiB(pid: process.processIdentifier)
        process.terminate()
        process.waitUntilExit()
        let disk = diskBytes([dir + "/data"])
        // The whole life of the server, its final flush and close included.
        let cpu = childrenCPUSeconds() - childrenBefore
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard let line = log.split(separator: "\n").first(where: { $0.contains("collectd receiver stopped") }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix("values_stored=") }),
              let stored = Int(field.dropFirst("values_stored=".count))
        else { throw BenchError("no summary in collectlite log:\n\(log.suffix(2000))") }
        return (stored, cpu, peak, disk)
    }

    /// Values in encoder-made packets, counted by decoding them.
    static func values(in packets: [[UInt8]]) -> Int {
        let decoder = CollectdDecoder()
        return packets.reduce(0) { $0 + decoder.decode($1).valueCount }
    }

    @discardableResult
    static func shell(_ executable: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// InfluxDB 1.6.7 with `[[collectd]]` on ephemeral loopback ports, for the side-by-side figures.
struct InfluxServer {
    let process: Process
    let dir: String
    let httpPort: Int
    let udpPort: Int

    static func start() throws -> InfluxServer {
        let dir = NSTemporaryDirectory() + "collectlite-bench-influx-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let (http, udp, rpc) = (IngestBenchSupport.freePort(udp: false), IngestBenchSupport.freePort(udp: true), IngestBenchSupport.freePort(udp: false))
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpc)"
            [meta]
              dir = "\(dir)/meta"
            [data]
              dir = "\(dir)/data"
              wal-dir = "\(dir)/wal"
              query-log-enabled = false
              cache-snapshot-write-cold-duration = "2s"
              compact-full-write-cold-duration = "4s"
            [http]
              enabled = true
              bind-address = "127.0.0.1:\(http)"
              log-enabled = false
            [monitor]
              store-enabled = false
            [[collectd]]
              enabled = true
              bind-address = "127.0.0.1:\(udp)"
              database = "collectd"
              typesdb = "/usr/share/collectd/types.db"
              batch-size = 5000
              batch-pending = 10
              batch-timeout = "1s"
            """
        try config.write(toFile: dir + "/influxdb.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/influxd")
        process.arguments = ["run", "-config", dir + "/influxdb.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = InfluxServer(process: process, dir: dir, httpPort: http, udpPort: udp)
        let deadline = IngestBenchSupport.now() + 30
        while IngestBenchSupport.now() < deadline {
            if IngestBenchSupport.shell("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(http)/ping"]) == "204" {
                return server
            }
            usleep(200_000)
        }
        server.stop()
        throw BenchError("influxd did not answer /ping")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Bytes of data + WAL once the cache has been snapshotted and the shards fully compacted:
    /// waits (bounded, 120 s) until the WAL holds no segment data and the size is steady for 6 s.
    func compactedDiskBytes() -> Int {
        let paths = [dir + "/data", dir + "/wal"]
        let deadline = IngestBenchSupport.now() + 120
        var last = -1
        var steadySince = IngestBenchSupport.now()
        while IngestBenchSupport.now() < deadline {
            usleep(500_000)
            let size = IngestBenchSupport.diskBytes(paths)
            let wal = IngestBenchSupport.shell("/usr/bin/find", [dir + "/wal", "-name", "*.wal", "-size", "+0"])
            if size != last || !wal.isEmpty { steadySince = IngestBenchSupport.now() }
            last = size
            if IngestBenchSupport.now() - steadySince >= 6 { break }
        }
        return last
    }

    /// Total values stored in database `collectd`.
    func count() -> Int {
        let body = IngestBenchSupport.shell("/usr/bin/curl", [
            "-sG", "http://127.0.0.1:\(httpPort)/query", "--data-urlencode", "db=collectd",
            "--data-urlencode", "q=SELECT count(\"value\") FROM /.*/",
        ])
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let results = json["results"] as? [[String: Any]],
              let series = results.first?["series"] as? [[String: Any]] else { return 0 }
        return series.reduce(0) { total, s in
            total + (((s["values"] as? [[Any]])?.first?.dropFirst().first as? NSNumber)?.intValue ?? 0)
        }
    }

    mutating func ingest(packets: [[UInt8]], rate: Int) throws -> (stored: Int, cpuSeconds: Double) {
        let before = count()
        let cpuBefore = IngestBenchSupport.cpuSeconds(pid: process.processIdentifier)
        IngestBenchSupport.send(packets, values: IngestBenchSupport.values(in: packets), rate: rate, port: udpPort)
        // Its batches time out after 1 s; wait until it is idle and the count settles.
        var last = -1
        for _ in 0..<60 {
            IngestBenchSupport.waitIdle(pid: process.processIdentifier, quiet: 1.2)
            let now = count()
            if now == last { break }
            last = now
        }
        let cpu = IngestBenchSupport.cpuSeconds(pid: process.processIdentifier) - cpuBefore
        return (last - before, cpu)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
