import NIOCore
import Testing

@testable import CollectdProtocol

@Suite("Decoder")
struct DecoderTests {
    @Test("every value kind, state carried across value lists, time in whole seconds")
    func basic() {
        var p = PacketBuilder()
        p.identity(host: "web1", time: 1_700_000_000, plugin: "load", type: "load")
        p.number(.interval, 10)
        p.values([(1, 0.25.bitPattern), (1, 1.5.bitPattern), (1, 2.0.bitPattern)])
        p.string(.plugin, "interface")
        p.string(.pluginInstance, "eth0")
        p.string(.type, "if_octets")
        p.values([(2, UInt64(bitPattern: -5)), (0, 7)])
        p.string(.type, "absolute")
        p.values([(3, 99)])
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.error == nil)
        #expect(packet.valueLists == [
            ValueList(host: "web1", plugin: "load", type: "load", time: 1_700_000_000_000_000_000,
                interval: 10_000_000_000, values: [.gauge(0.25), .gauge(1.5), .gauge(2.0)]),
            ValueList(host: "web1", plugin: "interface", pluginInstance: "eth0", type: "if_octets",
                time: 1_700_000_000_000_000_000, interval: 10_000_000_000, values: [.derive(-5), .counter(7)]),
            ValueList(host: "web1", plugin: "interface", pluginInstance: "eth0", type: "absolute",
                time: 1_700_000_000_000_000_000, interval: 10_000_000_000, values: [.absolute(99)]),
        ])
        #expect(packet.valueCount == 6)
    }

    @Test(
        "time_hr and interval_hr: 2^-30 s units to nanoseconds, rounded",
        arguments: [
            (UInt64(1) << 30, Int64(1_000_000_000)),
            ((UInt64(1_700_000_000) << 30) | (1 << 29), Int64(1_700_000_000_500_000_000)),
            (UInt64(1), Int64(1)),
            (UInt64(3), Int64(3)),  // 2.79 ns
            ((UInt64(5) << 30) | 0x3FFF_FFFF, Int64(5_999_999_999)),
        ])
    func highResolutionTime(raw: UInt64, nanos: Int64) {
        var p = PacketBuilder()
        p.string(.host, "h")
        p.number(.timeHR, raw)
        p.number(.intervalHR, raw)
        p.string(.plugin, "p")
        p.string(.type, "t")
        p.values([(0, 1)])
        let list = CollectdDecoder().decode(p.bytes).valueLists.first
        #expect(list?.time == nanos)
        #expect(list?.interval == nanos)
        #expect(CollectdTime.nanoseconds(fromHighResolution: CollectdTime.highResolution(fromNanoseconds: nanos)) == nanos)
    }

    @Test("state starts empty in every datagram")
    func stateResetsPerPacket() {
        var first = PacketBuilder()
        first.identity()
        first.values([(0, 1)])
        var second = PacketBuilder()
        second.values([(0, 2)])
        let decoder = CollectdDecoder()
        #expect(decoder.decode(first.bytes).valueLists.count == 1)
        let packet = decoder.decode(second.bytes)
        #expect(packet.valueLists.isEmpty)
        #expect(packet.dropped.map(\.reason) == [.zeroTime])
    }

    @Test(
        "value lists without time, host, plugin or type are dropped with a reason",
        arguments: [
            (DroppedValueList.Reason.zeroTime, "h", UInt64(0), "p", "t"),
            (.emptyHost, "", 5, "p", "t"),
            (.emptyPlugin, "h", 5, "", "t"),
            (.emptyType, "h", 5, "p", ""),
        ])
    func dropped(reason: DroppedValueList.Reason, host: String, time: UInt64, plugin: String, type: String) {
        var p = PacketBuilder()
        p.identity(host: host, time: time, plugin: plugin, type: type)
        p.values([(1, 1.0.bitPattern)])
        p.identity()
        p.values([(1, 2.0.bitPattern)])
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.dropped.count == 1)
        #expect(packet.dropped.first?.reason == reason)
        #expect(packet.dropped.first?.offset == 5 + host.utf8.count + 12 + 5 + plugin.utf8.count + 5 + type.utf8.count)
        #expect(packet.valueLists.count == 1)
        #expect(packet.error == nil)
    }

    @Test("notifications carry the identity, time, severity and message")
    func notifications() {
        var p = PacketBuilder()
        p.string(.host, "db1")
        p.number(.timeHR, UInt64(1_700_000_000) << 30)
        p.number(.severity, 2)
        p.string(.plugin, "df")
        p.string(.typeInstance, "root")
        p.string(.message, "disk almost full")
        p.number(.severity, 3)  // not a severity
        p.string(.message, "ignored")
        p.number(.severity, 4)
        p.string(.message, "")  // empty message
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.notifications == [
            Notification(host: "db1", plugin: "df", typeInstance: "root", time: 1_700_000_000_000_000_000,
                severity: .warning, message: "disk almost full")
        ])
        #expect(packet.droppedNotifications == 2)
        #expect(packet.error == nil)
    }

    @Test("unknown part types are skipped by their length")
    func unknownParts() {
        var p = PacketBuilder()
        p.u16(0x7777)
        p.u16(9)
        p.bytes += [1, 2, 3, 4, 5]
        p.identity()
        p.u16(0x0102)
        p.u16(4)
        p.values([(0, 1)])
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.error == nil)
        #expect(packet.valueLists.count == 1)
    }

    @Test("strings end at the first NUL; 127 characters are allowed")
    func strings() {
        var p = PacketBuilder()
        p.identity(host: String(repeating: "h", count: 127))
        p.u16(PartType.typeInstance.rawValue)
        p.u16(4 + 4)
        p.bytes += [0x61, 0, 0x62, 0]
        p.values([(0, 1)])
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.valueLists.first?.host.count == 127)
        #expect(packet.valueLists.first?.typeInstance == "a")
    }

    @Test("a ByteBuffer with a non-zero reader index decodes the same")
    func byteBufferSlice() {
        var p = PacketBuilder()
        p.identity()
        p.values([(0, 1)])
        var buffer = ByteBuffer(bytes: [9, 9, 9] + p.bytes)
        buffer.moveReaderIndex(forwardBy: 3)
        #expect(CollectdDecoder().decode(buffer).valueLists == CollectdDecoder().decode(p.bytes).valueLists)
        #expect(CollectdDecoder().decode(buffer).valueLists.count == 1)
    }

    @Test("a 65535-byte datagram decodes")
    func largestDatagram() {
        var p = PacketBuilder()
        p.identity()
        while p.bytes.count + 15 <= 65535 - 15 { p.values([(0, 1)]) }
        let rest = 65535 - p.bytes.count
        p.u16(0x4444)
        p.u16(UInt16(rest))
        p.bytes += [UInt8](repeating: 0, count: rest - 4)
        #expect(p.bytes.count == 65535)
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.error == nil)
        #expect(packet.valueLists.count > 4000)
    }
}
