import QueryEngine

/// One `/query` request as the HTTP layer understood it.
public struct QueryRequest: Sendable, Hashable {
    public enum Format: Sendable, Hashable { case json, csv }

    public var query: String
    public var database: String?
    public var retentionPolicy: String?
    /// The raw `epoch` parameter (nil or empty: RFC3339 strings).
    public var epoch: String?
    public var format: Format
    public var pretty: Bool
    public var chunked: Bool
    public var chunkSize: Int?
    /// The authenticated user, when authentication is on.
    public var user: String?
    /// Who runs the query, for the engine's privilege checks.
    public var authorization: QueryAuthorization
    /// A GET request (InfluxDB warns about statements that change state).
    public var readOnly: Bool

    public init(query: String, database: String? = nil, retentionPolicy: String? = nil, epoch: String? = nil,
                format: Format = .json, pretty: Bool = false, chunked: Bool = false, chunkSize: Int? = nil, user: String? = nil,
                authorization: QueryAuthorization = .open, readOnly: Bool = false) {
        self.query = query
        self.database = database
        self.retentionPolicy = retentionPolicy
        self.epoch = epoch
        self.format = format
        self.pretty = pretty
        self.chunked = chunked
        self.chunkSize = chunkSize
        self.user = user
        self.authorization = authorization
        self.readOnly = readOnly
    }
}

/// What a query produced: an HTTP status and an encoded body in the requested format.
public struct QueryReply: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Runs InfluxQL text for `/query` (the query engine, adapted in `QueryExecutor+QueryHandling`).
public protocol QueryHandling: Sendable {
    func handle(_ request: QueryRequest) async -> QueryReply
}
