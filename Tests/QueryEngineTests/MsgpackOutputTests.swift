import Testing
@testable import QueryEngine

/// The MessagePack encoder's forms (the whole answers are compared with InfluxDB 1.6.7's in
/// InfluxHTTPTests' `MsgpackTests`).
@Suite struct MsgpackOutputTests {
    @Test(arguments: [Int64(0), 1, 127, 128, 32_767, 32_768, 2_147_483_647, 2_147_483_648, .max,
                      -1, -32, -33, -128, -129, -32_768, -32_769, -2_147_483_648, -2_147_483_649, .min])
    func integersTakeTheirSmallestSignedForm(value: Int64) throws {
        var w = MsgpackOutput(epoch: nil)
        w.integer(value)
        let expected: [UInt8]
        switch value {
        case 0...127: expected = [UInt8(value)]
        case -32 ... -1: expected = [UInt8(bitPattern: Int8(value))]
        case -128 ... -33: expected = [0xd0, UInt8(bitPattern: Int8(value))]
        case -32_768...32_767: expected = [0xd1] + withUnsafeBytes(of: Int16(value).bigEndian, Array.init)
        case -2_147_483_648...2_147_483_647: expected = [0xd2] + withUnsafeBytes(of: Int32(value).bigEndian, Array.init)
        default: expected = [0xd3] + withUnsafeBytes(of: value.bigEndian, Array.init)
        }
        #expect(w.bytes == expected)
    }

    @Test func timesAreExtensionFiveWithGoSecondsAndNanoseconds() {
        var w = MsgpackOutput(epoch: nil)
        w.value(.time(-1))
        #expect(w.bytes == [0xc7, 12, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3b, 0x9a, 0xc9, 0xff])
        var ms = MsgpackOutput(epoch: .ms)
        ms.value(.time(-1_500_000))
        #expect(ms.bytes == [0xff])  // -1 ms, truncated toward zero as Go divides
    }

    @Test func stringsAndContainersTakeTheirSmallestForm() {
        for (n, head) in [(0, [UInt8(0xa0)]), (31, [0xbf]), (32, [0xd9, 32]), (255, [0xd9, 255]), (256, [0xda, 1, 0]), (65_536, [0xdb, 0, 1, 0, 0])] {
            var w = MsgpackOutput(epoch: nil)
            w.string(String(repeating: "x", count: n))
            #expect(Array(w.bytes.prefix(head.count)) == head && w.bytes.count == head.count + n, "\(n)")
        }
        for (n, array, map) in [(15, [UInt8(0x9f)], [UInt8(0x8f)]), (16, [0xdc, 0, 16], [0xde, 0, 16]), (70_000, [0xdd, 0, 1, 0x11, 0x70], [0xdf, 0, 1, 0x11, 0x70])] {
            var a = MsgpackOutput(epoch: nil), m = MsgpackOutput(epoch: nil)
            a.arrayHeader(n)
            m.mapHeader(n)
            #expect(a.bytes == array && m.bytes == map, "\(n)")
        }
    }
}
