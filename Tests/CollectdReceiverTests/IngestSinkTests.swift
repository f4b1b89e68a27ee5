import CollectdProtocol
import Logging
import Testing
import TimeSeries

@testable import CollectdReceiver
import TestSupport

/// The ref-based receive path (decoder sink → identity cache → columns → appender) must store
/// exactly what the point path (decoded value lists → `CollectdMapper` → `write`) stores.
@Suite struct IngestSinkTests {
    static let database = "collectd"

    /// Random value lists over a small identity space, so identities repeat (cache hits).
    static func randomLists(_ rng: inout SeededGenerator, count: Int) -> [ValueList] {
        (0..<count).map { i in
            let type = CollectdMapperPropertyTests.types[Int(rng.next() % UInt64(CollectdMapperPropertyTests.types.count))]
            let values = 1 + Int(rng.next() % 3)
            return ValueList(
                host: "host\(rng.next() % 3)", plugin: ["cpu", "interface", "load"][Int(rng.next() % 3)],
                pluginInstance: rng.next() % 2 == 0 ? "" : "eth\(rng.next() % 2)", type: type,
                typeInstance: rng.next() % 3 == 0 ? "" : "user",
                time: 1_700_000_000_000_000_000 + Int64(i) * 1_000_000_007, interval: 10_000_000_000,
                values: (0..<values).map { _ in CollectdMapperPropertyTests.randomValue(&rng) })
        }
    }

