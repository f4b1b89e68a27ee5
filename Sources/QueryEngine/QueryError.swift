/// A statement failed; `message` is InfluxDB 1.x's text for the same failure.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Not an answer: an inline run (`QueryExecutor.executeInline`) went past its limits and the
    /// statement must run again where it may take long.
    var abandoned = false

    public init(_ message: String) {
        self.message = message
    }

    static let abandoned: QueryError = {
        var e = QueryError("query too large to run inline")
        e.abandoned = true
        return e
    }()

    public var description: String { message }

    static func databaseNotFound(_ name: String) -> QueryError { QueryError("database not found: \(name)") }
    static let databaseRequired = QueryError("database name required")
    static let userNotFound = QueryError("user not found")
    static let usersUnavailable = QueryError("users are kept by the server: run user statements over HTTP (collectlite query --url)")
}
