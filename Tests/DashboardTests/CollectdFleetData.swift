import Foundation
import TimeSeries
import TestSupport

/// Deterministic collectd-shaped samples for several hosts, named as InfluxDB 1.x's collectd
/// service names them in split mode (`<plugin>_<dsname>`, tags host/instance/type/type_instance,
/// float field `value`), plus notifications in `collectd_notification`.
///
/// Counters (DERIVE types) grow at plausible rates; gauges wander. The last host stops
/// reporting after two thirds of the period, so "last report" panels have something to show.
struct CollectdFleetData: Sendable {
    struct Host: Sendable {
        var name: String
        var cpus: Int
        var interfaces: [String]
        var disks: [String]
        var mounts: [String]
    }

    static let defaultHosts: [Host] = [
        Host(name: "web-1.example.org", cpus: 4, interfaces: ["lo", "eth0", "eth1"], disks: ["sda", "sdb"], mounts: ["root", "boot"]),
        Host(name: "web-2.example.org", cpus: 4, interfaces: ["lo", "eth0"], disks: ["sda"], mounts: ["root"]),
        Host(name: "db.example.org", cpus: 2, interfaces: ["lo", "eth0"], disks: ["vda", "vdb"], mounts: ["root", "var-lib"]),
        Host(name: "cache.example.org", cpus: 2, interfaces: ["lo", "ens3"], disks: ["vda"], mounts: ["root"]),
    ]

    var hosts: [Host]
    /// First sample time, milliseconds since the epoch.
    var startMs: Int64
    var intervalMs: Int64
    var samples: Int

    init(hosts: [Host] = Self.defaultHosts, startMs: Int64, intervalMs: Int64 = 10_000, samples: Int = 360) {
        self.hosts = hosts
        self.startMs = startMs
        self.intervalMs = intervalMs
        self.samples = samples
    }

    var endMs: Int64 { startMs + intervalMs * Int64(samples - 1) }
    /// The host that goes silent, and the time of its last sample.
    var silentHost: String { hosts[hosts.count - 1].name }
    var silentAfterMs: Int64 { startMs + intervalMs * Int64(samples * 2 / 3) }

