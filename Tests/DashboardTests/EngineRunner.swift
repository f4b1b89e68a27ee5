import QueryEngine
import TimeSeries

/// Runs dashboard queries on collectlite's query engine over an in-memory store, reading
/// answers as Grafana does (`epoch=ms`: times become milliseconds).
struct EngineRunner: InfluxQLRunner {
    let executor: QueryExecutor
    let database: String

    /// A store holding `points` in `database`, and an executor over it.
    init(points: [Point], database: String) throws {
        let store = MemoryStore()
        try store.createDatabase(database)
        try store.write(points, database: database)
        executor = QueryExecutor(store: store)
        self.database = database
    }

    func run(_ query: String) async throws -> [AnswerSeries] {
        let response = executor.execute(query, options: QueryOptions(database: database))
        if let parseError = response.parseError { throw DashboardTestError.queryFailed(parseError) }
        guard let first = response.results.first else { throw DashboardTestError.queryFailed("no result for the statement") }
        if let error = first.error { throw DashboardTestError.queryFailed(error) }
        return first.series.map { series in
            AnswerSeries(
                name: series.name,
                tags: Dictionary(series.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }),
                columns: series.columns,
                rows: series.values.map { $0.map(Self.value) }
            )
        }
    }

    static func value(_ value: ResultValue) -> AnswerSeries.Value {
        switch value {
        case .null: .null
        case .float(let v): .number(v)
        case .integer(let v): .number(Double(v))
        case .unsigned(let v): .number(Double(v))
        case .string(let s): .string(s)
        case .boolean(let b): .bool(b)
        case .time(let ns): .number(Double(ns / 1_000_000))
        }
    }
}
