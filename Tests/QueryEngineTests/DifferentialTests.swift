import Testing
import QueryEngine
import TimeSeries

/// Replays InfluxDB 1.6.7's recorded answers (Fixtures/cases.txt) against QueryExecutor + MemoryStore.
@Suite struct DifferentialTests {
    @Test func recordedSuiteIsLargeEnough() throws {
        #expect(try Fixtures.cases().count >= 150)
    }

    @Test func replayRecordedAnswers() throws {
        let executor = QueryExecutor(store: try Fixtures.loadedStore())
        var failures = 0
        for c in try Fixtures.cases() {
            let got = Fixtures.answer(c, executor: executor)
            let expected = try JSONValue.parse(c.expect)
            guard let actual = try? JSONValue.parse(got) else {
                Issue.record("\(c): invalid JSON \(got)")
                failures += 1
                continue
            }
            if let diff = JSONValue.difference(actual, expected) {
                failures += 1
                Issue.record("\(c)\n  diff: \(diff)\n  got:    \(got.prefix(600))\n  expect: \(c.expect.prefix(600))")
            }
        }
        #expect(failures == 0)
    }
}
