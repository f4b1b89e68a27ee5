/// Prints a `/query` JSON answer as aligned columns, like the influx CLI's column mode:
/// per series `name:` and `tags:` headers, a header row, a dashes row, then the rows.
public enum ResultTable {
    public static func render(json: [UInt8]) throws(InfluxHTTPError) -> String {
        let document = try JSONValue.parse(json)
        if let error = document["error"]?.stringValue { return "ERR: \(error)\n" }
        var blocks: [String] = []
        for result in document["results"]?.arrayValue ?? [] {
            if let error = result["error"]?.stringValue { blocks.append("ERR: \(error)\n") }
            for message in result["messages"]?.arrayValue ?? [] {
                blocks.append("\(message["level"]?.cellText ?? ""): \(message["text"]?.cellText ?? "")\n")
            }
            for series in result["series"]?.arrayValue ?? [] { blocks.append(block(series)) }
        }
        return blocks.joined(separator: "\n")
    }

    static func block(_ series: JSONValue) -> String {
        var out = ""
        if let name = series["name"]?.stringValue { out += "name: \(name)\n" }
        if case .object(let tags)? = series["tags"], !tags.isEmpty {
            out += "tags: " + tags.map { "\($0.0)=\($0.1.cellText)" }.joined(separator: ", ") + "\n"
        }
        let columns = series["columns"]?.arrayValue.map(\.cellText) ?? []
        let rows = series["values"]?.arrayValue.map { $0.arrayValue.map(\.cellText) } ?? []
        out += aligned([columns, columns.map { String(repeating: "-", count: $0.count) }] + rows)
        return out
    }

    /// Columns padded to the widest cell plus one space; no trailing spaces.
    static func aligned(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i >= widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.count + 1) }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
