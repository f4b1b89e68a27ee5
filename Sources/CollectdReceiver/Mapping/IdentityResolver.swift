import CollectdProtocol
import Logging
import Synchronization
import TimeSeries

/// A value list whose identity the reader has not resolved yet, kept compact (two small
/// arrays): its identity key bytes and hash as the reader's `IdentityCache` makes them, its
/// time and its values as doubles.
public struct PendingValueList: Sendable {
    var key: [UInt8]
    var hash: UInt64
    var time: Int64
    var values: [Double]

    /// Bytes it holds in the queue.
    var byteCount: Int { key.count + 8 * values.count + 96 }

    /// The identity's parts, decoded from the key bytes.
    func valueList() -> ValueList? {
        var parts: [String] = []
        var at = 0
        for _ in 0..<5 {
            guard at < key.count else { return nil }
            let length = Int(key[at])
            guard at + 1 + length <= key.count else { return nil }
            parts.append(String(decoding: key[(at + 1)..<(at + 1 + length)], as: UTF8.self))
            at += 1 + length
        }
        return ValueList(
            host: parts[0], plugin: parts[1], pluginInstance: parts[2], type: parts[3], typeInstance: parts[4],
            time: time, interval: 0, values: Array(repeating: .gauge(0), count: values.count))
    }
}

/// Resolves new identities on the store writer's thread, so creating series (mapping, index,
/// open chunks) never holds up the socket reader: a burst of new hosts waits in the queue, not
/// in the kernel's receive buffer. Each resolution is handed back to the reader, whose identity
/// cache then maps later value lists of that identity by itself.
final class IdentityResolver: @unchecked Sendable {
    /// What an identity resolved to, for the reader's cache.
    struct Resolved: Sendable {
        var key: [UInt8]
        var hash: UInt64
        var refs: [FieldRef]
        var unknownType: String?
        var dropValues: Bool
    }

    let mapper: CollectdMapper
    let appender: any SeriesAppender
    let database: String
    /// The retention policy (nil: the database's default).
    let policy: String?
    let logger: Logger
    let capacity: Int
    // Writer thread only.
    private var known: [[UInt8]: Resolved] = [:]
    private var generation: UInt64
    private var reportedTypes: Set<String> = []
    private var storeLog = RateLimiter(burst: 5, window: .seconds(10))
    // Writer → reader.
    private let handoff = Mutex<[Resolved]>([])
    private let handoffReady = Atomic<Bool>(false)

    init(mapper: CollectdMapper, appender: any SeriesAppender, database: String, policy: String? = nil, logger: Logger, capacity: Int) {
        self.mapper = mapper
        self.appender = appender
        self.database = database
        self.policy = policy
        self.logger = logger
        self.capacity = max(1, capacity)
        generation = appender.appendGeneration
    }

    /// Resolves each pending list (once per identity) and appends its values to `rows`.
    func append(_ pending: [PendingValueList], to rows: inout ColumnBatch, delta: inout CollectdCounters) {
        let current = appender.appendGeneration
        if current != generation {
            generation = current
            known.removeAll()
        }
        var published: [Resolved] = []
        for item in pending {
            let resolved: Resolved
            if let cached = known[item.key] {
                resolved = cached
            } else if let fresh = resolve(item) {
                if known.count >= capacity { known.removeAll() }
                known[item.key] = fresh
                published.append(fresh)
                resolved = fresh
            } else {
                delta.valuesDropped["store_error", default: 0] += UInt64(item.values.count)
                continue
            }
            let count = item.values.count
            if let type = resolved.unknownType { delta.unknownTypes[type, default: 0] += UInt64(count) }
            if resolved.dropValues {
                delta.valuesDropped["unknown_type", default: 0] += UInt64(count)
                continue
            }
            let (nonFinite, rejected) = IdentityCache.appendRows(
                count: count, time: mapper.options.precision.floor(item.time),
                ref: { resolved.refs[$0] }, value: { item.values[$0] }, to: &rows)
            if nonFinite > 0 { delta.valuesDropped["nan", default: 0] += UInt64(nonFinite) }
            if rejected > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(rejected) }
        }
        if !published.isEmpty {
            handoff.withLock { $0.append(contentsOf: published) }
            handoffReady.store(true, ordering: .releasing)
        }
    }

    /// Resolutions not yet taken by the reader (cheap when there are none).
    func takeResolved() -> [Resolved] {
        guard handoffReady.exchange(false, ordering: .acquiringAndReleasing) else { return [] }
        return handoff.withLock { items in
            defer { items = [] }
            return items
        }
    }

    /// Maps a new identity with `CollectdMapper` and resolves its series; nil when the store
    /// could not be reached (nothing is remembered then, so it is tried again).
    private func resolve(_ item: PendingValueList) -> Resolved? {
        // Finite placeholder values: every position then yields its series and field.
        guard let model = item.valueList() else { return nil }
        var points: [Point] = []
        let result = mapper.map(model, into: &points)
        var unknownName: String?
        if result.typeMatch != .known {
            unknownName = model.type
            reportUnknownType(model, result.typeMatch)
        }
        if result.droppedUnknown > 0 {
            return Resolved(key: item.key, hash: item.hash, refs: [], unknownType: unknownName, dropValues: true)
        }
        var refs: [FieldRef] = []
        refs.reserveCapacity(model.values.count)
        do {
            for point in points {
                let specs = point.fields.map { FieldSpec($0.name, .float) }
                switch try appender.resolve(database: database, policy: policy, key: point.key, fields: specs) {
                case .refs(let resolved): refs.append(contentsOf: resolved)
                case .conflict(let message):
                    if let suppressed = storeLog.admit() {
                        logger.warning("store rejected collectd values", metadata: ["reason": "\(message)", "suppressed": "\(suppressed)"])
                    }
                    refs.append(contentsOf: Array(repeating: IdentityCache.rejected, count: specs.count))
                }
            }
        } catch {
            if let suppressed = storeLog.admit() {
                logger.error("cannot store collectd values", metadata: ["error": "\(error)", "suppressed": "\(suppressed)"])
            }
            return nil
        }
        // Split gives one point per value, join one field per value: positions line up.
        guard refs.count == model.values.count else { return nil }
        return Resolved(key: item.key, hash: item.hash, refs: refs, unknownType: unknownName, dropValues: false)
    }

    private func reportUnknownType(_ list: ValueList, _ match: MappingResult.TypeMatch) {
        guard reportedTypes.count < 10_000, reportedTypes.insert(list.type).inserted else { return }
        let problem: String
        switch match {
        case .countMismatch(let expected):
            problem = "has \(list.values.count) values but types.db declares \(expected) data sources"
        default:
            problem = "is not in the types database"
        }
        let action = mapper.options.unknownTypes == .keep
            ? "values kept with positional field names (value, value0, value1, ...)"
            : "values dropped (--collectd-unknown-types drop)"
        logger.warning(
            "collectd type \"\(list.type)\" \(problem); \(action); add its types.db with --typesdb PATH",
            metadata: ["identifier": "\(list.identifier)"])
    }
}
