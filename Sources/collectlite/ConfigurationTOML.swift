/// A reader for the subset of TOML that collectlite's configuration file uses: `[table]` and
/// `[table.sub]` headers, `key = value` with basic/literal strings, integers, booleans and
/// arrays of strings, and `#` comments.
///
/// Keys come back flattened with their table path: `[collectd]` + `bind = …` → `collectd.bind`.
struct ConfigurationTOML: Sendable, Hashable {
    enum Value: Sendable, Hashable {
        case string(String)
        case integer(Int64)
        case boolean(Bool)
        case strings([String])
    }

    private(set) var values: [String: Value] = [:]

    subscript(key: String) -> Value? { values[key] }

    /// Parses `text`; throws `ConfigurationError.file` with the 1-based line of the fault.
    init(parsing text: String, file: String = "config") throws {
        var table = ""
        var lineNumber = 0
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let raw = lines.popFirst() {
            lineNumber += 1
            func fail(_ reason: String) -> ConfigurationError { .file(path: file, line: lineNumber, reason: reason) }
            var scanner = Scanner(String(raw.hasSuffix("\r") ? raw.dropLast() : raw))
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }
            if scanner.peek == "[" {
                scanner.advance()
                guard let name = scanner.readUntil("]"), !name.isEmpty else { throw fail("bad table header") }
                scanner.advance()
                scanner.skipSpaces()
                guard scanner.atEndOrComment else { throw fail("unexpected text after table header") }
                let parts = name.split(separator: ".", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
                guard parts.allSatisfy(Self.isBareKey) else { throw fail("bad table name \"\(name)\"") }
                table = parts.joined(separator: ".")
                continue
            }
            guard let keyText = scanner.readUntil("=") else { throw fail("expected key = value") }
            scanner.advance()
            let key = keyText.trimmingSpaces
            let path = key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2 ? String(key.dropFirst().dropLast()) : key
            guard !path.isEmpty, key.hasPrefix("\"") || Self.isBareKey(path) else { throw fail("bad key \"\(key)\"") }
            scanner.skipSpaces()
            var value = try scanner.readValue(fail)
            // A multi-line array continues on the following lines.
            while case .none = value {
                guard let next = lines.popFirst() else { throw fail("unterminated array") }
                lineNumber += 1
                scanner.continueWith(String(next))
                value = try scanner.readValue(fail)
            }
            scanner.skipSpaces()
            guard scanner.atEndOrComment else { throw fail("unexpected text after value") }
            let full = table.isEmpty ? path : table + "." + path
            guard values[full] == nil else { throw fail("duplicate key \"\(full)\"") }
            values[full] = value!
        }
    }

    static func isBareKey(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension String {
    var trimmingSpaces: String { self[...].trimmingSpaces }
}
