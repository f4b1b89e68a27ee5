#if canImport(Glibc)
import Glibc
#endif
import CollectdProtocol
import Logging
import Synchronization
import Testing
import TimeSeries

@testable import CollectdReceiver

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

    /// What the reader decodes into one batch.
    static func decode(_ packets: [[UInt8]], _ sink: inout IngestSink) -> IngestBatch {
        for packet in packets { packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &sink) } }
        defer { sink.batch = IngestBatch() }
        return sink.batch
    }

    @Test func eachIdentityIsResolvedOnceAndForgottenOnceTheReaderHasIt() throws {
        let store = CountingAppender()
        let mapper = CollectdMapper(typesDB: .embedded)
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"), capacity: 1_000)
        var sink = IngestSink(mapper: mapper, cacheCapacity: 1_000)
        #expect(resolver.takeResolved() == nil)

        // Two rounds of 40 new identities reach the queue before the writer resolves any.
        let first = Self.decode(Self.round(1_000_000_000), &sink)
        let second = Self.decode(Self.round(11_000_000_000), &sink)
        #expect(first.pending.count == 40 && second.pending.count == 40)
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
        let store = CountingAppender()
        let mapper = CollectdMapper(typesDB: .embedded)
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"), capacity: 1_000)
        var sink = IngestSink(mapper: mapper, cacheCapacity: 1_000)
        let first = Self.decode(Self.round(1_000_000_000), &sink)
        let second = Self.decode(Self.round(11_000_000_000), &sink)
        var delta = CollectdCounters()
        var scratch = ColumnBatch()
        resolver.append(first.pending, to: &scratch, delta: &delta)
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
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: "collectd", logger: Logger(label: "test"), capacity: 1_000)
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
}
