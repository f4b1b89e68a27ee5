/// A shared time sequence a chunk's timestamps are coded against: `id` names it in the store
/// (stored in the chunk header), `times` are its timestamps (ascending, as stored).
///
/// Sample i of a version-3 chunk is coded as its distance from `times[i]`, so series sampled
/// together (the data sources of one collectd value list) pay one bit per equal timestamp.
public struct TimeReference: Sendable {
    /// The store's id of the sequence; ≥ 0 (written as a uvarint).
    public var id: Int64
    public var times: [Int64]

    public init(id: Int64, times: [Int64]) {
        self.id = id
        self.times = times
    }
}
