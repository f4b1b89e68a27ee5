import Foundation
import InfluxHTTP
import LineProtocol
import QueryEngine
import SQLiteStore
import TimeSeries

/// Where `collectlite import` writes: a running collectlite (its `/write` and `/query`) or a
/// data directory no server holds (the store itself, under the directory's lock).
protocol ImportTarget: AnyObject {
    var description: String { get }
    /// Runs InfluxQL on the target (counts, CREATE DATABASE, CREATE RETENTION POLICY).
    func query(_ text: String, database: String?, change: Bool) async throws -> [String: Any]
    /// Writes points; returns how many the target rejected (field type conflicts).
    func write(_ points: [Point], database: String, policy: String?) async throws -> Int
    /// Makes everything written so far durable before the resume state moves past it.
    func sync() throws
    func close() throws
}

/// A data directory, written through the store as `serve` would.
final class LocalImportTarget: ImportTarget {
    let directory: String
    private let lock: DataDirectoryLock
    private let store: SQLiteStore
    private let queries: EngineQueries

    var description: String { "data directory \(directory)" }

    init(directory: String) throws {
        self.directory = directory
        do throws(ConfigurationError) {
            try ServeCommand.makeDirectories(directory)
            lock = try DataDirectoryLock(directory: directory)
        } catch .directoryInUse(let directory, _, let pid) {
            throw ImportError("data directory \(directory) is in use by a running collectlite\(pid.map { " (pid \($0))" } ?? ""); import through it with --to http://host:8086 instead")
        } catch {
            throw ImportError(error.description)
        }
        store = try SQLiteStore(dataDirectory: directory, readOnly: false)
        queries = EngineQueries(executor: QueryExecutor(store: store))
    }

    func query(_ text: String, database: String?, change: Bool) async throws -> [String: Any] {
        let reply = await queries.handle(QueryRequest(query: text, database: database, epoch: "ns"))
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else {
            throw ImportError("the store answered no JSON to \(text)")
        }
        return object
    }

    func write(_ points: [Point], database: String, policy: String?) async throws -> Int {
        do {
            try store.write(points, database: database, policy: policy)
            return 0
        } catch SeriesStoreError.partialWrite(let rejected, _) {
            return rejected
        }
    }

    func sync() throws {
        try store.flush()
    }

    func close() throws {
        defer { lock.release() }
        try store.close()
    }
}

/// A running collectlite (or InfluxDB) over HTTP.
final class RemoteImportTarget: ImportTarget {
    let client: HTTPStreamClient

    var description: String { client.base.absoluteString }

    init(client: HTTPStreamClient) {
        self.client = client
    }

    func query(_ text: String, database: String?, change: Bool) async throws -> [String: Any] {
        try await client.query(text, database: database, change: change)
    }

    func write(_ points: [Point], database: String, policy: String?) async throws -> Int {
        var items = [("db", database), ("precision", "ns")]
        if let policy { items.append(("rp", policy)) }
        let body = Array(LineEncoder.encode(points).utf8)
        let (status, answer) = try await client.send(method: .POST, client.target("/write", items),
                                                      headers: [("Content-Type", "text/plain; charset=utf-8")], body: body)
        if (200..<300).contains(status) { return 0 }
        let text = String(decoding: answer, as: UTF8.self)
        if status == 400, text.contains("partial write"), let match = text.firstMatch(of: /dropped=(\d+)/) {
            return Int(match.1) ?? 0
        }
        throw ImportError("\(client.base.absoluteString)/write answered \(status): \(text.prefix(300))")
    }

    /// Nothing to wait for: collectlite answers a /write once it is committed to its batch log
    /// (InfluxDB once it is in its WAL), so every acknowledged write is durable already.
    func sync() throws {}

    func close() throws {}
}

/// Reading InfluxDB 1.x `/query` answers (decoded JSON).
enum InfluxAnswer {
    struct Series {
        var name: String
        var tags: [String: String]
        var columns: [String]
        var values: [[Any]]
    }

    /// The series of the first statement's result; throws the answer's error when it has one.
    static func series(_ answer: [String: Any]) throws -> [Series] {
        if let error = answer["error"] as? String { throw ImportError(error) }
        guard let results = answer["results"] as? [[String: Any]] else { return [] }
        var out: [Series] = []
        for result in results {
            if let error = result["error"] as? String { throw ImportError(error) }
            for series in result["series"] as? [[String: Any]] ?? [] {
                out.append(Series(name: series["name"] as? String ?? "", tags: series["tags"] as? [String: String] ?? [:],
                                  columns: series["columns"] as? [String] ?? [], values: series["values"] as? [[Any]] ?? []))
            }
        }
        return out
    }

    /// The first column of every row of every series (`SHOW MEASUREMENTS`, `SHOW DATABASES`).
    static func firstColumn(_ answer: [String: Any]) throws -> [String] {
        try series(answer).flatMap { $0.values.compactMap { $0.first as? String } }
    }

    /// The sum of the numeric columns after `time` in the first row (`SELECT count(*)`).
    static func count(_ answer: [String: Any]) throws -> Int {
        guard let row = try series(answer).first?.values.first else { return 0 }
        return row.dropFirst().reduce(0) { $0 + ((($1 as? NSNumber)?.intValue) ?? 0) }
    }
}
