import ArgumentParser

@main
struct Collectlite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectlite",
        abstract: "A collectd receiver that stores samples in SQLite and answers InfluxQL like InfluxDB 1.x.",
        discussion: """
            collectd agents send to UDP 25826; Grafana's InfluxDB datasource reads from HTTP 8086.
            Start with `collectlite serve`; ask ad-hoc questions with `collectlite query`.
            """,
        subcommands: [ServeCommand.self, QueryCommand.self, TypesCommand.self, SendCommand.self, UserCommand.self]
    )
}
