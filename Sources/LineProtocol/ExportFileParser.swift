import TimeSeries

/// Reads the dump `influx_inspect export` writes (InfluxDB 1.x), one line at a time, and
/// plain line-protocol files, which are the same without the headers. Pure over lines.
///
/// ```
/// # INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z
/// # DDL
/// CREATE DATABASE collectd WITH NAME autogen
/// CREATE RETENTION POLICY one_week ON collectd DURATION 168h REPLICATION 1
/// # DML
/// # CONTEXT-DATABASE:collectd
/// # CONTEXT-RETENTION-POLICY:autogen
/// # writing tsm data
/// cpu_value,host=a,type=percent value=1.5 1700000000000000000
/// ```
/// Lines of the DDL section are statements; every other line that is not blank or a comment
/// is a point of the database and retention policy named by the last `CONTEXT-` headers.
public struct ExportFileParser: Sendable {
    public enum Section: Sendable, Hashable { case none, ddl, dml }

    /// What one line says.
    public enum Line: Sendable, Hashable {
        /// Blank, or a comment that changes nothing.
        case nothing
        case section(Section)
        /// `# CONTEXT-DATABASE:` or `# CONTEXT-RETENTION-POLICY:` changed the context.
        case context
        /// `CREATE DATABASE name [WITH … NAME policy]`: the database and the name of its default policy.
        case createDatabase(name: String, defaultPolicy: String?)
        /// `CREATE RETENTION POLICY name ON database DURATION d …`; duration 0 keeps forever.
        case createRetentionPolicy(name: String, database: String, duration: Int64, isDefault: Bool)
        /// A DDL statement of another kind, or one that does not parse.
        case unknownStatement(String)
        case point(Point)
        case failure(LineFailure)
    }

    public private(set) var section: Section = .none
    /// The database and retention policy points belong to (nil before a CONTEXT header).
    public private(set) var database: String?
    public private(set) var retentionPolicy: String?
    private let lines: LineParser
    private var lineNumber = 0

    public init() {
        lines = LineParser(precision: .ns, defaultTime: 0)
    }

    /// Reads the next line (without its newline).
    public mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Line {
        lineNumber += 1
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard start < end else { return .nothing }
        let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if line[0] == UInt8(ascii: "#") { return header(String(decoding: line, as: UTF8.self)) }
        if section == .ddl { return Self.statement(String(decoding: line, as: UTF8.self)) }
        do throws(LineProtocolError) {
            return .point(try lines.parseLine(line))
        } catch {
            return .failure(LineFailure(line: lineNumber, text: String(decoding: line, as: UTF8.self), reason: error))
        }
    }

    public mutating func read(_ line: String) -> Line {
        var copy = line
        return copy.withUTF8 { read($0) }
    }

    private mutating func header(_ text: String) -> Line {
        let body = text.dropFirst().drop { $0 == " " }
        switch body {
        case "DDL":
            section = .ddl
            return .section(.ddl)
        case "DML":
            section = .dml
            return .section(.dml)
        default:
            if let name = Self.value(of: "CONTEXT-DATABASE:", in: body) {
                database = name
                return .context
            }
            if let name = Self.value(of: "CONTEXT-RETENTION-POLICY:", in: body) {
                retentionPolicy = name
                return .context
            }
            return .nothing
        }
    }

    private static func value(of prefix: String, in text: Substring) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let value = text.dropFirst(prefix.count).trimmingSpaces
        return value.isEmpty ? nil : value
    }

    // MARK: - DDL

    /// Parses the two statements an export's DDL holds; anything else is `unknownStatement`.
    static func statement(_ text: String) -> Line {
        let words = words(text)
        let upper = words.map { $0.quoted ? $0.text : $0.text.uppercased() }
        func at(_ i: Int) -> String? { i < words.count ? words[i].text : nil }
        if upper.starts(with: ["CREATE", "DATABASE"]), let name = at(2) {
            var policy: String?
            if let nameAt = upper.firstIndex(of: "NAME"), nameAt > 2, let value = at(nameAt + 1) { policy = value }
            return .createDatabase(name: name, defaultPolicy: policy)
        }
        if upper.starts(with: ["CREATE", "RETENTION", "POLICY"]), let name = at(3), upper.count > 5, upper[4] == "ON",
           let database = at(5) {
            var duration: Int64 = 0
            if let durationAt = upper.firstIndex(of: "DURATION"), durationAt > 5, upper[durationAt - 1] != "SHARD" {
                guard let text = at(durationAt + 1), let value = Self.duration(text) else { return .unknownStatement(text) }
                duration = value
            }
            return .createRetentionPolicy(name: name, database: database, duration: duration, isDefault: upper.last == "DEFAULT")
        }
        return .unknownStatement(text)
    }

    /// Words split on blanks; `"double quoted"` identifiers (with `\"` escapes) are one word.
    static func words(_ text: String) -> [(text: String, quoted: Bool)] {
        var out: [(String, Bool)] = []
        var current = ""
        var quoted = false
        var inQuotes = false
        var escaped = false
        for ch in text {
            if inQuotes {
                if escaped {
                    current.append(ch)
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else if ch == "\"" {
                    inQuotes = false
                } else {
                    current.append(ch)
                }
            } else if ch == " " || ch == "\t" {
                if !current.isEmpty || quoted { out.append((current, quoted)) }
                current = ""
                quoted = false
            } else if ch == "\"" {
                inQuotes = true
                quoted = true
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty || quoted { out.append((current, quoted)) }
        return out
    }

    /// InfluxQL and Go durations: `INF`, `0s`, `168h`, `168h0m0s`, `1h30m`, `7d`, `2w`, `500ms`;
    /// nanoseconds, 0 for INF.
    public static func duration(_ text: String) -> Int64? {
        if text.lowercased() == "inf" { return 0 }
        var total: Int64 = 0
        var digits = ""
        var unit = ""
        var parsedAny = false
        func commit() -> Bool {
            guard let n = Int64(digits) else { return false }
            let scale: Int64
            switch unit {
            case "ns": scale = 1
            case "u", "us", "µ", "µs": scale = 1_000
            case "ms": scale = 1_000_000
            case "s": scale = 1_000_000_000
            case "m": scale = 60_000_000_000
            case "h": scale = 3_600_000_000_000
            case "d": scale = 86_400_000_000_000
            case "w": scale = 604_800_000_000_000
            default: return false
            }
            let (product, overflow) = n.multipliedReportingOverflow(by: scale)
            guard !overflow else { return false }
            total += product
            digits = ""
            unit = ""
            parsedAny = true
            return true
        }
        for ch in text {
            if ch.isASCII && ch.isNumber {
                if !unit.isEmpty { guard commit() else { return nil } }
                digits.append(ch)
            } else {
                guard !digits.isEmpty else { return nil }
                unit.append(ch)
            }
        }
        guard !digits.isEmpty, commit(), parsedAny else { return nil }
        return total
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
