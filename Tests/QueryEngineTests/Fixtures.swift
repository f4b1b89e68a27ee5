import Foundation
import QueryEngine
import TimeSeries

/// The recorded differential suite: the data InfluxDB was loaded with and its answers.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let database = "collectd"
    /// `now` used for replay; the data ends long before it, as it did when recording.
    static let now: Int64 = 1_800_000_000_000_000_000

    struct Case: Sendable, CustomStringConvertible {
        var query: String
        var epoch: String?
        var database: String?
        var status: Int
        var expect: String
        var description: String { (epoch.map { "[epoch=\($0)] " } ?? "") + query }
    }

    /// The file of a suite: `data.txt` for the main suite, `<suite>-data.txt` for another.
    static func file(_ name: String, suite: String?) -> URL {
        directory.appendingPathComponent(suite.map { "\($0)-\(name)" } ?? name)
    }

    static func points(suite: String? = nil) throws -> [Point] {
        try pointsByDatabase(suite: suite)[database] ?? []
    }

    /// The suite's points per database (a series block may name its database after the field).
    static func pointsByDatabase(suite: String? = nil) throws -> [String: [Point]] {
        let text = try String(contentsOf: file("data.txt", suite: suite), encoding: .utf8)
        var points: [String: [Point]] = [database: []]
        var key = SeriesKey(measurement: "", tags: [])
        var field = ""
        var db = database
        for line in text.split(separator: "\n") {
            if line.hasPrefix("S ") {
                let parts = line.split(separator: " ")
                let tags: [Tag] = parts[2] == "-" ? [] : parts[2].split(separator: ",").map {
                    let kv = $0.split(separator: "=", maxSplits: 1)
                    return Tag(String(kv[0]), String(kv[1]))
                }
                key = SeriesKey(measurement: String(parts[1]), tags: tags)
                field = String(parts[3])
                db = parts.count > 4 ? String(parts[4]) : database
                continue
            }
            let sp = line.firstIndex(of: " ")!
            let time = Int64(line[..<sp])!
            let raw = line[line.index(after: sp)...]
            let value: FieldValue
            if raw.hasSuffix("i") {
                value = .integer(Int64(raw.dropLast())!)
            } else if raw.hasPrefix("\"") {
                value = .string(String(raw.dropFirst().dropLast()))
            } else if raw == "true" || raw == "false" {
                value = .boolean(raw == "true")
            } else {
                value = .float(Double(raw)!)
            }
            points[db, default: []].append(Point(key: key, fields: [Field(field, value)], time: time))
        }
        return points
    }

    /// Line protocol per database, for loading a live InfluxDB.
    static func lineProtocolByDatabase(suite: String? = nil) throws -> [String: String] {
        try pointsByDatabase(suite: suite).mapValues(lineProtocol)
    }

    static func lineProtocol(suite: String? = nil) throws -> String {
        lineProtocol(try points(suite: suite))
    }

    static func lineProtocol(_ points: [Point]) -> String {
        points.map { p in
            var s = p.key.description + " "
            let f = p.fields[0]
            s += f.name + "="
            switch f.value {
            case .float(let d): s += "\(d)"
            case .integer(let i): s += "\(i)i"
            case .unsigned(let u): s += "\(u)u"
            case .string(let t): s += "\"\(t)\""
            case .boolean(let b): s += b ? "true" : "false"
            }
            return s + " \(p.time)"
        }.joined(separator: "\n")
    }

    static func loadedStore(suite: String? = nil) throws -> MemoryStore {
        let store = MemoryStore()
        for (db, points) in try pointsByDatabase(suite: suite) {
            try store.createDatabase(db)
            try store.write(points, database: db)
        }
        return store
    }

    /// Queries whose InfluxDB answer collectlite deliberately does not reproduce (query → reason),
    /// from Fixtures/known-differences.txt (`query<TAB>reason` lines).
    static func knownDifferences() throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("known-differences.txt"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }

    static func cases(suite: String? = nil) throws -> [Case] {
        let text = try String(contentsOf: file("cases.txt", suite: suite), encoding: .utf8)
        var out: [Case] = []
        for block in text.components(separatedBy: "\n\n") where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            var c = Case(query: "", epoch: nil, database: nil, status: 200, expect: "")
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon]
                let value = String(line[line.index(colon, offsetBy: 2)...])
                switch key {
                case "query": c.query = value
                case "epoch": c.epoch = value
                case "db": c.database = value == "-" ? nil : value
                case "status": c.status = Int(value) ?? 0
                case "expect": c.expect = value
                default: break
                }
            }
            out.append(c)
        }
        return out
    }

    /// Runs one case the way the HTTP layer will: execute, then encode with the epoch.
    static func answer(_ c: Case, executor: QueryExecutor, now: Int64 = Fixtures.now) -> String {
        let response = executor.execute(c.query, options: QueryOptions(database: c.database, now: now))
        let epoch = c.epoch.flatMap { Epoch(parameter: $0) }
        return String(decoding: ResultWriter.json(response, epoch: epoch, pretty: false), as: UTF8.self)
    }
}
