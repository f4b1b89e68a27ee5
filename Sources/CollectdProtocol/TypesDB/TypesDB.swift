/// A set of data-set definitions in the format of collectd's types.db(5).
///
/// ```
/// # comment
/// if_octets   rx:DERIVE:0:U, tx:DERIVE:0:U
/// ```
/// A line is a type name followed by data sources `name:KIND:min:max`, separated by
/// whitespace and/or commas; KIND is case-insensitive, `U` means unbounded. Lines starting
/// with `#` (after optional whitespace) and blank lines are ignored. A later definition of
/// a name replaces an earlier one. Malformed lines are errors naming file, line and reason.
public struct TypesDB: Sendable {
    private var types: [String: [DataSource]]

    /// An empty set.
    public init() {
        types = [:]
    }

    /// The definitions compiled into collectlite from `typesdb/types.db`.
    public static let embedded: TypesDB = {
        var db = TypesDB()
        do {
            try db.load(text: embeddedText, file: "<embedded types.db>")
        } catch {
            // The embedded text is checked by the test suite; a failure here is a build defect.
            preconditionFailure("embedded types.db does not parse: \(error)")
        }
        return db
    }()

    /// The data sources of `type`, or `nil` when the type is unknown.
    public subscript(type: String) -> [DataSource]? {
        types[type]
    }

    /// Number of defined types.
    public var count: Int { types.count }

    /// All type names, sorted.
    public var names: [String] { types.keys.sorted() }

    /// Defines or replaces one type.
    public mutating func define(_ type: String, _ dataSources: [DataSource]) {
        types[type] = dataSources
    }

    /// Parses types.db text and adds its definitions over the current ones.
    /// - Parameter file: the name used in error messages.
    /// - Throws: `CollectdProtocolError.typesDB` for the first malformed line; definitions
    ///   before it are kept.
    public mutating func load(text: String, file: String) throws {
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if let (name, sources) = try Self.parseLine(line, file: file, line: lineNumber) {
                types[name] = sources
            }
        }
    }

    /// Parses one line; `nil` for blank and comment lines.
    static func parseLine(
        _ line: Substring, file: String, line lineNumber: Int
    ) throws -> (String, [DataSource])? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" })
        guard let first = fields.first, !first.hasPrefix("#") else { return nil }
        func failure(_ reason: String) -> CollectdProtocolError {
            .typesDB(file: file, line: lineNumber, reason: reason)
        }
        guard fields.count >= 2 else {
            throw failure("type \"\(first)\" has no data sources")
        }
        var sources: [DataSource] = []
        sources.reserveCapacity(fields.count - 1)
        for field in fields.dropFirst() {
            sources.append(try parseDataSource(field, failure: failure))
        }
        return (String(first), sources)
    }

    private static func parseDataSource(
        _ field: Substring, failure: (String) -> CollectdProtocolError
    ) throws -> DataSource {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4 else {
            throw failure("data source \"\(field)\" is not name:KIND:min:max")
        }
        guard !parts[0].isEmpty else {
            throw failure("data source \"\(field)\" has an empty name")
        }
        guard let kind = DataSourceKind(typesDBName: parts[1]) else {
            throw failure(
                "data source \"\(field)\" has unknown kind \"\(parts[1])\" (expected GAUGE, COUNTER, DERIVE or ABSOLUTE)")
        }
        func bound(_ text: Substring, _ what: String) throws -> Double? {
            if text == "U" || text == "u" { return nil }
            guard let value = Double(text), !value.isNaN else {
                throw failure("data source \"\(field)\" has a bad \(what) \"\(text)\" (a number or U)")
            }
            return value
        }
        let min = try bound(parts[2], "minimum")
        let max = try bound(parts[3], "maximum")
        return DataSource(name: String(parts[0]), kind: kind, min: min, max: max)
    }

    /// The definitions as types.db text, one line per type, sorted by name.
    public var text: String {
        var out = ""
        for name in names {
            let sources = types[name]!.map(\.typesDBNotation).joined(separator: ", ")
            out += name + "\t" + sources + "\n"
        }
        return out
    }
}
