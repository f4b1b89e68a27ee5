import Synchronization
import TimeSeries

extension StoreDatabase {
    /// Appends points to the head; SQL runs only at the next flush.
    /// - Returns: the number of rejected points and InfluxDB's text for the last rejection.
    func write(_ points: [Point]) throws -> (rejected: Int, reason: String) {
        let now = MonotonicClock.now()
        var written = 0
        let result: (Int, String, SeriesIndex?) = try writer.withLock { w in
            guard !w.closed else { throw SQLiteStoreError.closed(directory: path) }
            var rejected = 0
            var reason = ""
            var indexChanged = false
            let seq = w.nextSeq
            head.withLock { h in
                var previous = -1
                for point in points {
                    // collectd sends a host's values in the same order every interval, so the
                    // series after the previous one is usually predicted without hashing the key.
                    var cached: Int?
                    if previous >= 0, case let next = w.slots[previous].successor, next >= 0, w.slots[next].key == point.key {
                        cached = next
                    } else {
                        cached = w.cache[point.key]
                    }
                    if let conflict = Self.conflict(point, known: cached.map { w.slots[$0].fields }, types: w.index.fields[point.key.measurement]) {
                        rejected += 1
                        reason = conflict
                        continue
                    }
                    let slot: Int
                    if let cached {
                        slot = cached
                    } else {
                        slot = Self.makeSlot(for: point.key, in: &w)
                        indexChanged = true
                    }
                    if previous >= 0 { w.slots[previous].successor = slot }
                    previous = slot
                    for field in point.fields {
                        let headIndex: Int
                        if let found = w.slots[slot].fields.firstIndex(where: { $0.name == field.name }) {
                            headIndex = w.slots[slot].fields[found].head
                        } else {
                            headIndex = Self.makeFieldSlot(field, measurement: point.key.measurement, slot: slot, writer: &w, head: &h)
                            indexChanged = true
                        }
                        h.heads[headIndex].insert(time: point.time, value: field.value)
                        h.heads[headIndex].touch(seq: seq, now: now)
                        w.log.append(h.heads[headIndex].key, time: point.time, value: field.value)
                        written += 1
                    }
                }
            }
            return (rejected, reason, indexChanged ? w.index : nil)
        }
        if let published = result.2 { index.withLock { $0.index = published } }
        samplesWritten.add(written, ordering: .relaxed)
        return (result.0, result.1)
    }

    /// InfluxDB's field-type-conflict text when `point` clashes with the stored field types.
    private static func conflict(_ point: Point, known: [FieldSlot]?, types: [String: FieldInfo]?) -> String? {
        var message: String?
        for field in point.fields {
            var existing: FieldType?
            if let known = known?.first(where: { $0.name == field.name }) {
                existing = known.info.type
            } else {
                existing = types?[field.name]?.type
            }
            if let existing, existing != field.value.type {
                message = "field type conflict: input field \"\(field.name)\" on measurement \"\(point.key.measurement)\" is type \(field.value.type), already exists as type \(existing)"
            }
        }
        return message
    }

    private static func makeSlot(for key: SeriesKey, in w: inout WriterState) -> Int {
        let id: Int64
        if let existing = w.index.ids[key] {
            id = existing
        } else {
            id = w.index.nextSeriesID
            w.index.nextSeriesID += 1
            w.index.ids[key] = id
            w.index.keys[id] = key
            w.newSeries.append(id)
            w.indexDirty = true
        }
        w.slots.append(SeriesSlot(id: id, key: key))
        w.cache[key] = w.slots.count - 1
        return w.slots.count - 1
    }

    private static func makeFieldSlot(_ field: Field, measurement: String, slot: Int, writer w: inout WriterState, head h: inout HeadState) -> Int {
        let info: FieldInfo
        if let existing = w.index.fields[measurement]?[field.name] {
            info = existing
        } else {
            info = FieldInfo(id: w.index.nextFieldID, type: field.value.type)
            w.index.nextFieldID += 1
            w.index.fields[measurement, default: [:]][field.name] = info
            w.newFields.append((measurement, field.name, info))
            w.indexDirty = true
        }
        let key = HeadKey(series: w.slots[slot].id, field: info.id)
        let headIndex: Int
        if let existing = h.slots[key] {
            headIndex = existing
        } else {
            headIndex = h.heads.count
            h.heads.append(HeadSeries(key: key, type: info.type, baseSeq: w.nextSeq - 1))
            h.slots[key] = headIndex
        }
        w.slots[slot].fields.append(FieldSlot(name: field.name, info: info, head: headIndex))
        return headIndex
    }
}
