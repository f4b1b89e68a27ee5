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
        let known = try Fixtures.knownDifferences()
        var failures = 0
        var skipped = 0
        for c in try Fixtures.cases() {
            let got = Fixtures.answer(c, executor: executor)
            if known[c.query] != nil {
                skipped += 1
                continue
            }
            let expected = try JSONValue.parse(c.expect).normalizingEqualTimeRows()
            guard let actual = try? JSONValue.parse(got).normalizingEqualTimeRows() else {
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
        #expect(skipped == known.count, "every known difference names a recorded query")
    }
}
