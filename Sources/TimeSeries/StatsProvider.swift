/// One group of runtime figures (a module's counters), shown by `/metrics` and `SHOW STATS`.
public struct StatsGroup: Sendable, Hashable {
    /// Group name, e.g. `collectd`, `store`, `queries` (becomes the SHOW STATS series name
    /// and the Prometheus prefix `collectlite_<name>_`).
    public var name: String
    public var tags: [Tag]
    /// Figures in a stable order; counters end in `_total` by convention.
    public var values: [(name: String, value: Double)]

    public init(name: String, tags: [Tag] = [], values: [(name: String, value: Double)]) {
        self.name = name
        self.tags = tags
        self.values = values
    }

    public static func == (lhs: StatsGroup, rhs: StatsGroup) -> Bool {
        lhs.name == rhs.name && lhs.tags == rhs.tags
            && lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.value) == rhs.values.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(tags)
    }
}

/// Anything that can report its figures on demand (receiver, store, query executor).
public protocol StatsProvider: Sendable {
    func stats() -> [StatsGroup]
}
