import Testing
@testable import InfluxQL

/// Re-checks the recorded fixtures against a live influxd (skipped when it is not installed,
/// except under CI=true, where a missing influxd is a failure).
@Suite(.serialized) struct LiveInfluxDBTests {
    @Test func recordedAnswersStillMatchLiveInfluxDB() async throws {
        guard InfluxDBProcess.isInstalled else {
            if InfluxDBProcess.isCI {
                Issue.record("CI=true but \(InfluxDBProcess.executable) is missing")
            }
            return
        }
        let server = try await InfluxDBProcess.start()
        defer { server.stop() }
        for answer in RecordedAnswer.all {
            let live = try await server.queryError(answer.q)
            let prefix = "error parsing query: "
            let liveParse = live.flatMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
            #expect(liveParse == answer.error, "\(answer.q)")
        }
    }
}
