// collectlite-bench chunks: chunk codec throughput (one core) and bytes per value.
//
//   collectlite-bench chunks [--hosts N] [--samples-per-chunk N] [--captures DIR]
//
// (a) real collectd datagrams (default: Tests/CollectdProtocolTests/Fixtures/plain), one
//     chunk per series and field, at ms and ns precision, plus the capture's timestamp jitter;
// (b) a synthetic day of N hosts (default 100) shaped like collectd: cpu 4×8 DERIVE,
//     interface 3 ifaces × 4 types × rx/tx DERIVE, load 3 GAUGE, memory 6 GAUGE, 10 s
//     interval, scheduler latency drawn like collectd's (24 µs median / 13 ms p99 between
//     successive intervals, capped at 10 ms), ms precision. Values are floats as InfluxDB
//     types them. Figures are printed, never asserted.
import ChunkEncoding

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func runChunkBench(arguments: [String]) throws {
    var hosts = 100
    var perChunk = 120
    var captures = chunkBenchDefaultCaptures()
    var i = 0
    while i < arguments.count {
        let value = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch arguments[i] {
        case "--hosts": hosts = Int(value) ?? hosts
        case "--samples-per-chunk": perChunk = Int(value) ?? perChunk
        case "--captures": captures = value
        default: print("unknown argument \(arguments[i])")
        }
        i += 2
    }
    print("chunk codec benchmark — one core, \(perChunk) samples per chunk")
    chunkBenchCaptures(directory: captures, perChunk: perChunk)
    chunkBenchSynthetic(hosts: hosts, perChunk: perChunk)
}

// MARK: - Measurement (thread CPU time, so figures are per core even on a busy machine)

private struct ChunkBenchTally {
    var values = 0
    var bytes = 0
    var chunks = 0
    var encodeTime = Duration.zero
    var retained: [[UInt8]] = []

    /// Encodes one series in chunks of `perChunk`, timing only the codec: streaming appends plus
    /// the choice of codec options at the end of the first and every 8th chunk (as the store's
    /// head seals; the options are carried into the next chunk).
    mutating func encode(times: [Int64], values: [Double], perChunk: Int, retain: Bool) {
        var start = 0
        var appender = ChunkAppender(kind: .float)
        var sealed = 0
        while start < times.count {
            let end = min(start + perChunk, times.count)
            let began = chunkBenchCPUTime()
            for j in start..<end { appender.append(time: times[j], float: values[j]) }
            // As the store's head seals: options chosen on the first chunk and every 8th, then
            // carried into the next chunk of the series.
            let chosen = sealed % 8 == 0 ? appender.optimized() : appender
            let chunk = chosen.finish()
            appender.reset(carrying: chosen.options)
            sealed += 1
            encodeTime += chunkBenchCPUTime() - began
            self.values += end - start
            bytes += chunk.count
            chunks += 1
            if retain { retained.append(chunk) }
            start = end
        }
    }

    func report(_ label: String) {
        let seconds = chunkBenchSeconds(encodeTime)
        print("  \(label): \(values) values in \(chunks) chunks, \(bytes) bytes → "
            + "\(chunkBenchFormat(Double(bytes) / Double(max(values, 1)), 3)) bytes/value; "
            + "encode \(chunkBenchFormat(Double(values) / seconds / 1e6, 1)) M values/s")
    }

    /// Decodes the retained chunks with the iterator and with the bulk decoder.
    func reportDecode() throws {
        guard !retained.isEmpty else { return }
        let count = retained.reduce(0) { $0 + (try! ChunkHeader.read($1)).count }
        var checksum: UInt64 = 0
        var best = Duration.seconds(1_000_000)
        for _ in 0..<3 {
            let began = chunkBenchCPUTime()
            for chunk in retained {
                var iterator = try ChunkIterator(chunk)
                while let sample = try iterator.next() {
                    if case .float(let v) = sample.value { checksum &+= v.bitPattern &+ UInt64(bitPattern: sample.time) }
                }
            }
            best = min(best, chunkBenchCPUTime() - began)
        }
        var bulkBest = Duration.seconds(1_000_000)
        for _ in 0..<3 {
            let began = chunkBenchCPUTime()
            for chunk in retained { checksum &+= UInt64(try ChunkCodec.decode(chunk).times.count) }
            bulkBest = min(bulkBest, chunkBenchCPUTime() - began)
        }
        print("  decode: iterator \(chunkBenchFormat(Double(count) / chunkBenchSeconds(best) / 1e6, 1)) M values/s, "
            + "ChunkCodec.decode \(chunkBenchFormat(Double(count) / chunkBenchSeconds(bulkBest) / 1e6, 1)) M values/s "
            + "(\(count) values, best of 3; checksum \(checksum % 1000))")
    }
}

