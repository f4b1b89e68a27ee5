import Foundation
import NIOCore

@testable import CollectdProtocol

/// Paths of the repository, found from this file.
enum Repo {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")

    /// The captured datagrams of one mode (plain, sign, encrypt), in capture order.
    static func datagrams(_ mode: String) throws -> [[UInt8]] {
        let directory = fixtures.appendingPathComponent(mode)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".bin") }.sorted()
        return try names.map { Array(try Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}

/// Writes a temporary file and removes it when the value is released by the test.
final class TemporaryFile {
    let path: String

    init(_ contents: String, name: String = "file") throws {
        let directory = NSTemporaryDirectory() + "collectlite-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + name
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func rewrite(_ contents: String) throws {
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}

/// Builds packets part by part, for hand-made (also malformed) input.
struct PacketBuilder {
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xFF)] }
    mutating func u64(_ v: UInt64) { for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }

    mutating func string(_ type: PartType, _ s: String) {
        u16(type.rawValue)
        u16(UInt16(4 + s.utf8.count + 1))
        bytes += Array(s.utf8) + [0]
    }

    mutating func number(_ type: PartType, _ v: UInt64) {
        u16(type.rawValue)
        u16(12)
        u64(v)
    }

    /// A values part from (type byte, value) pairs; gauges given as Double bit patterns.
    mutating func values(_ entries: [(UInt8, UInt64)]) {
        u16(PartType.values.rawValue)
        u16(UInt16(6 + 9 * entries.count))
        u16(UInt16(entries.count))
        for (kind, _) in entries { bytes.append(kind) }
        for (kind, v) in entries {
            if kind == 1 {
                for s in stride(from: 0, through: 56, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
            } else {
                u64(v)
            }
        }
    }

    /// host, time (seconds), plugin, type: the minimum for an accepted value list.
    mutating func identity(host: String = "h", time: UInt64 = 1_700_000_000, plugin: String = "p", type: String = "t") {
        string(.host, host)
        number(.time, time)
        string(.plugin, plugin)
        string(.type, type)
    }
}

extension ValueList {
    static func sample(
        host: String = "host1", plugin: String = "cpu", pluginInstance: String = "0",
        type: String = "cpu", typeInstance: String = "user", time: Int64 = 1_700_000_000_123_456_789,
        values: [CollectdValue] = [.derive(42)]
    ) -> ValueList {
        ValueList(
            host: host, plugin: plugin, pluginInstance: pluginInstance, type: type,
            typeInstance: typeInstance, time: time, interval: 10_000_000_000, values: values)
    }
}