    /// What the reader and the writer do with one datagram: decode into the sink, resolve the
    /// pending lists (writer), append both, and hand the resolutions back to the reader's cache.
    static func ingest(_ packet: [UInt8], _ sink: inout IngestSink, _ resolver: IdentityResolver, _ store: some SeriesAppender, _ delta: inout CollectdCounters) throws {
        if let (resolved, _) = resolver.takeResolved() { sink.absorb(resolved) }
        packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &sink) }
        #expect(sink.error == nil)
        var scratch = ColumnBatch()
        resolver.append(sink.batch.pending, to: &scratch, delta: &delta)
        _ = try store.append(scratch)
        _ = try store.append(sink.batch.rows)
        sink.batch.removeAll()
    }

    static func resolver(_ mapper: CollectdMapper, _ store: any SeriesAppender) -> IdentityResolver {
        IdentityResolver(mapper: mapper, appender: store, database: database, logger: Logger(label: "test"))
    }

    static func snapshot(_ store: MemoryStore) throws -> [String] {
        var lines: [String] = []
        for entry in try store.series(database: database, filter: .all, where: .always) {
            for field in try store.fieldKeys(database: database, measurement: entry.key.measurement) {
                for sample in try store.samples(database: database, series: entry.id, field: field.name) {
                    lines.append("\(entry.key) \(field.name) \(sample.time) \(sample.value)")
                }
            }
        }
        return lines.sorted()
    }

    @Test(arguments: MultiValueMode.allCases, UnknownTypePolicy.allCases)
    func refPathStoresWhatThePointPathStores(mode: MultiValueMode, policy: UnknownTypePolicy) throws {
        var rng = SeededGenerator(seed: 0x51AC ^ UInt64(mode == .split ? 1 : 2) ^ UInt64(policy == .keep ? 4 : 8))
        let mapper = CollectdMapper(typesDB: .embedded, options: MappingOptions(multiValue: mode, unknownTypes: policy, precision: .ms))
        var encoder = CollectdEncoder()
        var packets: [[UInt8]] = []
        for list in Self.randomLists(&rng, count: 3_000) { packets += encoder.append(list) }
        packets += encoder.flush()

        // Point path.
        let expected = MemoryStore()
        var nan = 0, unknown = 0
        for packet in packets {
            var points: [Point] = []
            for list in CollectdDecoder().decode(packet).valueLists {
                let r = mapper.map(list, into: &points)
                nan += r.skippedNonFinite
                unknown += r.droppedUnknown
            }
            try expected.write(points, database: Self.database)
        }

        // Ref path, with small caches so both also start afresh several times.
        let actual = MemoryStore()
        var sink = IngestSink(mapper: mapper, cacheCapacity: 7)
        let resolver = Self.resolver(mapper, actual)
        var writerDelta = CollectdCounters()
        for packet in packets { try Self.ingest(packet, &sink, resolver, actual, &writerDelta) }
        #expect(try Self.snapshot(actual) == Self.snapshot(expected))
        var total = sink.delta
        total.add(writerDelta)
        #expect(total.valuesDropped["nan", default: 0] == UInt64(nan))
        #expect(total.valuesDropped["unknown_type", default: 0] == UInt64(unknown))
        #expect(!sink.cache.entries.isEmpty && sink.cache.count <= 7)
    }

    @Test func aConflictingFieldTypeIsCountedAsRejected() throws {
        let store = MemoryStore()
        // The measurement exists with an integer `value` (e.g. from /write).
        try store.write([Point(measurement: "load_shortterm", tags: [Tag("host", "a")], fields: [Field("value", .integer(1))], time: 1)], database: Self.database)
        let mapper = CollectdMapper(typesDB: .embedded)
        var sink = IngestSink(mapper: mapper, cacheCapacity: 100)
        let resolver = Self.resolver(mapper, store)
        var encoder = CollectdEncoder()
        var packets = encoder.append(ValueList(host: "a", plugin: "load", type: "load", time: 2_000_000_000, interval: 0, values: [.gauge(1), .gauge(2), .gauge(3)]))
        packets += encoder.flush()
        var writerDelta = CollectdCounters()
        // The first datagram is resolved by the writer, the second mapped by the reader's cache.
        for packet in packets + packets { try Self.ingest(packet, &sink, resolver, store, &writerDelta) }
        #expect(writerDelta.valuesDropped["store_rejected"] == 1)
        #expect(sink.delta.valuesDropped["store_rejected"] == 1)
        #expect(sink.cache.count == 1)
        let shortterm = try store.series(database: Self.database, filter: .names(["load_shortterm"]), where: .always)
        #expect(try store.samples(database: Self.database, series: shortterm[0].id, field: "value").count == 1)
    }

    @Test func theCacheFindsEveryIdentityAgainAndStartsAfreshWhenFull() {
        func packets(hosts: Range<Int>) -> [[UInt8]] {
            var encoder = CollectdEncoder()
            var packets: [[UInt8]] = []
            for host in hosts {
                for instance in ["", "a", "bb", "a-much-longer-plugin-instance-name"] {
                    packets += encoder.append(ValueList(host: "h\(host)", plugin: "p", pluginInstance: instance, type: "gauge", time: 1, interval: 0, values: [.gauge(1)]))
                }
            }
            return packets + encoder.flush()
        }
        struct Collect: CollectdSink {
            var error: CollectdProtocolError?
            var cache = IdentityCache(capacity: 150)
            var hits = 0
            var inserted = 0
            mutating func authenticated(user: String) {}
            mutating func valueList(_ list: borrowing ValueListView) {
                let hash = IdentityCache.hash(list)
                if cache.lookup(list, hash: hash) != nil {
                    hits += 1
                } else {
                    _ = cache.insert(key: IdentityCache.key(list), hash: hash, refs: [FieldRef(database: 1, slot: UInt32(inserted))], unknownType: nil, dropValues: false)
                    inserted += 1
                }
            }
            mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int) {}
            mutating func notification(_ notification: CollectdProtocol.Notification) {}
            mutating func droppedNotification() {}
        }
        var sink = Collect()
        for packet in packets(hosts: 0..<50) { packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &sink) } }
        #expect(sink.inserted == 200 && sink.hits == 0)
        // 200 identities through a cache of 150: it started afresh once and holds the last 50.
        #expect(sink.cache.count == 50)
        for packet in packets(hosts: 38..<50) { packet.withUnsafeBytes { CollectdDecoder().decode(raw: $0, into: &sink) } }
        #expect(sink.hits == 48 && sink.inserted == 200)
    }
}