/// CPU time of the calling thread: the machine is shared, so wall time would count waiting.
private func chunkBenchCPUTime() -> Duration {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
}

private func chunkBenchSeconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

private func chunkBenchFormat(_ v: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (v * scale).rounded() / scale
    return "\(rounded)"
}

// MARK: - (b) synthetic collectd day

/// SplitMix64 plus the distributions the generator needs.
private struct ChunkBenchRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / 9_007_199_254_740_992.0 }
    mutating func normal() -> Double {
        sqrt(-2 * log(max(uniform(), 1e-300))) * cos(2 * Double.pi * uniform())
    }
    /// Scheduler latency in ns: lognormal calibrated to collectd 5.12 here (successive
    /// intervals differ by 24 µs median, 13 ms p99), capped at 10 ms.
    mutating func latency() -> Int64 { Int64(min(exp(8.75 + 3.0 * normal()), 10_000_000)) }
}

private func chunkBenchSynthetic(hosts: Int, perChunk: Int) {
    print("(b) synthetic collectd day: \(hosts) hosts × 65 series × 8640 samples (10 s, ms precision)")
    let samples = 8640
    let dayStart: Int64 = 1_700_000_000_000_000_000
    var rng = ChunkBenchRandom(state: 2024)
    var tallies: [String: ChunkBenchTally] = [:]
    var times = [Int64](repeating: 0, count: samples)
    var values = [Double](repeating: 0, count: samples)
    for host in 0..<hosts {
        let offset = Int64(rng.next() % 10_000) * 1_000_000
        let busyBase = 0.05 + 0.4 * rng.uniform()
        func timesFor() {
            for j in 0..<samples {
                let ns = dayStart + offset + Int64(j) * 10_000_000_000 + rng.latency()
                times[j] = ns / 1_000_000 * 1_000_000
            }
        }
        func busy(_ j: Int) -> Double { busyBase * (1 + 0.8 * sin(Double(j) / Double(samples) * 2 * .pi)) }
        // cpu: jiffies (USER_HZ 100) per 10 s per cpu, split across 8 states.
        let shares = [0.7, 0.01, 0.22, 0, 0.05, 0.002, 0.02, 0.0]  // user nice system idle wait interrupt softirq steal
        for _ in 0..<4 {
            timesFor()
            for state in 0..<8 {
                var counter = Double(rng.next() % 100_000_000)
                for j in 0..<samples {
                    let b = min(busy(j), 0.95)
                    let rate = state == 3 ? 1000 * (1 - b) : 1000 * b * shares[state]
                    counter += max(0, (rate + rng.normal() * rate.squareRoot()).rounded())
                    values[j] = counter
                }
                tallies["cpu (DERIVE)", default: ChunkBenchTally()].encode(times: times, values: values, perChunk: perChunk, retain: host < 10)
            }
        }
        // interface: lo, eth0, eth1 × octets, packets, errors, dropped × rx, tx.
        for iface in 0..<3 {
            timesFor()
            for direction in 0..<2 {
                let octetRate = [20_000.0, 400_000.0, 30_000.0][iface] * (direction == 0 ? 1 : 0.6)
                for type in 0..<4 {
                    var counter = Double(rng.next() % 1_000_000_000)
                    for j in 0..<samples {
                        let b = busy(j) / busyBase
                        switch type {
                        case 0: counter += max(0, (octetRate * b * (1 + 0.3 * rng.normal())).rounded())
                        case 1: counter += max(0, (octetRate * b / 700 * (1 + 0.3 * rng.normal())).rounded())
                        case 2: counter += 0
                        default: counter += rng.uniform() < 0.001 ? 1 : 0
                        }
                        values[j] = counter
                    }
                    tallies["interface (DERIVE)", default: ChunkBenchTally()].encode(times: times, values: values, perChunk: perChunk, retain: host < 10)
                }
            }
        }
        // load: /proc/loadavg with two decimals, exponentially smoothed.
        timesFor()
        for (k, alpha) in [0.15, 0.033, 0.011].enumerated() {
            var level = busyBase * 4
            for j in 0..<samples {
                level += alpha * (busy(j) * 4 * (1 + 0.5 * rng.normal()) - level)
                values[j] = (max(level, 0) * 100).rounded() / 100
            }
            _ = k
            tallies["load (GAUGE)", default: ChunkBenchTally()].encode(times: times, values: values, perChunk: perChunk, retain: host < 10)
        }
        // memory: bytes from /proc/meminfo (kB × 1024), random walks.
        timesFor()
        for (k, base) in [4e9, 2e8, 6e9, 3e9, 3e8, 1e8].enumerated() {
            var kb = (base / 1024).rounded()
            for j in 0..<samples {
                kb = max(0, kb + (rng.normal() * base / 1024 * (k == 0 || k == 3 ? 0.002 : 0.0002)).rounded())
                values[j] = kb * 1024
            }
            tallies["memory (GAUGE)", default: ChunkBenchTally()].encode(times: times, values: values, perChunk: perChunk, retain: host < 10)
        }
    }
    var total = ChunkBenchTally()
    for (label, tally) in tallies.sorted(by: { $0.key < $1.key }) {
        tally.report(label)
        total.values += tally.values
        total.bytes += tally.bytes
        total.chunks += tally.chunks
        total.encodeTime += tally.encodeTime
        total.retained += tally.retained
    }
    total.report("all")
    try? total.reportDecode()
}

