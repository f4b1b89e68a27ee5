import CoreMetrics
import Prometheus
import Synchronization
import TimeSeries

/// The HTTP shell's own figures, kept through swift-metrics in a Prometheus registry
/// (no global bootstrap, so several servers and tests can coexist).
final class HTTPMetrics: Sendable, StatsProvider {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let queryTimer: CoreMetrics.Timer
    private let totals = Mutex(Totals())

    struct Totals {
        var requests = 0
        var queries = 0
        var queryErrors = 0
        var pointsWritten = 0
        var writeFailures = 0
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        self.queryTimer = CoreMetrics.Timer(label: "collectlite_http_query_duration_seconds", factory: factory)
    }

    func countRequest(endpoint: String, status: Int) {
        Counter(label: "collectlite_http_requests_total", dimensions: [("endpoint", endpoint), ("status", String(status))], factory: factory)
            .increment()
        totals.withLock { $0.requests += 1 }
    }

    func recordQuery(duration: Duration, status: Int) {
        let (seconds, atto) = duration.components
        queryTimer.recordNanoseconds(seconds * 1_000_000_000 + atto / 1_000_000_000)
        totals.withLock {
            $0.queries += 1
            if status >= 400 { $0.queryErrors += 1 }
        }
    }

    func countWrite(points: Int, failures: Int) {
        Counter(label: "collectlite_http_points_written_total", factory: factory).increment(by: points)
        if failures > 0 {
            Counter(label: "collectlite_http_write_failures_total", factory: factory).increment(by: failures)
        }
        totals.withLock {
            $0.pointsWritten += points
            $0.writeFailures += failures
        }
    }

    /// The same figures for `SHOW STATS` (group `httpd`, as InfluxDB names it).
    func stats() -> [StatsGroup] {
        let t = totals.withLock { $0 }
        return [StatsGroup(name: "httpd", values: [
            ("req_total", Double(t.requests)), ("query_req_total", Double(t.queries)),
            ("query_req_errors_total", Double(t.queryErrors)), ("points_written_ok_total", Double(t.pointsWritten)),
            ("points_written_fail_total", Double(t.writeFailures)),
        ])]
    }
}

/// Prometheus text for `StatsGroup`s: `collectlite_<group>_<figure>{tags} value`; figures
/// ending in `_total` are counters, the rest gauges.
enum PrometheusText {
    static func render(_ groups: [StatsGroup]) -> [UInt8] {
        var order: [String] = []
        var lines: [String: [String]] = [:]
        for group in groups {
            let labels = group.tags.isEmpty ? "" : "{" + group.tags.map { "\(sanitize($0.key))=\(quote($0.value))" }.joined(separator: ",") + "}"
            for (name, value) in group.values {
                let metric = "collectlite_\(sanitize(group.name))_\(sanitize(name))"
                if lines[metric] == nil { order.append(metric) }
                lines[metric, default: []].append("\(metric)\(labels) \(format(value))")
            }
        }
        var out = ""
        for metric in order {
            out += "# TYPE \(metric) \(metric.hasSuffix("_total") ? "counter" : "gauge")\n"
            for line in lines[metric]! { out += line + "\n" }
        }
        return Array(out.utf8)
    }

    static func sanitize(_ name: String) -> String {
        var s = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            let ok = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (i > 0 && ("0"..."9").contains(c))
            s.unicodeScalars.append(ok ? c : "_")
        }
        return s.isEmpty ? "_" : s
    }

    static func quote(_ value: String) -> String {
        var s = "\""
        for c in value {
            switch c {
            case "\\": s += "\\\\"
            case "\"": s += "\\\""
            case "\n": s += "\\n"
            default: s.append(c)
            }
        }
        return s + "\""
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
