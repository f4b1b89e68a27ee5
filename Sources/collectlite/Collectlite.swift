import ArgumentParser
import Foundation

@main
struct Collectlite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectlite",
        abstract: "A collectd receiver that stores samples in SQLite and answers InfluxQL like InfluxDB 1.x.",
        discussion: """
            collectd agents send to UDP 25826; Grafana's InfluxDB datasource reads from HTTP 8086.
            Start with `collectlite serve`; ask ad-hoc questions with `collectlite query`.
            Move data in and out with `collectlite import`, `collectlite backup` and `collectlite restore`.
            """,
        version: CollectliteVersion.description,
        subcommands: [ServeCommand.self, QueryCommand.self, ImportCommand.self, BackupCommand.self, RestoreCommand.self,
                      TypesCommand.self, SendCommand.self, UserCommand.self]
    )

    /// Catches a misspelt subcommand before ArgumentParser reads it as stray arguments.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, let message = unknownCommandMessage(first) {
            FileHandle.standardError.write(Data("Error: \(message)\nUsage: collectlite <subcommand>\n  See 'collectlite --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(arguments)
    }
}
