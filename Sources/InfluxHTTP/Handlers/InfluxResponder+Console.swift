import Console
import HTTPTypes
import Hummingbird

extension InfluxResponder {
    /// `GET|HEAD /` and `/console/<version>/…`: the built-in web console (no authentication:
    /// the files hold no data; the page asks for credentials when `/query` wants them).
    /// nil when the path is not the console's or the console is turned off.
    func console(_ request: Request) -> Reply? {
        guard configuration.console, let asset = ConsoleAssets.asset(forPath: request.uri.path) else { return nil }
        guard request.method == .get || request.method == .head else { return .methodNotAllowed(allow: "GET, HEAD") }
        return Reply(status: 200, contentType: asset.contentType, body: asset.body, headers: [
            (.cacheControl, asset.immutable ? "public, max-age=31536000, immutable" : "no-cache"),
            // Nothing but this server: the console works offline and cannot leak to elsewhere.
            (.contentSecurityPolicy, "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"),
            (.xContentTypeOptions, "nosniff"),
        ])
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
