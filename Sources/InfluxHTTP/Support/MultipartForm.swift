/// `multipart/form-data` bodies (RFC 7578), as `curl -F "q=@queries.txt" …/query` sends them:
/// InfluxDB reads their fields as it reads a form's, and a file named `q` as the query.
enum MultipartForm {
    struct Part: Equatable {
        var name: String
        /// Set for a file part.
        var filename: String?
        var value: [UInt8]
    }

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType else { return nil }
        let pieces = contentType.split(separator: ";").map { $0.trimmingASCIIWhitespace }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "="), piece[..<equals].trimmingASCIIWhitespace.lowercased() == "boundary" else { continue }
            var value = piece[piece.index(after: equals)...].trimmingASCIIWhitespace
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// The parts of `body`, in order; nil when it is not a well-formed multipart body.
    static func parse(_ body: [UInt8], boundary: String) -> [Part]? {
        let delimiter = Array(("--" + boundary).utf8)
        guard var at = find(delimiter, in: body, from: 0) else { return nil }
        var parts: [Part] = []
        while true {
            at += delimiter.count
            // "--" after a delimiter closes the body.
            if at + 1 < body.count, body[at] == UInt8(ascii: "-"), body[at + 1] == UInt8(ascii: "-") { return parts }
            guard let lineEnd = find([13, 10], in: body, from: at) else { return nil }
            let headersStart = lineEnd + 2
            guard let headersEnd = find([13, 10, 13, 10], in: body, from: headersStart - 2) else { return nil }
            let next = Array([13, 10] + delimiter)
            guard let contentEnd = find(next, in: body, from: headersEnd + 4) else { return nil }
            let headerText = headersEnd > headersStart ? String(decoding: body[headersStart..<headersEnd], as: UTF8.self) : ""
            var name: String?
            var filename: String?
            for line in headerText.split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":"),
                      line[..<colon].trimmingASCIIWhitespace.lowercased() == "content-disposition" else { continue }
                for attribute in line[line.index(after: colon)...].split(separator: ";").dropFirst() {
                    guard let equals = attribute.firstIndex(of: "=") else { continue }
                    let key = attribute[..<equals].trimmingASCIIWhitespace.lowercased()
                    var value = attribute[attribute.index(after: equals)...].trimmingASCIIWhitespace
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
                    if key == "name" { name = String(value) } else if key == "filename" { filename = String(value) }
                }
            }
            if let name { parts.append(Part(name: name, filename: filename, value: Array(body[(headersEnd + 4)..<contentEnd]))) }
            at = contentEnd + 2
        }
    }

    /// The fields of `parts` as a urlencoded form, for `Parameters`. A file named `q` is the
    /// query when no field `q` is given, as InfluxDB reads it.
    static func form(_ parts: [Part]) -> [UInt8] {
        var pairs: [(String, String)] = parts.filter { $0.filename == nil }.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
        if !pairs.contains(where: { $0.0 == "q" }), let file = parts.first(where: { $0.name == "q" && $0.filename != nil }) {
            pairs.append(("q", String(decoding: file.value, as: UTF8.self)))
        }
        return Array(pairs.map { FormDecoding.escape($0.0) + "=" + FormDecoding.escape($0.1) }.joined(separator: "&").utf8)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count - needle.count >= start else { return nil }
        var i = start
        let first = needle[0]
        while i <= haystack.count - needle.count {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
