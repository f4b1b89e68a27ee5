// collectlite-bench lineprotocol: LineParser throughput on one core.
//
//   collectlite-bench lineprotocol [--seconds S] [--hosts N]
//
// The body is what Telegraf's cpu, mem, disk and net inputs send for N hosts (default 100)
// in one flush: tags host/cpu/device/interface, 5–10 fields per line, float, integer and
// string values, nanosecond timestamps. Parsing uses LineParser exactly as POST /write does.
// Figures (lines/s, fields/s, MB/s, CPU time per line) are printed, never asserted.
import LineProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func runLineProtocolBench(arguments: [String]) throws {
    var seconds = 3.0
    var hosts = 100
    var i = 0
    while i < arguments.count {
        let value = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch arguments[i] {
        case "--seconds": seconds = Double(value) ?? seconds
        case "--hosts": hosts = Int(value) ?? hosts
        default: print("unknown argument \(arguments[i])")
        }
        i += 2
    }
    let body = lineProtocolBenchBody(hosts: hosts)
    let lines = body.split(separator: UInt8(ascii: "\n")).count
    let parser = LineParser(precision: .ns, defaultTime: 0)
    let warm = parser.parse(body)
    precondition(warm.failures.isEmpty, "benchmark body must parse: \(warm.failures.prefix(3))")
    let fields = warm.points.reduce(0) { $0 + $1.fields.count }
    print("line protocol parser — one core, \(hosts) hosts, \(lines) lines, \(fields) fields, \(body.count) bytes per body")
    var rounds = 0
    let start = lineProtocolBenchCPUTime()
    var elapsed = 0.0
    while elapsed < seconds {
        let batch = parser.parse(body)
        precondition(batch.points.count == lines)
        rounds += 1
        elapsed = lineProtocolBenchCPUTime() - start
    }
    let totalLines = Double(rounds * lines)
    print("  \(rounds) bodies in \(String(format3: elapsed)) s CPU")
    print("  \(String(format3: totalLines / elapsed / 1e6)) M lines/s, \(String(format3: Double(rounds * fields) / elapsed / 1e6)) M fields/s, \(String(format3: Double(rounds * body.count) / elapsed / 1e6)) MB/s, \(String(format3: elapsed / totalLines * 1e9)) ns/line")
}

private func lineProtocolBenchBody(hosts: Int) -> [UInt8] {
    var text = ""
    let t0: Int64 = 1_700_000_000_000_000_000
    for h in 0..<hosts {
        let host = "web-\(h).example.lan"
        for cpu in 0..<4 {
            text += "cpu,cpu=cpu\(cpu),host=\(host) usage_user=\(Double(h % 17) + 0.25),usage_system=1.5,usage_idle=\(90.125 - Double(cpu)),usage_iowait=0.01,usage_steal=0 \(t0 + Int64(h))\n"
        }
        text += "mem,host=\(host) total=16777216000i,available=8388608000i,used_percent=50.0,free=4194304000i,cached=2097152000i \(t0)\n"
        for device in ["sda1", "nvme0n1p2"] {
            text += "disk,device=\(device),fstype=ext4,host=\(host),mode=rw,path=/data\\ \(device) free=1000000i,used=2000000i,used_percent=66.6,inodes_free=12345i \(t0)\n"
        }
        for iface in ["eth0", "eth1"] {
            text += "net,host=\(host),interface=\(iface) bytes_recv=\(h * 1_000_003)i,bytes_sent=\(h * 999)i,packets_recv=123i,packets_sent=456i,err_in=0i,err_out=0i,drop_in=0i,drop_out=0i \(t0)\n"
        }
        text += "system,host=\(host) load1=0.5,load5=0.25,n_cpus=4i,uptime_format=\"12 days, 3:04\" \(t0)\n"
    }
    return Array(text.utf8)
}

private func lineProtocolBenchCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private extension String {
    init(format3 value: Double) {
        let scaled = (value * 1000).rounded() / 1000
        self = "\(scaled)"
    }
}
