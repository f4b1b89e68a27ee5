// collectlite-bench: prints throughput and size figures; never asserts them.
//
//   swift run -c release collectlite-bench <area> [arguments…]
//
// Areas: decode (collectd packet decoding), chunks (chunk codec), influxql (parser), lineprotocol, store (SQLite store
// ingest, bytes per value, scan), query (Grafana-like query latency), ingest (UDP replay
// against a running server and InfluxDB 1.6.7).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let areas: [(name: String, summary: String, run: ([String]) throws -> Void)] = [
    ("decode", "collectd packet decode throughput (values/s, one thread)", { try runDecodeBench(arguments: $0) }),
    ("chunks", "chunk codec encode/decode throughput and bytes per value", { try runChunkBench(arguments: $0) }),
    ("store", "store ingest, bytes on disk per value, scan rate, head memory", { try runStoreBench(arguments: $0) }),
    ("influxql", "InfluxQL parse throughput", { try runInfluxQLBench(arguments: $0) }),
    ("lineprotocol", "line-protocol parse throughput (lines/s, fields/s)", { try runLineProtocolBench(arguments: $0) }),
    ("query", "Grafana host/fleet panel latency p50/p99", { try runQueryBench(arguments: $0) }),
    ("ingest", "UDP ingest vs InfluxDB 1.6.7: values per CPU-second, loss by rate", { try runIngestBench(arguments: $0) }),
    ("packets", "write encoder-made collectd datagrams to a packet file", { try runPacketsBench(arguments: $0) }),
    ("send", "offer a packet file over UDP at a paced rate", { try runSendBench(arguments: $0) }),
]

let argv = Array(CommandLine.arguments.dropFirst())
guard let areaName = argv.first, let area = areas.first(where: { $0.name == areaName }) else {
    print("usage: collectlite-bench <area> [arguments…]\n\nareas:")
    for area in areas { print("  \(area.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(area.summary)") }
    exit(argv.isEmpty ? 0 : 2)
}
do {
    try area.run(Array(argv.dropFirst()))
} catch {
    print("error: \(error)")
    exit(1)
}
