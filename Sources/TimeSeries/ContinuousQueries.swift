/// A continuous query as a database keeps it: its name, its statement as SHOW CONTINUOUS
/// QUERIES prints it, and when the scheduler last ran it (ns; nil: never), so a restart
/// resumes where the last run stopped.
public struct ContinuousQueryDefinition: Sendable, Hashable {
    public var name: String
    public var query: String
    public var lastRun: Int64?

    public init(name: String, query: String, lastRun: Int64? = nil) {
        self.name = name
        self.query = query
        self.lastRun = lastRun
    }
}

/// The continuous queries of one database in creation order, with InfluxDB 1.x's meta-store
/// rules and texts.
public struct ContinuousQueries: Sendable, Hashable {
    public private(set) var queries: [ContinuousQueryDefinition]

    public init(_ queries: [ContinuousQueryDefinition] = []) {
        self.queries = queries
    }

    /// `CREATE CONTINUOUS QUERY`: the same name with the same text (ignoring case) again is not an error.
    public mutating func create(name: String, query: String) throws(ContinuousQueryError) {
        if let existing = queries.first(where: { $0.name == name }) {
            if existing.query.lowercased() == query.lowercased() { return }
            throw .exists
        }
        queries.append(ContinuousQueryDefinition(name: name, query: query))
    }

    /// `DROP CONTINUOUS QUERY`.
    public mutating func drop(name: String) throws(ContinuousQueryError) {
        guard let index = queries.firstIndex(where: { $0.name == name }) else { throw .notFound }
        queries.remove(at: index)
    }

    /// Records a run of `name` (ignored when the query was dropped meanwhile).
    public mutating func setLastRun(name: String, _ time: Int64) {
        guard let index = queries.firstIndex(where: { $0.name == name }) else { return }
        queries[index].lastRun = time
    }
}

public enum ContinuousQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    case exists
    case notFound

    public var description: String {
        switch self {
        case .exists: "continuous query already exists"
        case .notFound: "continuous query not found"
        }
    }
}
