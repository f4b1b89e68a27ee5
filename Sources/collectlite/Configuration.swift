import CollectdProtocol
import CollectdReceiver
import Logging

/// The effective settings of `collectlite serve`, each resolved as flag > `COLLECTLITE_<FLAG>`
/// environment variable > `--config` TOML file > default.
struct Configuration: Sendable {
    var dataDir = "./data"
    /// nil keeps data forever.
    var retention: Duration?
    var flushInterval: Duration = .seconds(1)

    var collectdBind = BindAddress(host: "0.0.0.0", port: 25826)
    var collectdDatabase = "collectd"
    var collectdRetentionPolicy: String?
    var collectdSecurityLevel: SecurityLevel = .none
    var collectdAuthFile: String?
    var collectdMultiValue: MultiValueMode = .split
    var collectdReadBuffer = 8 << 20
    var collectdUnknownTypes: UnknownTypePolicy = .keep
    var collectdPrecision: TimePrecision = .ms
    /// Bytes of value rows the collectd queue may hold.
    var collectdQueueSize = 128 << 20
    /// Extra types.db files or directories, merged over the embedded types in order.
    var typesDB: [String] = []

    var httpBind = BindAddress(host: "0.0.0.0", port: 8086)
    var httpAuthFile: String?
    /// Authentication and per-database authorization with the users of CREATE USER/GRANT.
    var httpAuthEnabled = false
    /// InfluxDB's `max-row-limit`: rows of a non-chunked /query answer (0: unlimited).
    var httpMaxRowLimit = 0
    var httpTLSCert: String?
    var httpTLSKey: String?
    /// The web console at `/` of the HTTP API.
    var httpConsole = true

    var logLevel: Logger.Level = .info
    /// The configuration file read, if any.
    var configFile: String?

    init() {}

    /// Resolves every setting from its sources.
    init(sources: ConfigurationSources) throws {
        let s = sources
        configFile = s.filePath.isEmpty ? nil : s.filePath
        dataDir = try s.value("data-dir", default: dataDir, expected: "a directory") { $0.isEmpty ? nil : $0 }
        retention = try s.value("retention", default: nil, expected: "a duration such as 30d, or inf") { ConfigurationValues.retention($0) }
        flushInterval = try s.value("flush-interval", default: flushInterval, expected: "a positive duration such as 1s or 500ms") {
            ConfigurationValues.duration($0).flatMap { $0 > .zero ? $0 : nil }
        }
        collectdBind = try s.value("collectd-bind", default: collectdBind, expected: "host:port or [ipv6]:port") { try? BindAddress(parsing: $0) }
        collectdDatabase = try s.value("collectd-database", default: collectdDatabase, expected: "a database name") { $0.isEmpty ? nil : $0 }
        collectdRetentionPolicy = s.string("collectd-retention-policy").flatMap { $0.isEmpty ? nil : $0 }
        collectdSecurityLevel = try s.value("collectd-security-level", default: collectdSecurityLevel, expected: "none, sign or encrypt") {
            SecurityLevel(rawValue: $0.lowercased())
        }
        collectdAuthFile = s.string("collectd-auth-file")
        collectdMultiValue = try s.value("collectd-multivalue", default: collectdMultiValue, expected: "split or join") { MultiValueMode(rawValue: $0.lowercased()) }
        collectdReadBuffer = try s.value("collectd-read-buffer", default: collectdReadBuffer, expected: "a size such as 8MiB") { ConfigurationValues.size($0) }
        collectdUnknownTypes = try s.value("collectd-unknown-types", default: collectdUnknownTypes, expected: "keep or drop") { UnknownTypePolicy(rawValue: $0.lowercased()) }
        collectdPrecision = try s.value("collectd-precision", default: collectdPrecision, expected: "ns, us, ms or s") { TimePrecision(rawValue: $0.lowercased()) }
        collectdQueueSize = try s.value("collectd-queue-size", default: collectdQueueSize, expected: "a size such as 64MiB, or a plain number of values") { ConfigurationValues.queueSize($0) }
        typesDB = s.list("typesdb")
        httpBind = try s.value("http-bind", default: httpBind, expected: "host:port or [ipv6]:port") { try? BindAddress(parsing: $0) }
        httpAuthFile = s.string("http-auth-file")
        httpAuthEnabled = try s.value("http-auth-enabled", default: httpAuthEnabled, expected: "true or false") { ConfigurationValues.boolean($0) }
        httpMaxRowLimit = try s.value("http-max-row-limit", default: httpMaxRowLimit, expected: "a number of rows, 0 for unlimited") {
            Int($0.trimmingSpaces).flatMap { $0 >= 0 ? $0 : nil }
        }
        httpTLSCert = s.string("http-tls-cert")
        httpTLSKey = s.string("http-tls-key")
        httpConsole = try s.value("http-console", default: httpConsole, expected: "true or false") { Bool($0.lowercased()) }
        logLevel = try s.value("log-level", default: logLevel, expected: "trace, debug, info, notice, warning, error or critical") {
            Logger.Level(rawValue: $0.lowercased())
        }
        if (httpTLSCert == nil) != (httpTLSKey == nil) {
            throw ConfigurationError.invalidValue(
                setting: httpTLSCert == nil ? "--http-tls-cert" : "--http-tls-key", value: "", source: "settings",
                expected: "--http-tls-cert and --http-tls-key together")
        }
        if collectdSecurityLevel == .encrypt && collectdAuthFile == nil {
            throw ConfigurationError.invalidValue(
                setting: "--collectd-auth-file", value: "", source: "settings",
                expected: "an auth file (user: password lines) with --collectd-security-level encrypt")
        }
    }

    /// One line per setting, for the startup log.
    var summary: [(String, String)] {
        [
            ("config", configFile ?? "(none)"),
            ("data-dir", dataDir),
            ("retention", retention.map { "\($0)" } ?? "infinite"),
            ("flush-interval", "\(flushInterval)"),
            ("collectd-bind", collectdBind.description),
            ("collectd-database", collectdDatabase),
            ("collectd-retention-policy", collectdRetentionPolicy ?? "(the database's default)"),
            ("collectd-security-level", collectdSecurityLevel.rawValue),
            ("collectd-auth-file", collectdAuthFile ?? "(none)"),
            ("collectd-multivalue", collectdMultiValue.rawValue),
            ("collectd-precision", collectdPrecision.rawValue),
            ("collectd-unknown-types", collectdUnknownTypes.rawValue),
            ("collectd-read-buffer", String(collectdReadBuffer)),
            ("collectd-queue-size", collectdQueueSize % (1 << 20) == 0 ? "\(collectdQueueSize >> 20)MiB" : "\(collectdQueueSize)B"),
            ("typesdb", typesDB.isEmpty ? "(embedded only)" : typesDB.joined(separator: ", ")),
            ("http-bind", httpBind.description),
            ("http-auth", httpAuthEnabled || httpAuthFile != nil ? "on" : "off"),
            ("http-max-row-limit", httpMaxRowLimit == 0 ? "unlimited" : String(httpMaxRowLimit)),
            ("http-tls", httpTLSCert == nil ? "off" : "on"),
            ("http-console", httpConsole ? "on" : "off"),
            ("log-level", logLevel.rawValue),
        ]
    }
}
