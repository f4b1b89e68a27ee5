import Testing
import TimeSeries

@Suite struct CollectdCapturesTests {
    @Test func capturesDecodeToCollectdMeasurements() throws {
        let points = try CollectdCaptures.points()
        #expect(points.count > 200)
        let measurements = Set(points.map(\.key.measurement))
        for m in ["cpu_value", "interface_rx", "interface_tx", "load_shortterm", "memory_value"] {
            #expect(measurements.contains(m), "captures hold \(m)")
        }
        #expect(Set(points.compactMap { $0.key[tag: "host"] }) == ["fixturehost"])
    }

    @Test func scenarioRangeCoversTheCaptures() throws {
        let scenario = try DashboardScenario.withCaptures()
        let run = try #require(scenario.runs.first)
        for point in scenario.extraPoints {
            #expect(point.time / 1_000_000 >= run.fromMs && point.time / 1_000_000 <= run.toMs)
        }
        #expect(scenario.hostNames.contains("fixturehost"))
    }
}
