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
    var out = "", hosts = 100, rounds = 0, values = 0, startRound = 0, perDatagram = 0
    var index = 0
    while index < arguments.count {
        let next = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch arguments[index] {
        case "--out": out = next
        case "--hosts": hosts = Int(next) ?? hosts
        case "--rounds": rounds = Int(next) ?? rounds
        case "--values": values = Int(next) ?? values
        case "--start-round": startRound = Int(next) ?? startRound
        case "--values-per-datagram": perDatagram = Int(next) ?? perDatagram
        default: index -= 1
        }
        index += 2
    }
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
    var file = "", port = 0, rate = 0
    var index = 0
    while index < arguments.count {
        let next = index + 1 < arguments.count ? arguments[index + 1] : ""
        switch arguments[index] {
        case "--file": file = next
        case "--port": port = Int(next) ?? port
        case "--rate": rate = Int(next) ?? rate
        default: index -= 1
        }
        index += 2
    }
    let packets = try readPacketFile(file)
    let values = IngestBenchSupport.values(in: packets)
    let start = IngestBenchSupport.now()
    IngestBenchSupport.send(packets, values: values, rate: rate > 0 ? rate : Int.max / 4, port: port)
    let seconds = IngestBenchSupport.now() - start
    print(String(format: "sent=%d values=%d seconds=%.3f offered=%.0f", packets.count, values, seconds, Double(values) / max(seconds, 1e-9)))
}
