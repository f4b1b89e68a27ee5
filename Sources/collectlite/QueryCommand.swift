import ArgumentParser
import Foundation
import InfluxHTTP
import InfluxQL
import QueryEngine
import SQLiteStore

/// `collectlite query`: InfluxQL straight on the data directory (read-only, works while
/// `serve` runs) or against a server's `/query`.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run InfluxQL on a data directory or a collectlite/InfluxDB server.",
        discussion: """
            Without a query on a terminal, opens an interactive prompt (history in
            ~/.collectlite_history; `use DB`, `format F`, `precision P`, `exit`).
            The password for --url can also come from COLLECTLITE_PASSWORD.
            """
    )

    @Argument(help: "InfluxQL statements (separated by ;).") var query: String?
    @Option(help: "Data directory to read (default ./data unless --url is given).") var dataDir: String?
    @Option(help: "Server to ask instead, e.g. http://127.0.0.1:8086.") var url: String?
    @Option(help: "Default database.") var database: String = "collectd"
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: "Time format: rfc3339, ns, u, ms or s.") var precision: TimePrecision = .rfc3339
    @Option(help: "User name for --url.") var username: String?
    @Option(help: "Password for --url.") var password: String?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
    enum TimePrecision: String, ExpressibleByArgument, CaseIterable {
        case rfc3339, ns, u, ms, s
        var epoch: String? { self == .rfc3339 ? nil : rawValue }
    }

    func validate() throws {
        if dataDir != nil && url != nil { throw ValidationError("give either --data-dir or --url, not both") }
    }

    func run() async throws {
        let source = try makeSource()
        if let query {
            explain(query, source: source)
            let ok = try await runOne(query, source: source, database: database, format: format, precision: precision)
            if !ok { throw ExitCode(1) }
            return
        }
        guard isatty(0) == 1 else {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            explain(text, source: source)
            let ok = try await runOne(text, source: source, database: database, format: format, precision: precision)
            if !ok { throw ExitCode(1) }
            return
        }
        try await interactive(source: source)
    }

    /// Where statements go.
    enum Source {
        case local(QueryExecutor, directory: String, databases: [String])
        case remote(URLComponents, authorization: String?)
    }

    func makeSource() throws -> Source {
        if let url {
            guard let components = URLComponents(string: url), components.scheme != nil, components.host != nil else {
                throw ValidationError("invalid --url \(url)")
            }
            var authorization: String?
            if let username {
                let pass = password ?? ProcessInfo.processInfo.environment["COLLECTLITE_PASSWORD"] ?? ""
                authorization = "Basic " + Data("\(username):\(pass)".utf8).base64EncodedString()
            }
            return .remote(components, authorization: authorization)
        }
        let directory = dataDir ?? "./data"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError.noDataDirectory(path: directory)
        }
        let store = try SQLiteStore(dataDirectory: directory, readOnly: true)
        let executor = QueryExecutor(store: store, limits: QueryLimits())
        // SHOW STATS then has the files' figures; live counters belong to the server.
        executor.register(store)
        return .local(executor, directory: directory, databases: (try? store.databases()) ?? [])
    }

    /// Runs statements and prints the answer; false when the answer was an error.
    func runOne(_ text: String, source: Source, database: String, format: OutputFormat, precision: TimePrecision) async throws -> Bool {
        let (status, body) = try await fetch(text, source: source, database: database, format: format, precision: precision)
        switch format {
        case .table:
            print(try ResultTable.render(json: body), terminator: "")
        case .csv, .json:
            FileHandle.standardOutput.write(Data(body))
        }
        return status < 400 && !(format != .csv && body.containsStatementError)
    }

    func fetch(_ text: String, source: Source, database: String, format: OutputFormat, precision: TimePrecision) async throws -> (Int, [UInt8]) {
        switch source {
        case .local(let executor, let directory, _):
            // The data directory is read here without the server's lock: statements that
            // change data must go through the server, which owns the files.
            if let statement = ((try? InfluxQLParser.parse(text)) ?? []).first(where: \.changesState) {
                let message = "\(statement) changes data, and collectlite query only reads the data directory \(directory): "
                    + "run it through the server instead, e.g. collectlite query --url http://127.0.0.1:8086 '…'"
                return (400, JSONText.error(message))
            }
            let request = QueryRequest(query: text, database: database, epoch: precision.epoch, format: format == .csv ? .csv : .json)
            let reply = await EngineQueries(executor: executor).handle(request)
            return (reply.status, reply.body)
        case .remote(var components, let authorization):
            components.path = "/query"
            var items = [URLQueryItem(name: "db", value: database)]
            if let epoch = precision.epoch { items.append(URLQueryItem(name: "epoch", value: epoch)) }
            components.queryItems = items
            guard components.url != nil, let host = components.host, let scheme = components.scheme?.lowercased(),
                  scheme == "http" || scheme == "https" else { throw ValidationError("invalid --url") }
            var headers = [("Content-Type", "application/x-www-form-urlencoded")]
            if format == .csv { headers.append(("Accept", "application/csv")) }
            if let authorization { headers.append(("Authorization", authorization)) }
            var form = URLComponents()
            form.queryItems = [URLQueryItem(name: "q", value: text)]
            let encoded = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
                .replacingOccurrences(of: ";", with: "%3B")
            let target = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
                + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
            let client = HTTPQueryClient(scheme: scheme, host: host, port: components.port ?? (scheme == "https" ? 443 : 80))
            do {
                let response = try await client.post(target, headers: headers, body: Array(encoded.utf8))
                return (response.status, response.body)
            } catch let failure as HTTPQueryClient.Failure {
                throw ConfigurationError.cannotConnect(url: url ?? "\(scheme)://\(host)", reason: failure.reason)
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// A cheap check for `"error":` in a JSON answer (top level or per statement).
    var containsStatementError: Bool {
        let needle = Array("\"error\":".utf8)
        guard count >= needle.count else { return false }
        for i in 0...(count - needle.count) where self[i] == needle[0] && Array(self[i..<i + needle.count]) == needle {
            return true
        }
        return false
    }
}
