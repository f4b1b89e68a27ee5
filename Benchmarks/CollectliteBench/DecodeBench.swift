import CollectdProtocol
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decode throughput of CollectdDecoder on a realistic packet mix, single thread.
///
/// The mix is what 100 hosts send per interval with the cpu (4 CPUs × 8 states),
/// interface (3 interfaces × octets/packets/errors/dropped), load and memory plugins,
/// written by CollectdEncoder the way collectd's network plugin writes it.
///
/// Arguments: `[--seconds S]` (default 3) `[--level none|sign|encrypt]` (default none).
func runDecodeBench(arguments: [String]) throws {
    var seconds = 3.0
    var level = SecurityLevel.none
    var rest = arguments[...]
    while let argument = rest.popFirst() {
        switch argument {
        case "--seconds": seconds = rest.popFirst().flatMap(Double.init) ?? seconds
        case "--level": level = rest.popFirst().flatMap(SecurityLevel.init(rawValue:)) ?? level
        default: print("decode bench: ignoring argument \(argument)")
        }
    }
    let packets = DecodeBenchMix.packets(hosts: 100, level: level)
    let decoder = CollectdDecoder(securityLevel: level, authFile: try DecodeBenchMix.authFile(level: level))
    let bytes = packets.reduce(0) { $0 + $1.readableBytes }
    var valuesPerRound = 0
    var listsPerRound = 0
    for packet in packets {
        let decoded = decoder.decode(packet)
        precondition(decoded.error == nil, "bench packet does not decode: \(decoded.error!)")
        valuesPerRound += decoded.valueCount
        listsPerRound += decoded.valueLists.count
    }
    print("decode bench: \(packets.count) packets, \(bytes) bytes, \(listsPerRound) value lists, "
        + "\(valuesPerRound) values per round; security \(level.rawValue)")

    let clock = ContinuousClock()
    let budget = Duration.milliseconds(Int64(seconds * 1000))
    var rounds = 0
    var checksum = 0
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    var elapsed = Duration.zero
    while elapsed < budget {
        for packet in packets {
            checksum &+= decoder.decode(packet).valueLists.count
        }
        rounds += 1
        elapsed = clock.now - start
    }
    let cpuSeconds = threadCPUSeconds() - cpuStart
    let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let values = Double(valuesPerRound * rounds)
    print("decode bench: \(rounds) rounds in \(String(format2: wallSeconds)) s wall, "
        + "\(String(format2: cpuSeconds)) s CPU of this thread (figures below are per CPU second; "
        + "wall-clock: \(String(format2: values / wallSeconds / 1e6)) M values/s)")
    let secondsTaken = cpuSeconds
    print("decode bench: \(String(format2: values / secondsTaken / 1e6)) M values/s, "
        + "\(String(format2: Double(listsPerRound * rounds) / secondsTaken / 1e6)) M value lists/s, "
        + "\(String(format2: Double(bytes * rounds) / secondsTaken / 1e6)) MB/s (checksum \(checksum))")
}

/// CPU time consumed by the calling thread, so figures stay meaningful on a busy machine.
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The packet mix of the decode benchmark.
enum DecodeBenchMix {
    static let user = "bench"
    static let password = "bench-password"

    static func lists(host: String, time: Int64) -> [ValueList] {
        var lists: [ValueList] = []
        func add(_ plugin: String, _ pluginInstance: String, _ type: String, _ typeInstance: String, _ values: [CollectdValue]) {
            lists.append(ValueList(host: host, plugin: plugin, pluginInstance: pluginInstance, type: type,
                typeInstance: typeInstance, time: time, interval: 10_000_000_000, values: values))
        }
        for cpu in 0..<4 {
            for (i, state) in ["user", "nice", "system", "idle", "wait", "interrupt", "softirq", "steal"].enumerated() {
                add("cpu", String(cpu), "cpu", state, [.derive(Int64(1_000_000 * cpu + 7919 * i))])
            }
        }
        for interface in ["eth0", "eth1", "lo"] {
            for type in ["if_octets", "if_packets", "if_errors", "if_dropped"] {
                add("interface", interface, type, "", [.derive(123_456_789), .derive(987_654_321)])
            }
        }
        add("load", "", "load", "", [.gauge(0.42), .gauge(0.37), .gauge(0.30)])
        for state in ["used", "buffered", "cached", "free", "slab_recl", "slab_unrecl"] {
            add("memory", "", "memory", state, [.gauge(1_073_741_824.5)])
        }
        return lists
    }

    static func packets(hosts: Int, level: SecurityLevel) -> [ByteBuffer] {
        var packets: [ByteBuffer] = []
        for h in 0..<hosts {
            var encoder = CollectdEncoder(username: user, password: password, securityLevel: level)
            let host = "host\(h).dc1.example.com"
            for list in lists(host: host, time: 1_700_000_000_000_000_000 + Int64(h) * 1_000_000) {
                packets += encoder.append(list).map { ByteBuffer(bytes: $0) }
            }
            packets += encoder.flush().map { ByteBuffer(bytes: $0) }
        }
        return packets
    }

    static func authFile(level: SecurityLevel) throws -> AuthFile? {
        guard level != .none else { return nil }
        let path = "/tmp/collectlite-decode-bench-auth"
        guard let file = fopen(path, "w") else { return nil }
        fputs("\(user): \(password)\n", file)
        fclose(file)
        return try AuthFile(path: path)
    }
}

fileprivate extension String {
    /// Two decimals, without Foundation.
    init(format2 value: Double) {
        let scaled = (value * 100).rounded()
        let whole = Int(scaled / 100)
        let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: 100))
        self = "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
