import CollectdProtocol
import CollectdReceiver
import InfluxHTTP
import Logging
import QueryEngine
import ServiceLifecycle
import SQLiteStore
import TimeSeries

extension ServeCommand {
    /// Opens the store, builds every service and runs them until SIGTERM/SIGINT.
    static func serve(_ configuration: Configuration, logger: Logger) async throws {
        logger.info("collectlite \(CollectliteVersion.number) (commit \(CollectliteVersion.commit)) starting")
        for (name, value) in configuration.summary {
            logger.info("setting \(name) = \(value)")
        }
        let lock = try prepareDataDirectory(configuration.dataDir, logger: logger)
        defer { lock.release() }
        warnIfHTTPIsOpen(configuration, logger: logger)
        let typesDB = try loadTypesDB(configuration.typesDB, logger: logger)
        let options = SQLiteStore.Options(
            flushInterval: ConfigurationValues.seconds(configuration.flushInterval),
            defaultRetention: configuration.retention.map(ConfigurationValues.nanoseconds))
        let store = try SQLiteStore(dataDirectory: configuration.dataDir, options: options, readOnly: false)
        noteRetentionOfExistingDatabases(store, retention: options.defaultRetention, logger: logger)
        let collectdStats = CollectdStats()
        let receiver = CollectdReceiverService(
            configuration: CollectdReceiverConfiguration(
                bind: configuration.collectdBind,
                database: configuration.collectdDatabase,
                retentionPolicy: configuration.collectdRetentionPolicy,
                securityLevel: configuration.collectdSecurityLevel,
                authFilePath: configuration.collectdAuthFile,
                typesDB: typesDB,
                mapping: MappingOptions(
                    multiValue: configuration.collectdMultiValue,
                    unknownTypes: configuration.collectdUnknownTypes,
                    precision: configuration.collectdPrecision),
                readBuffer: configuration.collectdReadBuffer,
                queueCapacity: configuration.collectdQueueSize),
            store: store,
            stats: collectdStats,
            logger: logger)
        let maintenance = StoreMaintenanceService(store: store, flushInterval: configuration.flushInterval, logger: logger,
                                                  idleWork: { HeapTrim.process.releaseIfIdle(quiet: .seconds(5)) })

        // Graceful shutdown runs in reverse order: ingest first, the store's close last.
        var services: [any Service] = [maintenance]
        let users = try UserRegistry(directory: configuration.dataDir,
                                     fileUsers: configuration.httpAuthFile.map(UserFile.load) ?? UserFile())
        let executor = QueryExecutor(store: store, users: users)
        let continuousQueries = ContinuousQueryRunner(store: store, executor: executor)
        executor.register(continuousQueries)
        var httpConfiguration = HTTPServerConfiguration(
            host: configuration.httpBind.host, port: configuration.httpBind.port,
            authFile: configuration.httpAuthFile, authEnabled: configuration.httpAuthEnabled,
            tlsCertificate: configuration.httpTLSCert, tlsKey: configuration.httpTLSKey,
            console: configuration.httpConsole)
        httpConfiguration.collectliteVersion = CollectliteVersion.description
        let http = InfluxHTTPService(
            configuration: httpConfiguration,
            store: store, executor: executor,
            stats: [collectdStats, store, continuousQueries], logger: logger, limits: QueryLimits(maxRows: configuration.httpMaxRowLimit), users: users,
            onServerRunning: { port in
                let scheme = configuration.httpTLSCert == nil ? "http" : "https"
                logger.info("http listening on \(scheme)://\(configuration.httpBind.host):\(port)")
            })
        // SHOW DIAGNOSTICS: the build (InfluxDB's columns, the version clients see in
        // X-Influxdb-Version) and the settings in force, named as InfluxDB names its own.
        executor.registerDiagnostics(
            [DiagnosticsModule(name: "build", facts: ["Branch": .string(""), "Build Time": .string(""),
                                                     "Commit": .string(CollectliteVersion.commit), "Version": .string(httpConfiguration.version)]),
             DiagnosticsModule(name: "collectlite", facts: ["version": .string(CollectliteVersion.number)]),
             DiagnosticsModule(name: "config-data", facts: ["dir": .string(configuration.dataDir),
                                                           "flush-interval": .string(QueryExecutor.goDuration(ConfigurationValues.nanoseconds(configuration.flushInterval)))]),
             DiagnosticsModule(name: "config-httpd", facts: [
                "bind-address": .string(configuration.httpBind.description), "auth-enabled": .boolean(configuration.httpAuthEnabled),
                "https-enabled": .boolean(configuration.httpTLSCert != nil), "max-row-limit": .integer(Int64(configuration.httpMaxRowLimit))]),
             DiagnosticsModule(name: "config-collectd", facts: [
                "bind-address": .string(configuration.collectdBind.description), "database": .string(configuration.collectdDatabase),
                "retention-policy": .string(configuration.collectdRetentionPolicy ?? ""),
                "security-level": .string("\(configuration.collectdSecurityLevel)"),
                "parse-multivalue-plugin": .string("\(configuration.collectdMultiValue)"),
                "typesdb": .string(configuration.typesDB.joined(separator: ","))])])
        // SHOW STATS shows the same figures as /metrics.
        executor.register(collectdStats)
        executor.register(store)
        executor.register(http.statsProvider)
        services.append(HTTPListenerService(http: http, address: configuration.httpBind.description) {
            _ = try await receiver.localAddress()
        })
        services.append(receiver)
        // Continuous queries start after the store and stop before it closes.
        services.insert(ContinuousQueryService(runner: continuousQueries, logger: logger), at: 1)

        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger)
        try await group.run()
        logger.info("collectlite stopped")
    }

    /// The embedded types plus every file given (a directory contributes every file below it);
    /// later definitions replace earlier ones.
    static func loadTypesDB(_ paths: [String], logger: Logger) throws -> TypesDB {
        var typesDB = TypesDB.embedded
        for path in paths {
            let before = typesDB.count
            try typesDB.load(path: path)
            logger.info("loaded types.db \(path)", metadata: ["types": "\(typesDB.count)", "new": "\(typesDB.count - before)"])
        }
        logger.info("types database holds \(typesDB.count) types")
        return typesDB
    }
}
