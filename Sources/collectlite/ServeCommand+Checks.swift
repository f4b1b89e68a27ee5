import CollectdReceiver
import Foundation
import InfluxQL
import Logging
import TimeSeries

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks `serve` makes before it listens, so a mistake fails at start with a message
/// naming the thing and the reason instead of as dropped values later.
extension ServeCommand {
    /// Creates the data directory (and its parents) when missing, checks that it and every
    /// database file in it can be written, and takes its single-writer lock.
    static func prepareDataDirectory(_ path: String, logger: Logger) throws(ConfigurationError) -> DataDirectoryLock {
        try makeDirectories(path)
        try requireWritable(path, what: "data directory", mode: W_OK | X_OK)
        let lock = try DataDirectoryLock(directory: path)
        if let stale = lock.stalePID {
            logger.notice("took over the stale lock \(lock.path) left by pid \(stale), which is no longer running")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names.sorted() where name.hasSuffix(".sqlite") || name.hasSuffix(".sqlite-wal") || name.hasSuffix(".sqlite-shm") {
            try requireWritable((path as NSString).appendingPathComponent(name), what: "database file", mode: R_OK | W_OK)
        }
        return lock
    }

    /// `mkdir -p`: the reason names the component that could not be made.
    static func makeDirectories(_ path: String) throws(ConfigurationError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? component : "/" + component
            if mkdir(prefix, 0o755) == 0 { continue }
            let code = errno
            var info = stat()
            if code == EEXIST, stat(prefix, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw .cannotCreateDirectory(path: path, reason: "\(prefix) exists and is not a directory")
                }
                continue
            }
            let reason = ConfigurationError.reason(errno: code)
            throw .cannotCreateDirectory(path: path, reason: prefix == path ? reason : "\(prefix): \(reason)")
        }
    }

    /// Fails unless this process (its effective user) may access `path` with `mode`.
    static func requireWritable(_ path: String, what: String, mode: Int32) throws(ConfigurationError) {
        if faccessat(AT_FDCWD, path, mode, AT_EACCESS) != 0 {
            throw .notWritable(path: path, what: what, reason: ConfigurationError.reason(errno: errno))
        }
    }

    /// Warns when anyone on the network could write and drop data.
    static func warnIfHTTPIsOpen(_ configuration: Configuration, logger: Logger) {
        guard configuration.httpAuthFile == nil, !configuration.httpAuthEnabled, !isLoopback(configuration.httpBind.host) else { return }
        logger.warning("""
            HTTP API on \(configuration.httpBind) has no authentication: anyone who can reach it can /write and \
            DROP DATABASE. Start with --http-auth-enabled and create an admin (CREATE USER … WITH ALL PRIVILEGES), \
            or add a user with `collectlite user add NAME --auth-file FILE` and start with --http-auth-file FILE, or listen on loopback only with --http-bind 127.0.0.1:\(configuration.httpBind.port)
            """)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

extension ServeCommand {
    /// `--retention` sets `autogen` only for databases created from now on: a note for each
    /// existing database whose `autogen` keeps samples for another duration, with the statement
    /// that changes it (after an upgrade, `--retention` used to apply to every database).
    static func noteRetentionOfExistingDatabases(_ store: any SeriesStore, retention: Int64?, logger: Logger) {
        guard let retention else { return }
        for database in (try? store.databases()) ?? [] {
            guard let autogen = (try? store.retentionPolicies(database: database))?.policy(named: "autogen"),
                  autogen.duration != retention else { continue }
            let kept = autogen.duration == 0 ? "ever" : InfluxDuration.format(autogen.duration)
            logger.notice("""
                --retention applies to databases created from now on; \(database)'s autogen keeps samples for \
                \(kept): ALTER RETENTION POLICY "autogen" ON "\(database)" DURATION \(InfluxDuration.format(retention)) changes it
                """)
        }
    }
}
