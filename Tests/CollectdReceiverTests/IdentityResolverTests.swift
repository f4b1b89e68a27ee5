#if canImport(Glibc)
import Glibc
#endif
import CollectdProtocol
import Logging
import Synchronization
import Testing
import TimeSeries

@testable import CollectdReceiver
import TestSupport

/// The writer's memory of new identities spans only the time before the reader has them.
@Suite struct IdentityResolverTests {
    /// Counts the store lookups the resolver makes.
    final class CountingAppender: SeriesAppender {
        let base = MemoryStore()
        let calls = Mutex(0)
        func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
            calls.withLock { $0 += 1 }
            return try base.resolve(database: database, policy: policy, key: key, fields: fields)
        }
        func append(_ batch: ColumnBatch) throws -> AppendResult { try base.append(batch) }
        var appendGeneration: UInt64 { base.appendGeneration }
    }

    static func round(_ time: Int64) -> [[UInt8]] {
        var encoder = CollectdEncoder()
        var packets: [[UInt8]] = []
        for host in 0..<10 {
            for instance in ["", "a", "b", "c"] {
                packets += encoder.append(ValueList(host: "h\(host)", plugin: "p", pluginInstance: instance, type: "gauge",
                                                    time: time, interval: 0, values: [.gauge(Double(host))]))
            }
        }
        return packets + encoder.flush()
    }

    /// A counting store, a resolver writing into it, and a reader's sink with the same mapper.
    static func fixture() -> (CountingAppender, IdentityResolver, IngestSink) {
        let store = CountingAppender()
        let mapper = CollectdMapper(typesDB: .embedded)
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"))
        return (store, resolver, IngestSink(mapper: mapper, cacheCapacity: 1_000))
    }

    /// Two rounds of 40 new identities decoded before the writer resolved any, then the first
    /// round resolved into `scratch` (not yet appended).
    static func twoRoundsFirstResolved() throws
        -> (CountingAppender, IdentityResolver, IngestSink, IngestBatch, ColumnBatch, CollectdCounters) {
        let (store, resolver, fresh) = fixture()
        var sink = fresh
        let first = decode(round(1_000_000_000), &sink)
        let second = decode(round(11_000_000_000), &sink)
        var delta = CollectdCounters()
        var scratch = ColumnBatch()
        resolver.append(first.pending, to: &scratch, delta: &delta)
        return (store, resolver, sink, second, scratch, delta)
    }

    /// What the reader decodes into one batch.
    static func decode(_ packets: [[UInt8]], _ sink: inout IngestSink) -> IngestBatch {
        for packet in packets { packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &sink) } }
        defer { sink.batch = IngestBatch() }
        return sink.batch
    }

    @Test func eachIdentityIsResolvedOnceAndForgottenOnceTheReaderHasIt() throws {
        let (store, resolver, fresh) = Self.fixture()
        var sink = fresh
        #expect(resolver.takeResolved() == nil)
        #expect(MemoryLayout<IdentityCache.Entry>.stride == 32)

        // Two rounds of 40 new identities reach the queue before the writer resolves any.
        let first = Self.decode(Self.round(1_000_000_000), &sink)
        let second = Self.decode(Self.round(11_000_000_000), &sink)
        #expect(first.pending.count == 40 && second.pending.count == 40)
        // Only the first list of an identity carries its key.
        var keyed = (0, 0)
        first.pending.forEach { if $0.hasKey { keyed.0 += 1 } }
        second.pending.forEach { if $0.hasKey { keyed.1 += 1 } }
        #expect(keyed == (40, 0))
        #expect(second.pending.byteCount == 40 * (PendingLists.headerSize + 8) && first.pending.byteCount > second.pending.byteCount)
        var delta = CollectdCounters()
        var scratch = ColumnBatch()
        for batch in [first, second] {
            resolver.forget(absorbed: batch.absorbed)
            resolver.append(batch.pending, to: &scratch, delta: &delta)
        }
        #expect(store.calls.withLock { $0 } == 40)
        #expect(resolver.rememberedCount == 40)
        _ = try store.append(scratch)

        // The reader takes the resolutions; what it decodes next maps by its own cache.
        let taken = try #require(resolver.takeResolved())
        #expect(taken.resolved.count == 40 && taken.take == 1)
        sink.absorb(taken.resolved)
        sink.batch.absorbed = taken.take
        let third = Self.decode(Self.round(21_000_000_000), &sink)
        #expect(third.pending.isEmpty && third.rows.count == 40 && third.absorbed == 1)
        resolver.forget(absorbed: third.absorbed)
        #expect(resolver.rememberedCount == 0)
        _ = try store.append(third.rows)
        #expect(store.calls.withLock { $0 } == 40)

        let series = try store.base.series(database: "collectd", filter: .all, where: .always)
        #expect(series.count == 40)
        var samples = 0
        for entry in series { samples += try store.base.samples(database: "collectd", series: entry.id, field: "value").count }
        #expect(samples == 120)
    }

    @Test func aResolutionTakenAfterABatchWasDecodedIsKeptForIt() throws {
        var (store, resolver, sink, second, scratch, delta) = try Self.twoRoundsFirstResolved()
        // The reader takes them, but `second` was decoded before: its lists still hit.
        let taken = try #require(resolver.takeResolved())
        sink.absorb(taken.resolved)
        resolver.forget(absorbed: second.absorbed)
        resolver.append(second.pending, to: &scratch, delta: &delta)
        #expect(store.calls.withLock { $0 } == 40)
        #expect(scratch.count == 80)
        #expect(resolver.takeResolved() == nil)
    }

    /// The reader's shell tells the writer what it absorbed even when no datagram follows, so a
    /// burst of new hosts leaves nothing behind in the writer.
    @Test func aQuietSocketStillLetsTheWriterForget() throws {
        let store = CountingAppender()
        let mapper = CollectdMapper(typesDB: .embedded)
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"))
        let queue = IngestQueue(capacity: 1 << 24)
        let handler = CollectdDatagramHandler(
            decoder: CollectdDecoder(), sink: IngestSink(mapper: mapper, cacheCapacity: 1_000), resolver: resolver,
            queue: queue, stats: CollectdStats(), logger: Logger(label: "test"))
        var sender = sockaddr_storage()
        func write() {
            var batches = queue.nextBlocking()
            var delta = CollectdCounters()
            var scratch = ColumnBatch()
            _ = StoreWriter.write(batches, store: store.base, database: "collectd", resolver: resolver, scratch: &scratch, delta: &delta)
            queue.recycle(&batches)
        }
        handler.absorbResolved()
        for packet in Self.round(1_000_000_000) { packet.withUnsafeBytes { handler.process($0, sender: &sender) } }
        handler.burstComplete()
        write()
        #expect(resolver.rememberedCount == 40)
        // The socket is quiet: the reader takes the resolutions and hands over an empty batch.
        handler.absorbResolved()
        handler.burstComplete()
        queue.finish()  // so that `write` returns even when nothing was handed over
        write()
        #expect(resolver.rememberedCount == 0)
        #expect(store.calls.withLock { $0 } == 40)
    }

    /// Values in the store, per series key text and time.
    static func stored(_ store: MemoryStore) throws -> [String] {
        var out: [String] = []
        for entry in try store.series(database: "collectd", filter: .all, where: .always) {
            for sample in try store.samples(database: "collectd", series: entry.id, field: "value") {
                out.append("\(entry.key) \(sample.time) \(sample.value)")
            }
        }
        return out.sorted()
    }

    @Test func aRefusedKeyIsSentAgain() throws {
        let (store, resolver, fresh) = Self.fixture()
        var sink = fresh
        let lost = Self.decode(Self.round(1_000_000_000), &sink)
        sink.refused(lost)
        let next = Self.decode(Self.round(11_000_000_000), &sink)
        var keyed = 0
        next.pending.forEach { if $0.hasKey { keyed += 1 } }
        #expect(keyed == 40)
        var delta = CollectdCounters()
        var scratch = ColumnBatch()
        resolver.append(next.pending, to: &scratch, delta: &delta)
        _ = try store.append(scratch)
        #expect(try Self.stored(store.base).count == 40)
        #expect(delta.valuesDropped.isEmpty)
    }

    /// A drop between an identity's first list and its later ones: the later lists name the
    /// identity by number only, and the writer resolves it again from the key it kept.
    @Test func listsAfterADropAreResolvedAgain() throws {
        var (store, resolver, _, second, scratch, delta) = try Self.twoRoundsFirstResolved()
        _ = try store.append(scratch)
        try store.base.dropMeasurement(database: "collectd", name: "p_value")
        #expect(try Self.stored(store.base).isEmpty)
        scratch.removeAll()
        resolver.append(second.pending, to: &scratch, delta: &delta)
        _ = try store.append(scratch)
        #expect(try Self.stored(store.base).count == 40)
        #expect(store.calls.withLock { $0 } == 80)
        #expect(delta.valuesDropped.isEmpty)
    }

    /// A store that fails its first `failures` resolves, as the store did when a query opened a
    /// new database file while the writer created it.
    final class FailingAppender: SeriesAppender {
        let base = MemoryStore()
        let failures = Mutex(0)
        init(failures: Int) { self.failures.withLock { $0 = failures } }
        func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
            let fail = failures.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if fail { throw SeriesStoreError.databaseNotFound(database) }
            return try base.resolve(database: database, policy: policy, key: key, fields: fields)
        }
        func append(_ batch: ColumnBatch) throws -> AppendResult { try base.append(batch) }
        var appendGeneration: UInt64 { base.appendGeneration }
    }

    /// One failed resolve costs the values of that one list, not the identity: lists that name
    /// it by number are resolved from the key the writer kept, and once the reader has heard of
    /// the failure its next list carries the key again.
    @Test func aFailedResolveIsTriedAgainWithTheNextList() throws {
        let store = FailingAppender(failures: 1)
        let mapper = CollectdMapper(typesDB: .embedded)
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"))
        var sink = IngestSink(mapper: mapper, cacheCapacity: 1_000)
        let first = Self.decode(Self.round(1_000_000_000), &sink)
        let second = Self.decode(Self.round(11_000_000_000), &sink)
        var delta = CollectdCounters()
        var scratch = ColumnBatch()
        resolver.append(first.pending, to: &scratch, delta: &delta)
        #expect(delta.valuesDropped == ["store_error": 1] && scratch.count == 39)
        // The second round names every identity by number: the failed one is resolved from its kept key.
        resolver.append(second.pending, to: &scratch, delta: &delta)
        #expect(delta.valuesDropped == ["store_error": 1] && scratch.count == 79)
        _ = try store.append(scratch)
        #expect(try Self.stored(store.base).count == 79)

        // A failure the reader takes: its next list of that identity carries the key.
        let again = FailingAppender(failures: 1)
        let resolver2 = IdentityResolver(mapper: mapper, appender: again, database: "collectd", logger: Logger(label: "test"))
        var sink2 = IngestSink(mapper: mapper, cacheCapacity: 1_000)
        let lost = Self.decode(Self.round(1_000_000_000), &sink2)
        delta = CollectdCounters()
        scratch.removeAll()
        resolver2.append(lost.pending, to: &scratch, delta: &delta)
        #expect(delta.valuesDropped == ["store_error": 1])
        let taken = try #require(resolver2.takeResolved())
        #expect(taken.resolved.count == 40 && taken.resolved.filter(\.failed).count == 1)
        sink2.absorb(taken.resolved)
        sink2.batch.absorbed = taken.take
        let next = Self.decode(Self.round(11_000_000_000), &sink2)
        var keyed = 0
        next.pending.forEach { if $0.hasKey { keyed += 1 } }
        #expect(next.pending.count == 1 && keyed == 1 && next.rows.count == 39)
        resolver2.forget(absorbed: next.absorbed)
        #expect(resolver2.rememberedCount == 0)
        resolver2.append(next.pending, to: &scratch, delta: &delta)
        _ = try again.append(scratch)
        _ = try again.append(next.rows)
        #expect(delta.valuesDropped == ["store_error": 1])
        #expect(try Self.stored(again.base).count == 79)
        // The reader now maps the identity by itself.
        sink2.absorb(try #require(resolver2.takeResolved()).resolved)
        let third = Self.decode(Self.round(21_000_000_000), &sink2)
        #expect(third.pending.isEmpty && third.rows.count == 40)
    }

    /// Packing keeps every field of every list, with and without its key.
    @Test func pendingListsRoundTrip() {
        var rng = SeededGenerator(seed: 0x9E4D)
        var expected: [(UInt32, UInt64, Int64, Bool, [UInt8], [UInt64])] = []
        var lists = PendingLists()
        for list in IngestSinkTests.randomLists(&rng, count: 500) {
            var encoder = CollectdEncoder()
            let packet = (encoder.append(list) + encoder.flush())[0]
            struct Grab: CollectdSink {
                var error: CollectdProtocolError?
                var body: (borrowing ValueListView) -> Void
                mutating func authenticated(user: String) {}
                mutating func valueList(_ list: borrowing ValueListView) { body(list) }
                mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int) {}
                mutating func notification(_ notification: CollectdProtocol.Notification) {}
                mutating func droppedNotification() {}
            }
            let provisional = UInt32(truncatingIfNeeded: rng.next())
            let hash = rng.next()
            let withKey = rng.next() % 2 == 0
            var grab = Grab { view in
                lists.append(view, provisional: provisional, hash: hash, withKey: withKey)
                expected.append((provisional, hash, view.time, withKey, withKey ? IdentityCache.key(view) : [],
                                 (0..<view.count).map { view.doubleValue(at: $0).bitPattern }))
            }
            packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &grab) }
        }
        #expect(lists.count == expected.count && expected.count == 500)
        var i = 0
        lists.forEach { list in
            let e = expected[i]
            #expect(list.provisional == e.0 && list.hash == e.1 && list.time == e.2 && list.hasKey == e.3)
            #expect(Array(list.key) == e.4)
            #expect((0..<list.count).map { list.value(at: $0).bitPattern } == e.5)
            if e.3 {
                let model = IdentityCache.valueList(key: list.key, time: list.time)
                #expect(model?.values.count == list.count)
            }
            i += 1
        }
        #expect(i == 500)
    }
}
