import Foundation
import TestSupport

/// The differential suite's reference: a throw-away influxd (see TestSupport), driven through curl.
typealias LiveInflux = ThrowawayInfluxDB

extension ThrowawayInfluxDB {
    var url: String { baseURL.absoluteString }

    @discardableResult
    func curl(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: data, as: UTF8.self)
    }

    func write(lineProtocol: String, database: String) throws {
        let file = directory.appendingPathComponent("data.lp")
        try lineProtocol.write(to: file, atomically: true, encoding: .utf8)
        try curl(["-sf", "-XPOST", "\(url)/write?db=\(database)", "--data-binary", "@\(file.path)"])
    }

    func query(_ q: String, database: String?, epoch: String?) throws -> String {
        var args = ["-s", "-XPOST", "\(url)/query", "--data-urlencode", "q=\(q)"]
        if let database { args += ["--data-urlencode", "db=\(database)"] }
        if let epoch { args += ["--data-urlencode", "epoch=\(epoch)"] }
        return try curl(args).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
