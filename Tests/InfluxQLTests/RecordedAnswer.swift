import Foundation
import Testing

/// One recorded answer of InfluxDB 1.6.7 (Fixtures/errors.jsonl, made by Fixtures/record.sh).
struct RecordedAnswer: Sendable, CustomTestStringConvertible {
    /// The `q` parameter sent.
    var q: String
    /// InfluxDB's parse error text (after `error parsing query: `), or nil when it parsed.
    var error: String?

    var testDescription: String { q }

    /// Inputs where collectlite knowingly differs from InfluxDB, with the reason.
    static let knownDifferences: [String: String] = [
        "SELECT a FROM m tz('Foo/Bar')": "time zones are resolved by the engine, not the parser",
    ]

    static let all: [RecordedAnswer] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/errors.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let q = obj["q"] as? String else { return nil }
            return RecordedAnswer(q: q, error: obj["error"] as? String)
        }
    }()
}
