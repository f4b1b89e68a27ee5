import CollectdProtocol
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Packet files for the load phase of `Benchmarks/compare-influxdb`: the same encoder-made
/// datagrams are written once and offered by any sender (this one, paced, or a Python loop), so
/// every server and every sender sees identical bytes.
///
/// File format: per datagram, a 2-byte big-endian length, then the datagram.
///
///     collectlite-bench packets --out F [--hosts N] [--rounds R [--values-per-datagram N] | --values V] [--start-round K]
///     collectlite-bench send --file F --port P [--rate VALUES_PER_S] [--host 127.0.0.1]
///
/// `packets` prints `datagrams=… values=… series=…`; `send` prints `sent=… seconds=… offered=…`.
func runPacketsBench(arguments: [String]) throws {
    let o = options(arguments)
    let out = o["out"] ?? ""
    let hosts = o["hosts"].flatMap { Int($0) } ?? 100
    let rounds = o["rounds"].flatMap { Int($0) } ?? 0
    let values = o["values"].flatMap { Int($0) } ?? 0
    let startRound = o["start-round"].flatMap { Int($0) } ?? 0
    let perDatagram = o["values-per-datagram"].flatMap { Int($0) } ?? 0
    guard !out.isEmpty else { throw BenchError("packets: --out FILE is required") }
    var workload = IngestWorkload(hosts: hosts)
    workload.skip(rounds: startRound)
    let made = rounds > 0 ? workload.packets(rounds: rounds, valuesPerDatagram: perDatagram) : workload.packets(values: max(values, 1))
    var bytes: [UInt8] = []
    for datagram in made.datagrams {
        bytes.append(UInt8(datagram.count >> 8))
        bytes.append(UInt8(datagram.count & 0xFF))
        bytes += datagram
    }
    try Data(bytes).write(to: URL(fileURLWithPath: out))
    let perHost = IngestWorkload.lists(host: "h", time: 0, round: 0).reduce(0) { $0 + $1.values.count }
    print("datagrams=\(made.datagrams.count) values=\(made.values) series=\(hosts * perHost) bytes=\(bytes.count)")
}

/// `--name value` pairs (the arguments of `packets` and `send`).
private func options(_ arguments: [String]) -> [String: String] {
    var out: [String: String] = [:]
    var index = 0
    while index + 1 < arguments.count {
        if arguments[index].hasPrefix("--") { out[String(arguments[index].dropFirst(2))] = arguments[index + 1] }
        index += 2
    }
    return out
}

func readPacketFile(_ path: String) throws -> [[UInt8]] {
    let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var packets: [[UInt8]] = []
    var at = 0
    while at + 2 <= data.count {
        let length = Int(data[at]) << 8 | Int(data[at + 1])
        at += 2
        guard at + length <= data.count else { break }
        packets.append(Array(data[at..<at + length]))
        at += length
    }
    return packets
}

func runSendBench(arguments: [String]) throws {
    let o = options(arguments)
    let file = o["file"] ?? ""
    let port = o["port"].flatMap { Int($0) } ?? 0
    let rate = o["rate"].flatMap { Int($0) } ?? 0
    let packets = try readPacketFile(file)
    let values = IngestBenchSupport.values(in: packets)
    let start = IngestBenchSupport.now()
    IngestBenchSupport.send(packets, values: values, rate: rate > 0 ? rate : Int.max / 4, port: port)
    let seconds = IngestBenchSupport.now() - start
    print(String(format: "sent=%d values=%d seconds=%.3f offered=%.0f", packets.count, values, seconds, Double(values) / max(seconds, 1e-9)))
}
