import ArgumentParser
import CollectdProtocol
import CollectdReceiver
import Foundation
import Logging
import ServiceLifecycle
import SQLiteStore
import TimeSeries

/// `collectlite serve`: the collectd receiver (and the HTTP API) over one store, as one
/// ServiceGroup that shuts down gracefully on SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive collectd packets on UDP and answer InfluxQL over HTTP.",
        discussion: """
            Every option can also be set as environment variable COLLECTLITE_<OPTION> (e.g.
            COLLECTLITE_COLLECTD_BIND) or in the TOML file given by --config (`collectd-bind = ...`,
            or `bind = ...` under `[collectd]`). Precedence: option > variable > file > default.
            """
    )

    @Option(help: "TOML configuration file.") var config: String?
    @Option(help: "Directory of the database files (default ./data).") var dataDir: String?
    @Option(help: "Duration of the autogen retention policy of databases collectlite creates, e.g. 30d (default infinite); ALTER RETENTION POLICY changes it later.") var retention: String?
    @Option(help: "How often received collectd samples are made durable (default 1s); an HTTP /write is made durable before it is answered.") var flushInterval: String?
    @Option(help: "UDP address for collectd, host:port or [ipv6]:port; multicast groups are joined (default 0.0.0.0:25826).")
    var collectdBind: String?
    @Option(help: "Database collectd values go to (default collectd).") var collectdDatabase: String?
    @Option(help: "Retention policy of that database collectd values go to (default: the database's default policy).")
    var collectdRetentionPolicy: String?
    @Option(help: "none, sign or encrypt (default none).") var collectdSecurityLevel: String?
    @Option(help: "collectd auth file (user: password per line).") var collectdAuthFile: String?
    @Option(help: "split (measurement <plugin>_<ds>) or join (measurement <plugin>) (default split).")
    var collectdMultivalue: String?
    @Option(help: "SO_RCVBUF to request (default 8MiB).") var collectdReadBuffer: String?
    @Option(help: "keep (positional field names) or drop values of types not in types.db (default keep).")
    var collectdUnknownTypes: String?
    @Option(help: "Stored timestamp precision: ns, us, ms or s (default ms).") var collectdPrecision: String?
    @Option(help: "Memory for collectd values waiting for the store before new ones are dropped: a size such as 64MiB, or a plain number of values (24 bytes each; default 128MiB).")
    var collectdQueueSize: String?
    @Option(help: "types.db file or directory, merged over the embedded types (repeatable).")
    var typesdb: [String] = []
    @Option(help: "HTTP address for the InfluxDB API (default 0.0.0.0:8086).") var httpBind: String?
    @Option(help: "HTTP users file written by `collectlite user add`; its users are admins and authentication is on.")
    var httpAuthFile: String?
    @Flag(help: "Authenticate and authorize HTTP requests as InfluxDB's auth-enabled: users and grants from CREATE USER / GRANT (kept in the data directory), the first admin creatable without credentials.")
    var httpAuthEnabled = false
    @Option(help: "Rows of a non-chunked /query answer before it is cut and marked partial, as InfluxDB's max-row-limit (default 0: unlimited).")
    var httpMaxRowLimit: String?
    @Option(help: "TLS certificate (PEM) for HTTPS.") var httpTlsCert: String?
    @Option(help: "TLS private key (PEM) for HTTPS.") var httpTlsKey: String?
    @Option(help: "Serve the web console at / (true or false; default true).") var httpConsole: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?

    /// The flags given on the command line, by name.
    var givenFlags: [String: [String]] {
        let single: [(String, String?)] = [
            ("data-dir", dataDir), ("retention", retention), ("flush-interval", flushInterval),
            ("collectd-bind", collectdBind), ("collectd-database", collectdDatabase),
            ("collectd-retention-policy", collectdRetentionPolicy),
            ("collectd-security-level", collectdSecurityLevel), ("collectd-auth-file", collectdAuthFile),
            ("collectd-multivalue", collectdMultivalue), ("collectd-read-buffer", collectdReadBuffer),
            ("collectd-unknown-types", collectdUnknownTypes), ("collectd-precision", collectdPrecision),
            ("collectd-queue-size", collectdQueueSize), ("http-bind", httpBind),
            ("http-auth-file", httpAuthFile), ("http-tls-cert", httpTlsCert), ("http-tls-key", httpTlsKey),
            ("http-console", httpConsole),
            ("log-level", logLevel), ("http-auth-enabled", httpAuthEnabled ? "true" : nil),
            ("http-max-row-limit", httpMaxRowLimit),
        ]
        var flags: [String: [String]] = [:]
        for (name, value) in single { if let value { flags[name] = [value] } }
        if !typesdb.isEmpty { flags["typesdb"] = typesdb }
        return flags
    }

    func run() async throws {
        let configuration: Configuration
        do {
            configuration = try Self.resolve(flags: givenFlags, config: config, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "collectlite")
        logger.logLevel = level
        try await Self.serve(configuration, logger: logger)
    }

    /// Reads the config file (from the flag or `COLLECTLITE_CONFIG`) and resolves all settings.
    static func resolve(flags: [String: [String]], config: String?, environment: [String: String]) throws -> Configuration {
        let path = config ?? environment[ConfigurationSources.environmentName(of: "config")]
        var file: ConfigurationTOML?
        if let path, !path.isEmpty {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError.unreadable(path: path, reason: "\(error.localizedDescription)")
            }
            file = try ConfigurationTOML(parsing: text, file: path)
        }
        return try Configuration(sources: ConfigurationSources(flags: flags, environment: environment, file: file, filePath: path ?? ""))
    }
}
