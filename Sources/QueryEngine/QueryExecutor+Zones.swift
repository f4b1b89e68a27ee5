import InfluxQL

extension QueryExecutor {
    /// The zone a SELECT's `tz()` names (nil without one); the parser has checked it exists.
    func zone(of s: SelectStatement) throws -> ZoneInfo? {
        guard let name = s.timezone else { return nil }
        guard let zone = zones.zone(named: name) else { throw QueryError("unable to find time zone \(name)") }
        return zone
    }
}
