import CollectdProtocol
import Testing
import TimeSeries

@testable import CollectdReceiver

@Suite struct CollectdMapperTests {
    static let t0: Int64 = 1_700_000_000_123_456_789

    static func list(
        plugin: String = "load", pluginInstance: String = "", type: String = "load", typeInstance: String = "",
        values: [CollectdValue] = [.gauge(0.5), .gauge(0.25), .gauge(0.125)], time: Int64 = t0
    ) -> ValueList {
        ValueList(host: "web1", plugin: plugin, pluginInstance: pluginInstance, type: type, typeInstance: typeInstance,
                  time: time, interval: 10_000_000_000, values: values)
    }

    @Test func splitLoadGivesOnePointPerDataSource() {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        let result = mapper.map(Self.list(), into: &points)
        #expect(result.mapped == 3)
        #expect(result.typeMatch == .known)
        #expect(points.map(\.key.measurement) == ["load_shortterm", "load_midterm", "load_longterm"])
        #expect(points.map(\.fields) == [[Field("value", .float(0.5))], [Field("value", .float(0.25))], [Field("value", .float(0.125))]])
        #expect(points.allSatisfy { $0.key.tags == [Tag("host", "web1"), Tag("type", "load")] })
        #expect(points.allSatisfy { $0.time == 1_700_000_000_123_000_000 })
    }

    @Test func tagsAppearOnlyWhenNonEmptyAndInKeyOrder() {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        _ = mapper.map(Self.list(plugin: "cpu", pluginInstance: "0", type: "cpu", typeInstance: "idle", values: [.derive(12345)]), into: &points)
        #expect(points.count == 1)
        let key = points[0].key
        #expect(key.measurement == "cpu_value")
        #expect(key.tags == [Tag("host", "web1"), Tag("instance", "0"), Tag("type", "cpu"), Tag("type_instance", "idle")])
        // The hand-sorted tags equal what SeriesKey's sorting initializer makes.
        #expect(key == SeriesKey(measurement: "cpu_value", tags: key.tags.reversed()))
        #expect(points[0].fields == [Field("value", .float(12345))])
    }

    @Test func interfaceOctetsSplitIntoRxAndTx() {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        _ = mapper.map(Self.list(plugin: "interface", pluginInstance: "eth0", type: "if_octets", values: [.derive(100), .derive(200)]), into: &points)
        #expect(points.map(\.key.measurement) == ["interface_rx", "interface_tx"])
        #expect(points.map { $0.key[tag: "instance"] } == ["eth0", "eth0"])
    }

    @Test func joinGivesOnePointWithOneFieldPerDataSource() {
        let mapper = CollectdMapper(typesDB: .embedded, options: MappingOptions(multiValue: .join))
        var points: [Point] = []
        let result = mapper.map(Self.list(), into: &points)
        #expect(result.mapped == 3)
        #expect(points.count == 1)
        #expect(points[0].key.measurement == "load")
        #expect(points[0].fields == [Field("shortterm", .float(0.5)), Field("midterm", .float(0.25)), Field("longterm", .float(0.125))])
    }

    @Test(arguments: [
        (CollectdValue.counter(UInt64.max), Double(UInt64.max)),
        (.derive(-42), -42.0),
        (.absolute(7), 7.0),
        (.gauge(-0.0), -0.0),
    ])
    func everyKindBecomesAFloat(value: CollectdValue, expected: Double) {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        _ = mapper.map(Self.list(plugin: "x", type: "gauge", values: [value]), into: &points)
        #expect(points.count == 1)
        #expect(points[0].fields[0].value.isIdentical(to: .float(expected)))
    }

