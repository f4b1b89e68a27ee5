import InfluxHTTP
import NIOCore
import ServiceLifecycle

/// Runs the HTTP API once `ready` returns, and turns a failure to listen into an error
/// naming the address.
///
/// `ready` waits for the collectd socket: when that cannot be bound, the server never starts,
/// so the only error printed is the cause. The server only throws before it listens (errors on
/// accepted connections are logged), so a socket error from `run` is the bind's, which NIO
/// reports without the address.
struct HTTPListenerService: Service {
    let http: InfluxHTTPService
    let address: String
    let ready: @Sendable () async throws -> Void

    func run() async throws {
        try await ready()
        do {
            try await http.run()
        } catch let error as IOError {
            throw ConfigurationError.httpBindFailed(address: address, reason: ConfigurationError.reason(errno: error.errnoCode))
        } catch let error as SocketAddressError {
            throw ConfigurationError.httpBindFailed(address: address, reason: "\(error)")
        }
    }
}
