import CollectdProtocol
import TimeSeries

/// The receiver's decoder sink: maps every value list to refs through the identity cache and
/// appends its values to a columnar batch. A value list seen before allocates nothing; a new
/// identity is mapped by `CollectdMapper` (the one statement of the mapping rules) and its
/// series resolved through the store, once.
struct IngestSink: CollectdSink {
    /// A new identity whose type was unknown or had another number of data sources (to log once).
    struct UnknownType {
        var list: ValueList
        var match: MappingResult.TypeMatch
    }

    var error: CollectdProtocolError?
    var cache: IdentityCache
    var batch = IngestBatch()
    var delta = CollectdCounters()
    /// Filled on misses only; the handler logs and empties them.
    var unknownTypes: [UnknownType] = []
    var storeErrors: [String] = []
    var storeRejections: [String] = []

    let mapper: CollectdMapper
    let appender: any SeriesAppender
    let database: String

    init(mapper: CollectdMapper, appender: any SeriesAppender, database: String, cacheCapacity: Int) {
        self.mapper = mapper
        self.appender = appender
        self.database = database
        cache = IdentityCache(capacity: cacheCapacity)
    }

    mutating func authenticated(user: String) {}

    mutating func valueList(_ list: borrowing ValueListView) {
        let count = list.count
        delta.valuesReceived &+= UInt64(count)
        let hash = IdentityCache.hash(list)
        let index: Int
        if let cached = cache.lookup(list, hash: hash) {
            index = cached
        } else if let inserted = resolve(list, hash: hash) {
            index = inserted
        } else {
            delta.valuesDropped["store_error", default: 0] &+= UInt64(count)
            return
        }
        let entry = cache.entries[index]
        if entry.unknownType >= 0 {
            delta.unknownTypes[cache.typeNames[Int(entry.unknownType)], default: 0] &+= UInt64(count)
        }
        if entry.dropValues {
            delta.valuesDropped["unknown_type", default: 0] &+= UInt64(count)
            return
        }
        let time = mapper.options.precision.floor(list.time)
        var nonFinite = 0
        var rejected = 0
        let start = Int(entry.refStart)
        for position in 0..<count {
            let value = list.doubleValue(at: position)
            guard value.isFinite else {
                nonFinite += 1
                continue
            }
            let ref = cache.refs[start + position]
            guard ref != IdentityCache.rejected else {
                rejected += 1
                continue
            }
            batch.rows.append(ref, time: time, float: value)
        }
        batch.values &+= count - nonFinite - rejected
        if nonFinite > 0 { delta.valuesDropped["nan", default: 0] &+= UInt64(nonFinite) }
        if rejected > 0 { delta.valuesDropped["store_rejected", default: 0] &+= UInt64(rejected) }
    }

    mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int) {
        delta.valuesReceived &+= UInt64(list.count)
        delta.valuesDropped["invalid_value_list", default: 0] &+= UInt64(list.count)
    }

    mutating func notification(_ notification: Notification) {
        delta.notifications &+= 1
        batch.notifications.append(mapper.map(notification))
    }

    mutating func droppedNotification() {
        delta.notificationsDropped &+= 1
    }

    /// Maps a new identity with `CollectdMapper` and resolves its series; the cache entry, or
    /// nil when the store could not be reached (nothing is cached then, so it is retried).
    private mutating func resolve(_ list: borrowing ValueListView, hash: UInt64) -> Int? {
        var model = list.materialize()
        // Finite placeholders: every position then yields its series and field.
        model.values = Array(repeating: .gauge(0), count: model.values.count)
        var points: [Point] = []
        let result = mapper.map(model, into: &points)
        var unknownName: String?
        if result.typeMatch != .known {
            unknownName = model.type
            unknownTypes.append(UnknownType(list: model, match: result.typeMatch))
        }
        if result.droppedUnknown > 0 {
            return cache.insert(list, hash: hash, refs: [], unknownType: unknownName, dropValues: true)
        }
        var refs: [FieldRef] = []
        refs.reserveCapacity(model.values.count)
        do {
            for point in points {
                let specs = point.fields.map { FieldSpec($0.name, .float) }
                switch try appender.resolve(database: database, key: point.key, fields: specs) {
                case .refs(let resolved): refs.append(contentsOf: resolved)
                case .conflict(let message):
                    storeRejections.append(message)
                    refs.append(contentsOf: Array(repeating: IdentityCache.rejected, count: specs.count))
                }
            }
        } catch {
            storeErrors.append("\(error)")
            return nil
        }
        // Split gives one point per value, join one field per value: positions line up.
        guard refs.count == model.values.count else { return nil }
        return cache.insert(list, hash: hash, refs: refs, unknownType: unknownName, dropValues: false)
    }
}
