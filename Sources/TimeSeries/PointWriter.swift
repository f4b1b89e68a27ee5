/// Writes points through a `SeriesAppender`: each distinct series is resolved once per
/// writer (the per-request series cache of `/write`), then its values go in as columns.
public struct PointWriter {
    public let database: String
    /// The retention policy (nil: the database's default).
    public let policy: String?
    /// Per series: each field's ref and the type it was resolved with.
    private var cache: [SeriesKey: [String: (ref: FieldRef, type: FieldType)]] = [:]
    private var batch = ColumnBatch()

    public init(database: String, policy: String? = nil) {
        self.database = database
        self.policy = policy
    }

    /// Writes `points`; points whose field types conflict are rejected (`partialWrite`) and
    /// the others stored, as `SeriesStore.write` promises.
    public mutating func write(_ points: [Point], into appender: some SeriesAppender) throws {
        var rejected = 0
        var reason = ""
        batch.removeAll()
        batch.reserveCapacity(points.count)
        for point in points {
            if let known = cache[point.key], let refs = cachedRefs(point.fields, known) {
                for (field, ref) in zip(point.fields, refs) { batch.append(ref, time: point.time, value: field.value) }
                continue
            }
            // A new series or field: resolve, then re-check the type against the refs' fields.
            let specs = point.fields.map { FieldSpec($0.name, $0.value.type) }
            switch try appender.resolve(database: database, policy: policy, key: point.key, fields: specs) {
            case .conflict(let message):
                rejected += 1
                // InfluxDB names the first point it drops.
                if reason.isEmpty { reason = message }
            case .refs(let refs):
                var known = cache[point.key] ?? [:]
                for (spec, ref) in zip(specs, refs) { known[spec.name] = (ref, spec.type) }
                cache[point.key] = known
                for (field, ref) in zip(point.fields, refs) { batch.append(ref, time: point.time, value: field.value) }
            }
        }
        if !batch.isEmpty { _ = try appender.append(batch) }
        if rejected > 0 { throw SeriesStoreError.partialWrite(rejected: rejected, reason: reason) }
    }

    /// The cached refs of every field, when each is known with the value's type.
    private func cachedRefs(_ fields: [Field], _ known: [String: (ref: FieldRef, type: FieldType)]) -> [FieldRef]? {
        var out: [FieldRef] = []
        out.reserveCapacity(fields.count)
        for field in fields {
            guard let entry = known[field.name], entry.type == field.value.type else { return nil }
            out.append(entry.ref)
        }
        return out
    }
}
