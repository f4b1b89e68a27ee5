import ArgumentParser

@main
struct Collectlite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectlite",
        abstract: "A collectd receiver that stores samples in SQLite and answers InfluxQL like InfluxDB 1.x.",
        subcommands: []
    )
}
