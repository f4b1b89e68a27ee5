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
    /// Request counters by endpoint and status: making a `Counter` through the factory per request
    /// builds its label texts and looks it up in the registry under a lock.
    private let requestCounters = Mutex<[RequestLabel: CoreMetrics.Counter]>([:])

    struct RequestLabel: Hashable {
        var endpoint: String
        var status: Int
    }

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
        let label = RequestLabel(endpoint: endpoint, status: status)
        let counter = requestCounters.withLock { counters in
            if let known = counters[label] { return known }
            let made = Counter(label: "collectlite_http_requests_total", dimensions: [("endpoint", endpoint), ("status", String(status))],
                               factory: factory)
            counters[label] = made
            return made
        }
        counter.increment()
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