// MARK: - (a) real collectd captures

private func chunkBenchDefaultCaptures() -> String {
    var path = "\(#filePath)"
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/Tests/CollectdProtocolTests/Fixtures/plain"
}

private func chunkBenchReadFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// Just enough of the collectd binary protocol to pull (series, time_hr, value) out of
/// unsigned datagrams: string parts, time_hr and values.
private func chunkBenchParse(_ d: [UInt8], into series: inout [String: [(Int64, Double)]]) {
    var strings = ["", "", "", "", "", ""]
    var timeNs: Int64 = 0
    var at = 0
    func be(_ o: Int, _ n: Int) -> UInt64 { (0..<n).reduce(0) { $0 << 8 | UInt64(d[o + $1]) } }
    while at + 4 <= d.count {
        let type = Int(be(at, 2)), length = Int(be(at + 2, 2))
        guard length >= 4, at + length <= d.count else { return }
        let body = at + 4
        switch type {
        case 0, 2, 3, 4, 5:
            strings[type] = String(decoding: d[body..<(at + length - 1)], as: UTF8.self)
        case 8:
            let v = be(body, 8)
            timeNs = Int64((v >> 30) * 1_000_000_000 + (((v & 0x3FFF_FFFF) * 1_000_000_000 + (1 << 29)) >> 30))
        case 6:
            let n = Int(be(body, 2))
            guard length == 6 + 9 * n else { return }
            for k in 0..<n {
                let kind = d[body + 2 + k], o = body + 2 + n + 8 * k
                let value: Double
                switch kind {
                case 1: value = Double(bitPattern: (0..<8).reduce(0) { $0 | UInt64(d[o + $1]) << (8 * $1) })
                case 2: value = Double(Int64(bitPattern: be(o, 8)))
                default: value = Double(be(o, 8))
                }
                let key = "\(strings[0])/\(strings[2])-\(strings[3])/\(strings[4])-\(strings[5])#\(k)"
                series[key, default: []].append((timeNs, value))
            }
        default: break
        }
        at += length
    }
}

private func chunkBenchCaptures(directory: String, perChunk: Int) {
    var series: [String: [(Int64, Double)]] = [:]
    var datagrams = 0
    for n in 1...99_999 {
        var name = "\(n)"
        while name.count < 4 { name = "0" + name }
        guard let bytes = chunkBenchReadFile("\(directory)/\(name).bin") else { break }
        chunkBenchParse(bytes, into: &series)
        datagrams += 1
    }
    guard datagrams > 0 else {
        print("(a) real captures: none found in \(directory)")
        return
    }
    print("(a) real collectd captures: \(datagrams) datagrams, \(series.count) series from \(directory)")
    var deviations: [Int64] = []
    for (precision, divisor) in [("ms", Int64(1_000_000)), ("ns", Int64(1))] {
        var tally = ChunkBenchTally()
        for samples in series.values {
            let sorted = samples.sorted { $0.0 < $1.0 }
            let times = sorted.map { $0.0 / divisor * divisor }
            tally.encode(times: times, values: sorted.map(\.1), perChunk: perChunk, retain: false)
            if divisor == 1, times.count > 2 {
                let interval = (times.last! - times.first!) / Int64(times.count - 1)
                for j in 1..<times.count { deviations.append(abs(times[j] - times[j - 1] - interval)) }
            }
        }
        tally.report("\(precision) precision")
    }
    deviations.sort()
    if !deviations.isEmpty {
        print("  interval jitter |Δt − mean interval|: median \(deviations[deviations.count / 2] / 1000) µs, "
            + "p99 \(deviations[deviations.count * 99 / 100] / 1000) µs")
    }
}
