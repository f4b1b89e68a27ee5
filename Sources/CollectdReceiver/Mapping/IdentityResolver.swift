import CollectdProtocol
import Logging
import Synchronization
import TimeSeries

/// Resolves new identities on the store writer's thread, so creating series (mapping, index,
/// open chunks) never holds up the socket reader: a burst of new hosts waits in the queue, not
/// in the kernel's receive buffer. Each resolution is handed back to the reader, whose identity
/// cache then maps later value lists of that identity by itself.
///
/// The writer remembers a resolution only until no queued batch can need it: each handoff the
/// reader takes is numbered, each batch carries the number of handoffs taken before its first
/// value list was decoded (`IngestBatch.absorbed`), and a resolution taken by handoff n is
/// forgotten once a batch with `absorbed >= n` arrives (the queue is in order). Value lists of
/// one identity that arrive before the reader took its resolution (a burst of new hosts, or
/// several rounds of them) are resolved once, found by the reader's provisional number for the
/// identity (`PendingLists`); nothing is kept for identities the reader knows.
final class IdentityResolver: @unchecked Sendable {
    /// What an identity resolved to, for the reader's cache.
    struct Resolved: Sendable {
        var key: [UInt8]
        var hash: UInt64
        var refs: [FieldRef]
        var unknownType: String?
        var dropValues: Bool
        /// The store could not resolve it (its values were counted as store errors). The writer
        /// keeps the key and tries again with the identity's next list; the reader, once it has
        /// this, sends the key again with that list.
        var failed = false
    }

    /// Resolutions waiting for the reader, and how many handoffs it has taken.
    private struct Handoff {
        var items: [Resolved] = []
        var takes: UInt64 = 0
    }

    /// A remembered resolution, the handoff that gives it to the reader, and the store's
    /// append generation it was made in.
    private struct Known {
        var resolved: Resolved
        var take: UInt64
        var generation: UInt64
    }

    let mapper: CollectdMapper
    let appender: any SeriesAppender
    let database: String
    /// The retention policy (nil: the database's default).
    let policy: String?
    let logger: Logger
    // Writer thread only. Never cleared wholesale: a later list of a pending identity names
    // only its number, so what is known here must last until the reader has the resolution.
    private var known: [UInt32: Known] = [:]
    /// Provisional numbers in the order they were handed off, with their handoff, for forgetting.
    private var order: [(take: UInt64, provisional: UInt32)] = []
    private var orderStart = 0
    private var generation: UInt64
    private var reportedTypes: Set<String> = []
    private var storeLog = RateLimiter(burst: 5, window: .seconds(10))
    // Writer → reader.
    private let handoff = Mutex(Handoff())
    private let handoffReady = Atomic<Bool>(false)

    init(mapper: CollectdMapper, appender: any SeriesAppender, database: String, policy: String? = nil, logger: Logger) {
        self.mapper = mapper
        self.appender = appender
        self.database = database
        self.policy = policy
        self.logger = logger
        generation = appender.appendGeneration
    }

    /// Resolutions the writer still remembers (for tests and memory accounting).
    var rememberedCount: Int { known.count }

    /// Forgets the resolutions of handoffs up to `absorbed`, which the reader had taken before
    /// it decoded the batch now being written (and every later one).
    func forget(absorbed: UInt64) {
        while orderStart < order.count && order[orderStart].take <= absorbed {
            let (take, provisional) = order[orderStart]
            if known[provisional]?.take == take { known[provisional] = nil }
            orderStart += 1
        }
        // Give back what a burst of new identities grew (removals keep a dictionary's size).
        if known.isEmpty && known.capacity > 4_096 { known = [:] }
        if orderStart == order.count {
            order.removeAll(keepingCapacity: order.capacity <= 4_096)
            orderStart = 0
        } else if orderStart >= 4_096 && orderStart * 2 >= order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    /// Resolves each pending list (once per identity) and appends its values to `rows`.
    func append(_ pending: PendingLists, to rows: inout ColumnBatch, delta: inout CollectdCounters) {
        // A drop makes refs stale: resolutions made before it are made again when used.
        generation = appender.appendGeneration
        var published: [(provisional: UInt32, resolved: Resolved)] = []
        pending.forEach { item in
            let count = item.count
            var resolved: Resolved
            if let cached = known[item.provisional], cached.generation == generation, !cached.resolved.failed {
                resolved = cached.resolved
            } else if let key = item.hasKey ? Array(item.key) : known[item.provisional]?.resolved.key {
                // Its handoff is known once published (below); until then it is never forgotten.
                // A failure is kept and published too: without its key here, and with the reader
                // sending later lists by number only, the identity would never be tried again.
                let fresh = resolve(key: key, hash: item.hash, time: item.time)
                    ?? Resolved(key: key, hash: item.hash, refs: [], unknownType: nil, dropValues: false, failed: true)
                known[item.provisional] = Known(resolved: fresh, take: .max, generation: generation)
                published.append((item.provisional, fresh))
                guard !fresh.failed else {
                    delta.valuesDropped["store_error", default: 0] += UInt64(count)
                    return
                }
                resolved = fresh
            } else {
                // Never expected: a list named by number whose key the writer never saw.
                delta.valuesDropped["store_error", default: 0] += UInt64(count)
                return
            }
            if let type = resolved.unknownType { delta.unknownTypes[type, default: 0] += UInt64(count) }
            if resolved.dropValues {
                delta.valuesDropped["unknown_type", default: 0] += UInt64(count)
                return
            }
            let (nonFinite, rejected) = IdentityCache.appendRows(
                count: count, time: mapper.options.precision.floor(item.time),
                ref: { resolved.refs[$0] }, value: { item.value(at: $0) }, to: &rows)
            if nonFinite > 0 { delta.valuesDropped["nan", default: 0] += UInt64(nonFinite) }
            if rejected > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(rejected) }
        }
        guard !published.isEmpty else { return }
        // The reader's next take hands these over.
        let take = handoff.withLock { state in
            state.items.append(contentsOf: published.lazy.map(\.resolved))
            return state.takes + 1
        }
        handoffReady.store(true, ordering: .releasing)
        for (provisional, _) in published {
            known[provisional]?.take = take
            order.append((take, provisional))
        }
    }

    /// Resolutions not yet taken by the reader, and the number of this handoff (counting from
    /// 1); nil when there are none (cheap then).
    func takeResolved() -> (resolved: [Resolved], take: UInt64)? {
        guard handoffReady.exchange(false, ordering: .acquiringAndReleasing) else { return nil }
        return handoff.withLock { state in
            guard !state.items.isEmpty else { return nil }
            defer { state.items = [] }
            state.takes += 1
            return (state.items, state.takes)
        }
    }

    /// Maps a new identity with `CollectdMapper` and resolves its series; nil when the store
    /// could not be reached (the caller keeps the key and tries again with the next list).
    private func resolve(key: [UInt8], hash: UInt64, time: Int64) -> Resolved? {
        // Finite placeholder values: every position then yields its series and field.
        guard let model = key.withUnsafeBytes({ IdentityCache.valueList(key: $0, time: time) }) else { return nil }
        var points: [Point] = []
        let result = mapper.map(model, into: &points)
        var unknownName: String?
        if result.typeMatch != .known {
            unknownName = model.type
            reportUnknownType(model, result.typeMatch)
        }
        if result.droppedUnknown > 0 {
            return Resolved(key: key, hash: hash, refs: [], unknownType: unknownName, dropValues: true)
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
        return Resolved(key: key, hash: hash, refs: refs, unknownType: unknownName, dropValues: false)
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
