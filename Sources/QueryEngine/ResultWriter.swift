import TimeSeries

/// Takes an encoded body piece by piece, in order (`ResultWriter.json(_:epoch:into:pieceBytes:)`).
/// A piece's bytes are valid only during the call.
public protocol BodySink: AnyObject {
    func write(_ piece: UnsafeRawBufferPointer)
}

/// Encodes query answers in InfluxDB 1.x's wire formats.
public enum ResultWriter {
    /// InfluxDB's JSON: key order `results` → `statement_id`, `series`, `messages`, `partial`, `error`;
    /// each series `name`, `tags`, `columns`, `values`, `partial`; empty parts omitted.
    /// `pretty` indents by four spaces as Go's `json.MarshalIndent` does.
    public static func json(_ response: QueryResponse, epoch: Epoch?, pretty: Bool) -> [UInt8] {
        var w = JSONOutput(epoch: epoch)
        w.response(response)
        return pretty ? JSONOutput.indent(w.bytes) : w.bytes
    }

    /// The same JSON as `json(_:epoch:pretty:)` (compact), handed to `sink` in pieces of about
    /// `pieceBytes` as it is encoded, in order: the HTTP layer writes them straight into its
    /// response buffer or gzip stream, so the answer never exists as one array besides it.
    public static func json(_ response: QueryResponse, epoch: Epoch?, into sink: any BodySink, pieceBytes: Int = 32 * 1024) {
        var w = JSONOutput(epoch: epoch)
        w.sink = sink
        w.pieceBytes = max(1, pieceBytes)
        w.response(response)
        w.drain()
    }

    /// InfluxDB's CSV: a `name,tags,<columns>` header per statement (repeated when columns change),
    /// a blank line between statements, time as integers, floats in plain decimal notation;
    /// output ends at the first failed statement, as in InfluxDB 1.6.
    public static func csv(_ response: QueryResponse, epoch: Epoch?) -> [UInt8] {
        var out: [UInt8] = []
        if let error = response.parseError {
            csvRow(["error"], &out)
            csvRow([error], &out)
            return out
        }
        var started = false
        for result in response.results {
            // InfluxDB 1.6's CSV writer stops at the first failed statement without printing it.
            if result.error != nil { break }
            guard let first = result.series.first else { continue }
            if started { out.append(10) }
            started = true
            var columns = first.columns
            csvRow(["name", "tags"] + columns, &out)
            for series in result.series {
                if series.columns != columns {
                    columns = series.columns
                    out.append(10)
                    csvRow(["name", "tags"] + columns, &out)
                }
                let tags = series.tags.map { SeriesKey.escapeTag($0.key) + "=" + SeriesKey.escapeTag($0.value) }.joined(separator: ",")
                for row in series.values {
                    var cells = [series.name, tags]
                    for value in row { cells.append(csvCell(value, epoch: epoch)) }
                    csvRow(cells, &out)
                }
            }
        }
        return out
    }

    static func csvCell(_ value: ResultValue, epoch: Epoch?) -> String {
        switch value {
        case .null: return ""
        case .float(let v):
            var b: [UInt8] = []
            NumberFormat.fixed(v, into: &b)
            return String(decoding: b, as: UTF8.self)
        case .integer(let v): return String(v)
        case .unsigned(let v): return String(v)
        case .string(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .time(let t): return String(epoch.map { $0.convert(t) } ?? t)
        }
    }

    /// One record as Go's `encoding/csv` writes it.
    static func csvRow(_ cells: [String], _ out: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let bytes = Array(cell.utf8)
            let needsQuotes = !bytes.isEmpty && (bytes.contains { $0 == 44 || $0 == 34 || $0 == 13 || $0 == 10 } || bytes[0] == 32 || bytes[0] == 9)
            if needsQuotes {
                out.append(34)
                for b in bytes {
                    if b == 34 { out.append(34) }
                    out.append(b)
                }
                out.append(34)
            } else {
                out.append(contentsOf: bytes)
            }
        }
        out.append(10)
    }
}

extension SeriesKey {
    /// Tag key/value escaping of line protocol (`,`, `=`, space), as InfluxDB's tag hash key.
    static func escapeTag(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "=" || $0 == " " }) else { return text }
        var out = ""
        for ch in text {
            if ch == "," || ch == "=" || ch == " " { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
