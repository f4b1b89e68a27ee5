import Synchronization

/// Finds the zones `tz()` names, by the rules of Go's `time.LoadLocation` (which InfluxDB
/// 1.6.7 calls): `""` and `"UTC"` are UTC, `"Local"` the server's zone, names with `..` or
/// a leading slash are refused, anything else is a TZif file of the tz database.
public final class ZoneDatabase: Sendable {
    /// The TZif bytes of a zone name (nil when there is no such file).
    let load: @Sendable (String) -> [UInt8]?
    /// The TZif bytes of the server's own zone, for `tz('Local')` (nil: UTC).
    let local: @Sendable () -> [UInt8]?
    private let cache = Mutex<[String: ZoneInfo?]>([:])

    /// - Parameters:
    ///   - load: the bytes of a zone file by name (the shell reads the files).
    ///   - local: the bytes of the server's zone.
    public init(load: @escaping @Sendable (String) -> [UInt8]?, local: @escaping @Sendable () -> [UInt8]? = { nil }) {
        self.load = load
        self.local = local
    }

    /// A database knowing only UTC (tests that must not depend on the machine).
    public static let utcOnly = ZoneDatabase(load: { _ in nil })

    /// The zone of a name; nil when InfluxDB would answer "unable to find time zone".
    func zone(named name: String) -> ZoneInfo? {
        if name.isEmpty || name == "UTC" { return .utc }
        if let hit = cache.withLock({ $0[name] }) { return hit }
        let found = resolve(name)
        cache.withLock { $0[name] = .some(found) }
        return found
    }

    /// Whether `tz(name)` resolves (the parser's check).
    public func exists(_ name: String) -> Bool { zone(named: name) != nil }

    private func resolve(_ name: String) -> ZoneInfo? {
        if name == "Local" {
            guard let bytes = local() else { return .utc }
            return (try? ZoneInfo.parse(bytes, name: "Local")) ?? .utc
        }
        if name.contains("..") || name.hasPrefix("/") || name.hasPrefix("\\") { return nil }
        guard let bytes = load(name) else { return nil }
        return try? ZoneInfo.parse(bytes, name: name)
    }
}
