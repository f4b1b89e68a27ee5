import ArgumentParser
import CollectdProtocol
import Foundation

/// `collectlite types`: prints the effective collectd types (the embedded types.db plus
/// any extra files) and validates the extra files.
struct TypesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "types",
        abstract: "Print the effective collectd types and validate extra types.db files.",
        discussion: """
            The types compiled into collectlite (collectd 5.12's standard set) are loaded \
            first, then each --typesdb file or directory (recursively) in order; a later \
            definition of a type replaces an earlier one. Malformed lines are reported as \
            FILE:LINE: REASON and make the command exit with status 1.
            """
    )

    @Option(name: .customLong("typesdb"), help: ArgumentHelp("Extra types.db file or directory (repeatable).", valueName: "path"))
    var typesDB: [String] = []

    @Flag(help: "Only validate: print nothing but problems and a summary.")
    var check = false

    @Argument(help: "Print only these types.")
    var types: [String] = []

    func run() throws {
        var db = TypesDB.embedded
        var problems: [CollectdProtocolError] = []
        for path in typesDB {
            problems += db.loadReportingAll(path: path)
        }
        for problem in problems {
            Self.printError("\(problem)")
        }
        if !check && problems.isEmpty {
            let names = types.isEmpty ? db.names : types
            for name in names {
                guard let sources = db[name] else {
                    Self.printError("unknown type: \(name)")
                    problems.append(.typesDB(file: "<arguments>", line: 0, reason: "unknown type \(name)"))
                    continue
                }
                print(Self.line(name: name, sources: sources))
            }
        } else if problems.isEmpty {
            print("\(db.count) types, no problems")
        }
        if !problems.isEmpty {
            throw ExitCode(1)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// One type in types.db notation, name padded for alignment.
    static func line(name: String, sources: [DataSource]) -> String {
        let padded = name.count < 28 ? name + String(repeating: " ", count: 28 - name.count) : name + " "
        return padded + sources.map(\.typesDBNotation).joined(separator: ", ")
    }
}
