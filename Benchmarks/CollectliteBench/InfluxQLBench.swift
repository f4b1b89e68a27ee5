import InfluxQL

/// `collectlite-bench influxql [--seconds S]` (default 2)
///
/// Parse throughput of InfluxQLParser, single thread, on what Grafana sends for a collectd
/// host dashboard (builder queries with regex tag filters and `$timeFilter` expanded, raw
/// queries, template-variable SHOW queries), plus parse + render of the same set.
func runInfluxQLBench(arguments: [String]) throws {
    var seconds = 2.0
    var rest = arguments[...]
    while let argument = rest.popFirst() {
        switch argument {
        case "--seconds": seconds = rest.popFirst().flatMap(Double.init) ?? seconds
        default: print("influxql bench: ignoring argument \(argument)")
        }
    }
    let queries = InfluxQLBenchQueries.grafana
    let bytes = queries.reduce(0) { $0 + $1.utf8.count }
    for q in queries { _ = try InfluxQLParser.parse(q) }
    print("influxql bench: \(queries.count) queries, \(bytes) bytes per round")
    for render in [false, true] {
        let clock = ContinuousClock()
        let start = clock.now
        var rounds = 0
        var elapsed = Duration.zero
        while elapsed < .seconds(seconds) {
            for q in queries {
                let statements = try InfluxQLParser.parse(q)
                if render { _ = InfluxQLParser.render(statements) }
            }
            rounds += 1
            elapsed = clock.now - start
        }
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perSecond = Double(rounds * queries.count) / secs
        let mbPerSecond = Double(rounds * bytes) / secs / 1e6
        print("  \(render ? "parse+render" : "parse       "): \(Int(perSecond)) queries/s, "
            + "\(String(Int(mbPerSecond * 10) / 10)).\(Int(mbPerSecond * 10) % 10) MB/s, "
            + "\(Int(secs * 1e9 / Double(rounds * queries.count))) ns/query")
    }
}

enum InfluxQLBenchQueries {
    static let timeFilter = "time >= 1700000000000ms and time <= 1700003600000ms"
    static let grafana: [String] = [
        "SELECT mean(\"value\") FROM \"autogen\".\"cpu_value\" WHERE (\"host\" =~ /^(srv1\\.lan|srv2\\.lan)$/ AND \"type_instance\" = 'user') AND \(timeFilter) GROUP BY time(10s), \"instance\" fill(null)",
        "SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"interface_rx\" WHERE (\"host\" =~ /^srv1\\.lan$/ AND \"type\" = 'if_octets') AND \(timeFilter) GROUP BY time(10s), \"instance\" fill(null)",
        "SELECT mean(\"value\") FROM \"load_shortterm\" WHERE \"host\" =~ /^srv1\\.lan$/ AND \(timeFilter) GROUP BY time(1m) fill(none) ORDER BY time DESC LIMIT 100",
        "SELECT mean(value) FROM memory_value WHERE host =~ /^$host$/ AND \(timeFilter) GROUP BY time(1m), type_instance fill(null) tz('Europe/Paris')",
        "SELECT last(\"value\") / 1024 / 1024 AS \"MiB\" FROM \"df_value\" WHERE (\"host\" =~ /(?i)^srv1$/ AND \"type_instance\" = 'used') AND \(timeFilter) GROUP BY \"instance\"",
        "SHOW TAG VALUES FROM \"cpu_value\" WITH KEY = \"host\"",
        "SHOW TAG VALUES WITH KEY=host",
        "SHOW RETENTION POLICIES on \"collectd\"",
        "SHOW measurements",
    ]
}
