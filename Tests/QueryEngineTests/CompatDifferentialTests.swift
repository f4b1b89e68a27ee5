import Testing
import QueryEngine
import TimeSeries

/// Replays the compat suite (Fixtures/compat-*.txt, from make-compat.py): InfluxQL beyond the
/// collectd/Grafana subset — multi-field measurements, selectors with other fields and tags,
/// explicit `time` in the select list — as recorded from InfluxDB 1.6.7.
@Suite struct CompatDifferentialTests {
    static let suite = "compat"
    static let allCases: [Fixtures.Case] = (try? Fixtures.cases(suite: suite)) ?? []
    /// Cases from the first mutation on change the data and must run in order on one store.
    static let firstMutation = allCases.firstIndex { isMutation($0.query) } ?? allCases.count
    static let readOnlyCases = Array(allCases[..<firstMutation])
    static let shared: QueryExecutor? = (try? Fixtures.loadedStore(suite: suite)).map { QueryExecutor(store: $0) }

    static func isMutation(_ query: String) -> Bool {
        ["CREATE ", "DROP ", "DELETE "].contains { query.uppercased().hasPrefix($0) }
    }

    @Test func suiteIsRecorded() {
        #expect(Self.allCases.count >= 443)
    }

    @Test(arguments: readOnlyCases)
    func readOnlyCaseMatchesInfluxDB(_ c: Fixtures.Case) throws {
        let executor = try #require(Self.shared)
        try DifferentialTests.check(c, executor: executor)
    }

    @Test func mutatingCasesMatchInfluxDBInOrder() throws {
        let executor = QueryExecutor(store: try Fixtures.loadedStore(suite: Self.suite))
        for c in Self.allCases[Self.firstMutation...] {
            try DifferentialTests.check(c, executor: executor)
        }
    }
}
