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
        /// A line of the DDL section: an InfluxQL statement (CREATE DATABASE, CREATE RETENTION
        /// POLICY, …) for the caller's InfluxQL parser.
        case statement(String)
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
        if section == .ddl { return .statement(String(decoding: line, as: UTF8.self)) }
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
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
