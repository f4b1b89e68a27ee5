// libFuzzer target for CollectdDecoder. Built and run by run.sh (not a SwiftPM target of
// the main package).
//
// Each input is decoded at every security level, with and without an auth file. Besides
// crashes and sanitizer reports it checks two invariants:
// - every accepted value list has a non-empty host, plugin and type and a non-zero time;
// - re-encoding the accepted value lists and decoding the result gives them back.
import CollectdProtocol
import Foundation
import NIOCore

private let authFile: AuthFile = {
    let path = NSTemporaryDirectory() + "/collectlite-fuzz-auth-\(getpid())"
    _ = FileManager.default.createFile(atPath: path, contents: Data("fixture: fixture-secret\n".utf8))
    return try! AuthFile(path: path)
}()

private let decoders: [CollectdDecoder] = [
    CollectdDecoder(),
    CollectdDecoder(securityLevel: .none, authFile: authFile),
    CollectdDecoder(securityLevel: .sign, authFile: authFile),
    CollectdDecoder(securityLevel: .encrypt, authFile: authFile),
    CollectdDecoder(securityLevel: .sign),
]

private func roundTrips(_ list: ValueList) -> Bool {
    let strings = [list.host, list.plugin, list.pluginInstance, list.type, list.typeInstance]
    guard strings.allSatisfy({ $0.utf8.count < 128 && !$0.utf8.contains(0) }) else { return false }
    guard list.time > 0, list.interval >= 0 else { return false }
    return !list.values.contains { if case .gauge(let g) = $0 { g.isNaN } else { false } }
}

/// Equal value lists, comparing values by kind and bits (NaN gauges are not == to themselves).
private func sameLists(_ a: [ValueList], _ b: [ValueList]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.host == y.host, x.plugin == y.plugin, x.pluginInstance == y.pluginInstance, x.type == y.type,
              x.typeInstance == y.typeInstance, x.time == y.time, x.interval == y.interval,
              x.values.count == y.values.count else { return false }
        for (v, w) in zip(x.values, y.values) where v.kind != w.kind || v.doubleValue.bitPattern != w.doubleValue.bitPattern {
            return false
        }
    }
    return true
}

/// The receiver's view of the same datagram: every view's values read in place must equal
/// the materialised list's, and the views must come in the same order as `DecodedPacket`'s.
private struct ViewSink: CollectdSink {
    var error: CollectdProtocolError?
    var lists: [ValueList] = []
    var dropped = 0
    mutating func authenticated(user: String) {}
    mutating func valueList(_ list: borrowing ValueListView) {
        let copy = list.materialize()
        for i in 0..<list.count {
            precondition(list.doubleValue(at: i).bitPattern == copy.values[i].doubleValue.bitPattern
                || (list.doubleValue(at: i).isNaN && copy.values[i].doubleValue.isNaN))
        }
        lists.append(copy)
    }
    mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int) { dropped += 1 }
    mutating func notification(_ notification: CollectdProtocol.Notification) {}
    mutating func droppedNotification() {}
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCollectdDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for decoder in decoders {
        let packet = decoder.decode(bytes)
        var views = ViewSink()
        bytes.withUnsafeBytes { decoder.decode(raw: $0, into: &views) }
        precondition(sameLists(views.lists, packet.valueLists) && views.dropped == packet.dropped.count && views.error == packet.error)
        for list in packet.valueLists {
            precondition(!list.host.isEmpty && !list.plugin.isEmpty && !list.type.isEmpty)
            precondition(list.values.count > 0)
        }
        let lists = packet.valueLists.filter(roundTrips)
        guard !lists.isEmpty else { continue }
        var encoder = CollectdEncoder(maxPacketSize: 65535)
        var packets: [[UInt8]] = []
        for list in lists { packets += encoder.append(list) }
        packets += encoder.flush()
        let again = packets.flatMap { CollectdDecoder().decode($0).valueLists }
        precondition(again == lists, "re-encoded value lists differ")
    }
    return 0
}

// SwiftPM links executable targets with `main` aliased to `<Target>_main`; hand that entry
// point to libFuzzer's driver (plain swiftc builds use libFuzzer's own main instead).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzCollectdDecoder_main")
public func fuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzCollectdDecoder(data, size) }
}