    @Test func nonFiniteGaugesAreSkippedAndCounted() {
        var points: [Point] = []
        let split = CollectdMapper(typesDB: .embedded)
        let r1 = split.map(Self.list(values: [.gauge(.nan), .gauge(1), .gauge(.infinity)]), into: &points)
        #expect(r1.mapped == 1 && r1.skippedNonFinite == 2)
        #expect(points.map(\.key.measurement) == ["load_midterm"])

        points = []
        let join = CollectdMapper(typesDB: .embedded, options: MappingOptions(multiValue: .join))
        let r2 = join.map(Self.list(values: [.gauge(.nan), .gauge(1), .gauge(2)]), into: &points)
        #expect(r2.mapped == 2 && r2.skippedNonFinite == 1)
        #expect(points.first?.fields.map(\.name) == ["midterm", "longterm"])

        points = []
        let r3 = join.map(Self.list(values: [.gauge(.nan), .gauge(.nan), .gauge(.nan)]), into: &points)
        #expect(r3.mapped == 0 && r3.skippedNonFinite == 3 && points.isEmpty)
    }

    @Test func unknownTypesKeepPositionalNames() {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        let one = mapper.map(Self.list(plugin: "acme", type: "acme_widgets", values: [.gauge(1)]), into: &points)
        #expect(one.typeMatch == .unknown && one.mapped == 1)
        let two = mapper.map(Self.list(plugin: "acme", type: "acme_pairs", values: [.gauge(1), .gauge(2)]), into: &points)
        #expect(two.typeMatch == .unknown && two.mapped == 2)
        #expect(points.map(\.key.measurement) == ["acme_value", "acme_value0", "acme_value1"])
        #expect(points[1].key[tag: "type"] == "acme_pairs")
    }

    @Test func unknownTypesAreDroppedWhenAsked() {
        let mapper = CollectdMapper(typesDB: .embedded, options: MappingOptions(unknownTypes: .drop))
        var points: [Point] = []
        let result = mapper.map(Self.list(plugin: "acme", type: "acme_widgets", values: [.gauge(1), .gauge(2)]), into: &points)
        #expect(result.droppedUnknown == 2 && result.mapped == 0 && points.isEmpty)
    }

    @Test func aValueCountOtherThanTheTypesIsAMismatch() {
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        let result = mapper.map(Self.list(values: [.gauge(1), .gauge(2)]), into: &points)
        #expect(result.typeMatch == .countMismatch(expected: 3))
        #expect(points.map(\.key.measurement) == ["load_value0", "load_value1"])
    }

    @Test(arguments: [
        (TimePrecision.ns, Int64(1_700_000_000_123_456_789), Int64(1_700_000_000_123_456_789)),
        (.us, 1_700_000_000_123_456_789, 1_700_000_000_123_456_000),
        (.ms, 1_700_000_000_123_456_789, 1_700_000_000_123_000_000),
        (.s, 1_700_000_000_123_456_789, 1_700_000_000_000_000_000),
        (.ms, -1, -1_000_000),
        (.s, -1_500_000_000, -2_000_000_000),
        (.ms, 0, 0),
    ])
    func precisionFloors(precision: TimePrecision, time: Int64, expected: Int64) {
        #expect(precision.floor(time) == expected)
    }

    @Test(arguments: [(Severity.failure, "failure"), (.warning, "warning"), (.okay, "okay")])
    func notificationsBecomePoints(severity: Severity, name: String) {
        let mapper = CollectdMapper(typesDB: .embedded)
        let n = Notification(host: "web1", plugin: "df", pluginInstance: "root", type: "percent_bytes", typeInstance: "free",
                             time: Self.t0, severity: severity, message: "disk almost full")
        let point = mapper.map(n)
        #expect(point.key.measurement == "collectd_notification")
        #expect(point.key.tags == [Tag("host", "web1"), Tag("instance", "root"), Tag("plugin", "df"), Tag("severity", name),
                                   Tag("type", "percent_bytes"), Tag("type_instance", "free")])
        #expect(point.key == SeriesKey(measurement: "collectd_notification", tags: point.key.tags.shuffled()))
        #expect(point.fields == [Field("message", .string("disk almost full"))])
        #expect(point.time == 1_700_000_000_123_000_000)
    }
}
