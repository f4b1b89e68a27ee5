import Foundation

extension QueryCommand {
    /// A line prompt in the influx CLI's manner; every line run is appended to the history file.
    func interactive(source: Source) async throws {
        var database = self.database
        var format = self.format
        var precision = self.precision
        let historyPath = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.collectlite_history"
        let history = FileHandle(forWritingAtPath: historyPath) ?? {
            _ = FileManager.default.createFile(atPath: historyPath, contents: nil, attributes: [.posixPermissions: 0o600])
            return FileHandle(forWritingAtPath: historyPath)
        }()
        _ = try? history?.seekToEnd()
        print("collectlite query shell — database \(database); `exit` to leave, `help` for commands")
        explain("", source: source)
        while true {
            print("> ", terminator: "")
            fflush(nil)
            guard let line = readLine() else { print(""); break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            history?.write(Data((text + "\n").utf8))
            let words = text.split(separator: " ", maxSplits: 1).map(String.init)
            switch words[0].lowercased() {
            case "exit", "quit":
                return
            case "help":
                print("use <db> | format table|csv|json | precision rfc3339|ns|u|ms|s | history | exit | <InfluxQL>")
            case "history":
                let past = (try? String(contentsOfFile: historyPath, encoding: .utf8)) ?? ""
                for (i, entry) in past.split(separator: "\n").suffix(50).enumerated() { print("\(i + 1)  \(entry)") }
            case "use" where words.count == 2:
                database = words[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                print("Using database \(database)")
            case "format" where words.count == 2:
                if let f = OutputFormat(rawValue: words[1]) { format = f } else { print("ERR: unknown format \(words[1])") }
            case "precision" where words.count == 2:
                if let p = TimePrecision(rawValue: words[1]) { precision = p } else { print("ERR: unknown precision \(words[1])") }
            default:
                do {
                    _ = try await runOne(text, source: source, database: database, format: format, precision: precision)
                } catch {
                    print("ERR: \(error)")
                }
            }
        }
    }
}
