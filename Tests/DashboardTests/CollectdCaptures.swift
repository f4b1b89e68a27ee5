import Foundation
import TimeSeries
import CollectdProtocol
import CollectdReceiver

/// The real collectd 5.12 packets captured under Tests/CollectdProtocolTests/Fixtures/plain,
/// decoded and mapped to points the way the receiver stores them (split mode, ms precision).
enum CollectdCaptures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("CollectdProtocolTests/Fixtures/plain")
    }

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "bin" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every point of every captured datagram.
    static func points() throws -> [Point] {
        let decoder = CollectdDecoder()
        let mapper = CollectdMapper(typesDB: .embedded)
        var points: [Point] = []
        for file in try files() {
            let packet = decoder.decode([UInt8](try Data(contentsOf: file)))
            for list in packet.valueLists { _ = mapper.map(list, into: &points) }
            for notification in packet.notifications { points.append(mapper.map(notification)) }
        }
        return points
    }
}
