import CollectdProtocol
import TimeSeries

/// The receiver's decoder sink: maps every value list to refs through the identity cache and
/// appends its values to a columnar batch. A value list seen before allocates nothing; one of
/// a new identity is copied once into the batch's pending lists, and the writer resolves it
/// (`IdentityResolver`) and hands the refs back for the cache.
struct IngestSink: CollectdSink {
    var error: CollectdProtocolError?
    var cache: IdentityCache
    var batch = IngestBatch()
    var delta = CollectdCounters()

    let mapper: CollectdMapper

    init(mapper: CollectdMapper, cacheCapacity: Int) {
        self.mapper = mapper
        cache = IdentityCache(capacity: cacheCapacity)
    }

    mutating func authenticated(user: String) {}

    mutating func valueList(_ list: borrowing ValueListView) {
        let count = list.count
        delta.valuesReceived &+= UInt64(count)
        let hash = IdentityCache.hash(list)
        guard let index = cache.lookup(list, hash: hash) else {
            // A new identity: the writer resolves it; this list carries its key.
            let provisional = cache.insertPending(list, hash: hash)
            batch.pending.append(list, provisional: provisional, hash: hash, withKey: true)
            batch.values &+= count
            return
        }
        let entry = cache.entries[index]
        if entry.isPending {
            // Not resolved yet: the writer knows the identity by its number.
            batch.pending.append(list, provisional: entry.provisional, hash: hash, withKey: cache.takeKeyDue(index))
            batch.values &+= count
            return
        }
        if entry.unknownType >= 0 {
            delta.unknownTypes[cache.typeNames[Int(entry.unknownType)], default: 0] &+= UInt64(count)
        }
        if entry.dropValues {
            delta.valuesDropped["unknown_type", default: 0] &+= UInt64(count)
            return
        }
        let start = Int(entry.refStart)
        let time = mapper.options.precision.floor(list.time)
        let (nonFinite, rejected) = cache.refs.withUnsafeBufferPointer { refs in
            IdentityCache.appendRows(
                count: count, time: time, ref: { refs[start + $0] }, value: { list.doubleValue(at: $0) }, to: &batch.rows)
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

    /// Takes the writer's resolutions into the cache.
    mutating func absorb(_ resolved: [IdentityResolver.Resolved]) {
        for item in resolved {
            if item.failed {
                // The writer could not resolve it: the identity's next list carries its key again.
                if let index = cache.lookup(key: item.key, hash: item.hash), cache.entries[index].isPending {
                    cache.keyDue(index)
                }
                continue
            }
            if let index = cache.lookup(key: item.key, hash: item.hash) {
                if cache.entries[index].isPending {
                    cache.resolve(index, refs: item.refs, unknownType: item.unknownType, dropValues: item.dropValues)
                }
            } else {
                _ = cache.insert(key: item.key, hash: item.hash, refs: item.refs, unknownType: item.unknownType, dropValues: item.dropValues)
            }
        }
    }

    /// The queue refused `batch`: the pending identities whose key went with it send it again.
    mutating func refused(_ batch: IngestBatch) {
        batch.pending.forEach { list in
            if list.hasKey { cache.keyLost(hash: list.hash, provisional: list.provisional) }
        }
    }
}
