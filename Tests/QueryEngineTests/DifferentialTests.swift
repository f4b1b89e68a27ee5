import Testing
import QueryEngine
import TimeSeries

/// Replays InfluxDB 1.6.7's recorded answers (Fixtures/cases.txt) against QueryExecutor + MemoryStore.
@Suite struct DifferentialTests {
    static let allCases: [Fixtures.Case] = (try? Fixtures.cases()) ?? []
    static let known: [String: String] = (try? Fixtures.knownDifferences()) ?? [:]
    /// Cases from the first mutation on change the data and must run in order on one store.
    static let firstMutation = allCases.firstIndex { $0.query.hasPrefix("CREATE DATABASE") } ?? allCases.count
    static let readOnlyCases = Array(allCases[..<firstMutation]).filter { known[$0.query] == nil }
    static let shared: QueryExecutor? = (try? Fixtures.loadedStore()).map { QueryExecutor(store: $0) }

    @Test func recordedSuiteIsLargeEnough() {
        #expect(Self.allCases.count >= 150)
        #expect(Self.firstMutation < Self.allCases.count)
        #expect(Self.allCases.filter { Self.known[$0.query] != nil }.count == Self.known.count, "every known difference names a recorded query")
    }

    @Test(arguments: readOnlyCases)
    func readOnlyCaseMatchesInfluxDB(_ c: Fixtures.Case) throws {
        let executor = try #require(Self.shared)
        try Self.check(c, executor: executor)
    }

    @Test func mutatingCasesMatchInfluxDBInOrder() throws {
        let executor = QueryExecutor(store: try Fixtures.loadedStore())
        for c in Self.allCases[Self.firstMutation...] where Self.known[c.query] == nil {
            try Self.check(c, executor: executor)
        }
    }

    @Test func knownDifferencesStillRun() throws {
        let executor = try #require(Self.shared)
        for c in Self.allCases[..<Self.firstMutation] where Self.known[c.query] != nil {
            let got = Fixtures.answer(c, executor: executor)
            #expect((try? JSONValue.parse(got)) != nil, "\(c)")
        }
    }

    static func check(_ c: Fixtures.Case, executor: QueryExecutor) throws {
        let got = Fixtures.answer(c, executor: executor)
        let expected = try JSONValue.parse(c.expect).normalizingEqualTimeRows()
        guard let actual = try? JSONValue.parse(got).normalizingEqualTimeRows() else {
            Issue.record("\(c): invalid JSON \(got)")
            return
        }
        if let diff = JSONValue.difference(actual, expected) {
            Issue.record("\(c)\n  diff: \(diff)\n  got:    \(got.prefix(600))\n  expect: \(c.expect.prefix(600))")
        }
    }
}
