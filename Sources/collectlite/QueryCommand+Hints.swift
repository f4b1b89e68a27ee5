import Foundation
import InfluxQL

/// Notes on standard error where a local answer alone would mislead: an empty data
/// directory answers nothing at all, and SHOW STATS in this process has no live counters.
extension QueryCommand {
    func explain(_ text: String, source: Source) {
        guard case .local(_, let directory, let databases) = source else { return }
        for note in Self.notes(for: text, directory: directory, databases: databases, database: database) {
            FileHandle.standardError.write(Data("note: \(note)\n".utf8))
        }
    }

    /// The notes for `text` run on a data directory holding `databases`; with empty `text`
    /// (an interactive session starting) only the one about the directory.
    static func notes(for text: String, directory: String, databases: [String], database: String) -> [String] {
        let statements = (try? InfluxQLParser.parse(text)) ?? []
        let onlyDatabases = !statements.isEmpty && statements.allSatisfy { $0 == .showDatabases }
        var notes: [String] = []
        if databases.isEmpty {
            if !onlyDatabases {
                notes.append("data directory \(directory) holds no database; give the directory `collectlite serve` writes to with --data-dir, or ask a running server with --url")
            }
        } else if !text.isEmpty, !onlyDatabases, !databases.contains(database) {
            notes.append("database \"\(database)\" is not in data directory \(directory), which holds \(databases.joined(separator: ", ")); choose one with --database, or give the directory `collectlite serve` writes to with --data-dir")
        }
        if statements.contains(where: { if case .showStats = $0 { true } else { false } }) {
            notes.append("SHOW STATS on a data directory shows only the database files' figures; the live receiver and HTTP counters come from the server: collectlite query --url http://HOST:8086 'SHOW STATS' (or curl http://HOST:8086/metrics)")
        }
        return notes
    }
}
