/// The built-in web console: a single page at `/` and its files under `/console/<version>/`,
/// compiled into the binary (see `Console/generate.sh`), so it works without network access
/// beyond the server itself.
public enum ConsoleAssets {
    /// One file as served.
    public struct Asset: Sendable {
        public let contentType: String
        public let body: [UInt8]
        /// True for versioned files, which never change under their URL.
        public let immutable: Bool
    }

    /// The URL path prefix of this build's files.
    public static let prefix = "/console/\(version)/"

    /// The page itself, pointing at this build's versioned files.
    public static let index = Asset(
        contentType: "text/html; charset=utf-8",
        body: Array(indexTemplate.replacingVersion(with: version).utf8),
        immutable: false)

    static let byPath: [String: Asset] = Dictionary(uniqueKeysWithValues: files.map {
        ($0.path, Asset(contentType: $0.contentType, body: Array($0.text.utf8), immutable: true))
    })

    /// The asset for a request path: `/` (the page) or `/console/<version>/<file>`; nil otherwise,
    /// including files of another version (an old page must not be served new code).
    public static func asset(forPath path: String) -> Asset? {
        if path == "/" { return index }
        guard path.hasPrefix(prefix) else { return nil }
        return byPath[String(path.dropFirst(prefix.count))]
    }

    /// Paths of every versioned file (tests, the page's references).
    public static var paths: [String] { files.map(\.path) }
}

extension String {
    /// The text with every `@VERSION@` replaced (no Foundation in this module).
    func replacingVersion(with version: String) -> String {
        let marker = Array("@VERSION@".utf8)
        let bytes = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + marker.count <= bytes.count, Array(bytes[i..<(i + marker.count)]) == marker {
                out += version.utf8
                i += marker.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
