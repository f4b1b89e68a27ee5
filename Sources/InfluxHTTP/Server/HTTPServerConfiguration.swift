/// Settings of the InfluxDB-compatible HTTP API (`--http-*` flags of `collectlite serve`).
public struct HTTPServerConfiguration: Sendable {
    /// Address to listen on; port 0 asks the kernel for a free port (see `onServerRunning`).
    public var host: String
    public var port: Int
    /// Users file written by `collectlite user add` (its users are admins); setting it turns
    /// authentication on.
    public var authFile: String?
    /// Authentication and per-database authorization as InfluxDB's `auth-enabled = true`,
    /// with the users of `CREATE USER`/`GRANT` (and those of `authFile`).
    public var authEnabled: Bool
    /// PEM certificate chain and private key; both set turns TLS on.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Largest accepted request body in bytes, after gzip decoding (InfluxDB's default: 25 MB).
    public var maxBodySize: Int
    /// `X-Influxdb-Version` and the version `/ping?verbose=true` and `/health` report.
    public var version: String
    /// `X-Influxdb-Build`.
    public var build: String
    /// `X-Collectlite-Version` on every answer (e.g. `0.9.0 (commit 3f2a9c1d0e4b)`); nil sends none.
    public var collectliteVersion: String?
    /// Database and retention policy names `/write` accepts without `rp`.
    public var defaultRetentionPolicy: String
    /// Serve the built-in web console at `/` (`--http-console`).
    public var console: Bool

    /// Whether requests are authenticated and authorized.
    public var enforcesAuthentication: Bool { authEnabled || authFile != nil }

    public init(
        host: String = "0.0.0.0",
        port: Int = 8086,
        authFile: String? = nil,
        authEnabled: Bool = false,
        tlsCertificate: String? = nil,
        tlsKey: String? = nil,
        maxBodySize: Int = 25_000_000,
        version: String = "1.6.7-collectlite",
        build: String = "OSS",
        defaultRetentionPolicy: String = "autogen",
        console: Bool = true
    ) {
        self.host = host
        self.port = port
        self.authFile = authFile
        self.authEnabled = authEnabled
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.maxBodySize = maxBodySize
        self.version = version
        self.build = build
        self.defaultRetentionPolicy = defaultRetentionPolicy
        self.console = console
    }

    /// Parses `--http-bind` text: `host:port`, `:port`, `[v6]:port` or a bare port.
    public static func parseBind(_ text: String) throws(InfluxHTTPError) -> (host: String, port: Int) {
        var host = "0.0.0.0"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidBind(text) }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .invalidBind(text) }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            let h = text[..<colon]
            if !h.isEmpty { host = String(h) }
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else { throw .invalidBind(text) }
        return (host, port)
    }
}
