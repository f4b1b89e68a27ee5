import CollectdProtocol
import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport
import TimeSeries

#if canImport(Glibc)
import Glibc
#endif

@testable import CollectdReceiver

/// The service over real UDP on loopback, writing into the in-memory reference store.
@Suite struct CollectdReceiverServiceTests {
    static let t0: Int64 = 1_700_000_000_000_000_000

    /// `hosts` × `steps` load value lists, one second apart, encoded as collectd would send them.
    static func loadPackets(hosts: Int, steps: Int, encoder: CollectdEncoder = CollectdEncoder()) -> [[UInt8]] {
        var encoder = encoder
        var packets: [[UInt8]] = []
        for step in 0..<steps {
            for host in 0..<hosts {
                let list = ValueList(host: "host\(host)", plugin: "load", type: "load",
                                     time: t0 + Int64(step) * 1_000_000_000, interval: 1_000_000_000,
                                     values: [.gauge(Double(step)), .gauge(Double(host)), .gauge(0.5)])
                packets += encoder.append(list)
            }
        }
        return packets + encoder.flush()
    }

    /// Runs the service, sends `datagrams`, shuts down gracefully and returns the service.
    static func run(
        _ configuration: CollectdReceiverConfiguration, store: any SeriesStore, send datagrams: [[UInt8]],
        afterSending: @Sendable (CollectdReceiverService) async throws -> Void = { _ in }
    ) async throws -> CollectdReceiverService {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let service = CollectdReceiverService(configuration: configuration, store: store, logger: logger)
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let address = try await service.localAddress()
            let sender = UDPSender(port: address.port!)
            for datagram in datagrams { #expect(sender.send(datagram)) }
            try await afterSending(service)
            // Everything sent is in the socket's kernel queue now; shutdown must read it all.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return service
    }

    static func localConfiguration() -> CollectdReceiverConfiguration {
        CollectdReceiverConfiguration(bind: BindAddress(host: "127.0.0.1", port: 0))
    }

    static func count(_ store: any SeriesStore, database: String = "collectd", policy: String? = nil) throws -> Int {
        var total = 0
        for entry in try store.series(database: database, filter: .all, where: .always) {
            for field in try store.fieldKeys(database: database, measurement: entry.key.measurement) {
                total += try store.samples(database: database, policy: policy, series: entry.id, field: field.name).count
            }
        }
        return total
    }

    @Test func storesEveryValueSentBeforeShutdown() async throws {
        let store = MemoryStore()
        let packets = Self.loadPackets(hosts: 20, steps: 50)
        let service = try await Self.run(Self.localConfiguration(), store: store, send: packets)
        let c = service.stats.snapshot
        #expect(c.datagrams == UInt64(packets.count))
        #expect(c.valuesReceived == 3_000)
        #expect(c.valuesStored == 3_000)
        #expect(c.valuesDroppedTotal == 0)
        #expect(try Self.count(store) == 3_000)
        #expect(try store.measurements(database: "collectd", filter: .all) == ["load_longterm", "load_midterm", "load_shortterm"])
        let host7 = try store.series(database: "collectd", filter: .names(["load_midterm"]), where: .equal(key: "host", value: "host7"))
        #expect(host7.count == 1)
        let samples = try store.samples(database: "collectd", series: host7[0].id, field: "value")
        #expect(samples.count == 50 && samples.allSatisfy { $0.value == .float(7) })
    }

    /// `retentionPolicy` (InfluxDB's `[[collectd]] retention-policy`) sends every value there;
    /// the default policy gets none.
    @Test func valuesGoToTheConfiguredRetentionPolicy() async throws {
        let store = MemoryStore()
        try store.updateRetentionPolicies(database: "collectd", createDatabase: true) {
            try $0.create(RetentionPolicy(name: "autogen"), makeDefault: true)
            try $0.create(RetentionPolicy(name: "week", duration: 7 * 24 * RetentionPolicy.hour), makeDefault: false)
        }
        var configuration = Self.localConfiguration()
        configuration.retentionPolicy = "week"
        // Times near now, so the week keeps them.
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        var encoder = CollectdEncoder()
        var packets: [[UInt8]] = []
        for step in 0..<10 {
            packets += encoder.append(ValueList(host: "h", plugin: "load", type: "load", time: now + Int64(step) * 1_000_000_000,
                                                interval: 1_000_000_000, values: [.gauge(1), .gauge(2), .gauge(3)]))
        }
        packets += encoder.flush()
        let service = try await Self.run(configuration, store: store, send: packets)
        #expect(service.stats.snapshot.valuesStored == 30)
        #expect(try Self.count(store, policy: "week") == 30)
        #expect(try Self.count(store, policy: "autogen") == 0)
    }

    @Test func malformedDatagramsAreCountedAndValidOnesStillStored() async throws {
        let store = MemoryStore()
        let valid = Self.loadPackets(hosts: 5, steps: 20)
        var rng = SeededGenerator(seed: 42)
        var datagrams: [[UInt8]] = []
        for (i, packet) in valid.enumerated() {
            datagrams.append(packet)
            var garbage = packet
            garbage[Int(rng.next() % UInt64(garbage.count))] ^= 0xFF
            if i % 2 == 0 { garbage = Array(garbage.prefix(Int(rng.next() % UInt64(garbage.count)))) }
            datagrams.append(garbage)
            datagrams.append((0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        let service = try await Self.run(Self.localConfiguration(), store: store, send: datagrams)
        let c = service.stats.snapshot
        #expect(c.datagrams == UInt64(datagrams.count))
        #expect(c.decodeErrorsTotal > 0)
        #expect(c.valuesReceived == c.valuesStored + c.valuesDroppedTotal)
        // Every valid value is there (mutated copies may add values, never remove them).
        let midterm = try store.series(database: "collectd", filter: .names(["load_midterm"]), where: .always)
        for host in 0..<5 {
            let entry = try #require(midterm.first { $0.key[tag: "host"] == "host\(host)" && $0.key.tags.count == 2 })
            let samples = try store.samples(database: "collectd", series: entry.id, field: "value")
            let times = Set(samples.map(\.time))
            #expect((0..<20).allSatisfy { times.contains(Self.t0 + Int64($0) * 1_000_000_000) })
        }
    }

    @Test func notificationsAndUnknownTypesAreStoredAndCounted() async throws {
        let store = MemoryStore()
        var encoder = CollectdEncoder()
        var datagrams = encoder.append(Notification(host: "web1", plugin: "df", type: "percent_bytes", time: Self.t0, severity: .warning, message: "disk filling"))
        datagrams += encoder.append(ValueList(host: "web1", plugin: "acme", type: "acme_widgets", time: Self.t0, interval: 0, values: [.gauge(1), .gauge(2)]))
        datagrams += encoder.append(ValueList(host: "web1", plugin: "acme", type: "acme_widgets", time: Self.t0 + 1_000_000_000, interval: 0, values: [.gauge(3), .gauge(.nan)]))
        datagrams += encoder.flush()
        let service = try await Self.run(Self.localConfiguration(), store: store, send: datagrams)
        let c = service.stats.snapshot
        #expect(c.notifications == 1 && c.notificationsStored == 1)
        #expect(c.unknownTypes == ["acme_widgets": 4])
        #expect(c.valuesDropped == ["nan": 1])
        #expect(c.valuesStored == 3)
        #expect(try store.measurements(database: "collectd", filter: .all) == ["acme_value0", "acme_value1", "collectd_notification"])
        let groups = service.stats.stats()
        #expect(groups.contains { $0.tags == [Tag("type", "acme_widgets")] && $0.values.first?.value == 4 })
        #expect(groups.contains { $0.tags == [Tag("reason", "nan")] && $0.values.first?.value == 1 })
    }

    @Test func encryptedPacketsNeedTheAuthFile() async throws {
        let store = MemoryStore()
        let authPath = "/tmp/collectlite-receiver-test-\(UInt32.random(in: 0...UInt32.max)).auth"
        try writeFile(authPath, "alice: secret\n")
        defer { unlink(authPath) }
        var configuration = Self.localConfiguration()
        configuration.securityLevel = .encrypt
        configuration.authFilePath = authPath
        let good = Self.loadPackets(hosts: 2, steps: 5, encoder: CollectdEncoder(username: "alice", password: "secret", securityLevel: .encrypt))
        let wrong = Self.loadPackets(hosts: 1, steps: 5, encoder: CollectdEncoder(username: "alice", password: "wrong", securityLevel: .encrypt))
        let plain = Self.loadPackets(hosts: 1, steps: 5)
        let service = try await Self.run(configuration, store: store, send: good + wrong + plain)
        let c = service.stats.snapshot
        #expect(c.valuesStored == 30)
        #expect(c.securityRejections == UInt64(wrong.count + plain.count))
        #expect(try Self.count(store) == 30)
    }

    @Test func aFullQueueDropsAndCountsInsteadOfBlocking() async throws {
        let store = SlowStore()
        var configuration = Self.localConfiguration()
        configuration.queueCapacity = 10
        let packets = Self.loadPackets(hosts: 50, steps: 200)
        // Sent in groups with pauses longer than the reader's hand-over interval (10 ms), so it
        // offers several batches while the first one holds the writer in the closed store.
        let groups = stride(from: 0, to: packets.count, by: max(1, packets.count / 6)).map { Array(packets[$0..<min($0 + max(1, packets.count / 6), packets.count)]) }
        let service = try await Self.run(configuration, store: store, send: groups[0]) { service in
            let sender = UDPSender(port: try await service.localAddress().port!)
            for group in groups.dropFirst() {
                try await Task.sleep(for: .milliseconds(40))
                for datagram in group { #expect(sender.send(datagram)) }
            }
            // Wait (bounded) until every datagram was read, then let the writer go.
            let deadline = ContinuousClock.now + .seconds(20)
            while service.stats.snapshot.datagrams < UInt64(packets.count), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            store.open()
        }
        let c = service.stats.snapshot
        #expect(c.datagrams == UInt64(packets.count))
        #expect(c.valuesDropped["queue_full", default: 0] > 0)
        #expect(c.valuesReceived == c.valuesStored + c.valuesDroppedTotal)
    }
}