    /// Every point, in time order per host (times in nanoseconds, whole milliseconds).
    func points() -> [Point] {
        var out: [Point] = []
        out.reserveCapacity(hosts.count * samples * 140)
        for (h, host) in hosts.enumerated() {
            var rng = SeededGenerator(seed: UInt64(h + 1) &* 0x9E37_79B9)
            var counters = [String: Double]()
            let count = h == hosts.count - 1 ? samples * 2 / 3 + 1 : samples
            for i in 0..<count {
                let jitter = Int64(rng.next() % 40)
                let t = (startMs + Int64(i) * intervalMs + jitter) * 1_000_000
                let seconds = Double(intervalMs) / 1000
                var emit = Emitter(host: host.name, time: t)
                func counter(_ key: String, rate: Double) -> Double {
                    let v = (counters[key] ?? Double(rng.next() % 1_000_000)) + max(0, rate) * seconds
                    counters[key] = v.rounded(.down)
                    return v.rounded(.down)
                }
                let phase = Double(i) / 30 + Double(h)
                let busy = 20 + 15 * sin(phase) + Double(rng.next() % 10)
                for cpu in 0..<host.cpus {
                    // 100 jiffies per second per CPU, split between states.
                    let shares: [(String, Double)] = [
                        ("user", busy * 0.6), ("system", busy * 0.25), ("wait", busy * 0.05), ("nice", busy * 0.02),
                        ("interrupt", busy * 0.01), ("softirq", busy * 0.04), ("steal", busy * 0.03), ("idle", 100 - busy),
                    ]
                    for (state, rate) in shares {
                        emit.add("cpu_value", instance: String(cpu), type: "cpu", typeInstance: state,
                                 counter("cpu\(cpu)\(state)", rate: rate + Double(cpu)))
                    }
                }
                for iface in host.interfaces {
                    let base = iface == "lo" ? 2_000.0 : 150_000 * (1.2 + sin(phase + 1))
                    for (dir, factor) in [("rx", 1.0), ("tx", 0.4)] {
                        let bytes = base * factor
                        emit.add("interface_\(dir)", instance: iface, type: "if_octets", counter("\(iface)o\(dir)", rate: bytes))
                        emit.add("interface_\(dir)", instance: iface, type: "if_packets", counter("\(iface)p\(dir)", rate: bytes / 900))
                        emit.add("interface_\(dir)", instance: iface, type: "if_errors", counter("\(iface)e\(dir)", rate: Double(rng.next() % 3) / 10))
                        emit.add("interface_\(dir)", instance: iface, type: "if_dropped", counter("\(iface)d\(dir)", rate: Double(rng.next() % 5) / 10))
                    }
                }
                let load = Double(host.cpus) * busy / 100
                emit.add("load_shortterm", type: "load", load + Double(rng.next() % 20) / 100)
                emit.add("load_midterm", type: "load", load)
                emit.add("load_longterm", type: "load", load * 0.9)
                let total = Double(host.cpus) * 2_147_483_648
                let used = total * (0.35 + 0.1 * sin(phase / 3))
                for (state, share) in [("used", used / total), ("buffered", 0.03), ("cached", 0.3), ("slab_recl", 0.04), ("slab_unrecl", 0.02)] {
                    emit.add("memory_value", type: "memory", typeInstance: state, (total * share).rounded())
                }
                emit.add("memory_value", type: "memory", typeInstance: "free", (total * (1 - 0.39) - used).rounded())
                for (m, mount) in host.mounts.enumerated() {
                    let size = Double(m == 0 ? 40 : 200) * 1_073_741_824
                    let usedBytes = (size * (0.4 + 0.001 * Double(i))).rounded()
                    emit.add("df_value", instance: mount, type: "df_complex", typeInstance: "used", usedBytes)
                    emit.add("df_value", instance: mount, type: "df_complex", typeInstance: "reserved", (size * 0.05).rounded())
                    emit.add("df_value", instance: mount, type: "df_complex", typeInstance: "free", size * 0.95 - usedBytes)
                }
                for disk in host.disks {
                    for (kind, rate) in [("disk_octets", 2_000_000.0), ("disk_ops", 150.0), ("disk_time", 300.0), ("disk_merged", 20.0)] {
                        let r = rate * (1.1 + sin(phase * 2))
                        emit.add("disk_read", instance: disk, type: kind, counter("\(disk)\(kind)r", rate: r))
                        emit.add("disk_write", instance: disk, type: kind, counter("\(disk)\(kind)w", rate: r / 2))
                    }
                    emit.add("disk_io_time", instance: disk, type: "disk_io_time", counter("\(disk)io", rate: 80 + 60 * sin(phase)))
                    emit.add("disk_weighted_io_time", instance: disk, type: "disk_io_time", counter("\(disk)wio", rate: 120 + 60 * sin(phase)))
                }
                let swapTotal = 2_147_483_648.0
                emit.add("swap_value", type: "swap", typeInstance: "used", (swapTotal * 0.1).rounded())
                emit.add("swap_value", type: "swap", typeInstance: "cached", (swapTotal * 0.01).rounded())
                emit.add("swap_value", type: "swap", typeInstance: "free", (swapTotal * 0.89).rounded())
                emit.add("swap_value", type: "swap_io", typeInstance: "in", counter("swapin", rate: Double(rng.next() % 8)))
                emit.add("swap_value", type: "swap_io", typeInstance: "out", counter("swapout", rate: Double(rng.next() % 4)))
                for (state, n) in [("running", 1 + rng.next() % 4), ("sleeping", 180 + rng.next() % 30), ("zombies", 0),
                                   ("stopped", 0), ("paging", 0), ("blocked", rng.next() % 2)] {
                    emit.add("processes_value", type: "ps_state", typeInstance: state, Double(n))
                }
                emit.add("processes_value", type: "fork_rate", counter("forks", rate: 3 + Double(rng.next() % 5)))
                emit.add("uptime_value", type: "uptime", Double(86_400 * (h + 1)) + Double(i) * seconds)
                emit.add("users_value", type: "users", Double(rng.next() % 3))
                if i % 90 == 45 {
                    emit.notification(plugin: "df", instance: host.mounts[0], type: "df_complex", typeInstance: "used",
                                      severity: "warning",
                                      message: "Host \(host.name), plugin df (instance \(host.mounts[0])) type df_complex (instance used): Data source \"value\" is currently 41.0. That is above the warning threshold of 40.0.")
                }
                if i % 120 == 100 {
                    emit.notification(plugin: "interface", instance: host.interfaces.last!, type: "if_errors", typeInstance: "",
                                      severity: "failure",
                                      message: "Host \(host.name), plugin interface (instance \(host.interfaces.last!)) type if_errors: Data source \"rx\" is currently 5.0. That is above the failure threshold of 1.0.")
                }
                out.append(contentsOf: emit.points)
            }
        }
        return out
    }

    /// Collects the points of one host at one time.
    struct Emitter {
        var host: String
        var time: Int64
        var points: [Point] = []

        mutating func add(_ measurement: String, instance: String = "", type: String, typeInstance: String = "", _ value: Double) {
            let tags = [Tag("host", host), Tag("instance", instance), Tag("type", type), Tag("type_instance", typeInstance)]
            points.append(Point(measurement: measurement, tags: tags, fields: [Field("value", .float(value))], time: time))
        }

        mutating func notification(plugin: String, instance: String, type: String, typeInstance: String, severity: String, message: String) {
            let tags = [Tag("host", host), Tag("plugin", plugin), Tag("instance", instance), Tag("type", type),
                        Tag("type_instance", typeInstance), Tag("severity", severity)]
            points.append(Point(measurement: "collectd_notification", tags: tags, fields: [Field("message", .string(message))], time: time))
        }
    }
}

