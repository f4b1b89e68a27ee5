#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The collectd socket: a plain UDP socket, bound without SO_REUSEADDR / SO_REUSEPORT (a second
/// process on the port fails instead of taking a share of the traffic), multicast groups joined.
/// Read by `DatagramReader` on a thread of its own.
final class UDPSocket: @unchecked Sendable {
    let fd: Int32
    /// The bound address (the kernel's port when 0 was asked for).
    let localAddress: SocketAddress

    /// Opens, configures and binds; errors name the address and the system's reason.
    init(bind: BindAddress, readBuffer: Int) throws {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(bind.host, port: bind.port)
        } catch {
            throw CollectdReceiverError.bindFailed(address: bind.description, reason: "cannot resolve host \"\(bind.host)\"")
        }
        let family = address.protocol == .inet6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw CollectdReceiverError.bindFailed(address: bind.description, reason: Self.reason(errno)) }
        var ok = false
        defer { if !ok { close(fd) } }
        // A bigger receive buffer absorbs bursts; as root, SO_RCVBUFFORCE ignores rmem_max.
        var size = Int32(clamping: readBuffer)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        if Self.receiveBuffer(fd) < readBuffer {
            _ = setsockopt(fd, SOL_SOCKET, 33 /* SO_RCVBUFFORCE */, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc = address.withSockAddr { pointer, length in Glibc.bind(fd, pointer, socklen_t(length)) }
        guard rc == 0 else {
            let code = errno
            let hint = code == EADDRINUSE ? " (another process, perhaps another collectlite, is listening there)" : ""
            throw CollectdReceiverError.bindFailed(address: bind.description, reason: Self.reason(code) + hint)
        }
        if address.isMulticast { try Self.join(fd, address, bind) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.localAddress = (try? Self.address(storage)) ?? address
        ok = true
    }

    deinit { close(fd) }

    /// Bytes the kernel grants for queued datagrams (Linux reports twice the usable size).
    static func receiveBuffer(_ fd: Int32) -> Int {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, &length) == 0 else { return 0 }
        return Int(value) / 2
    }

    var receiveBuffer: Int { Self.receiveBuffer(fd) }

    private static func join(_ fd: Int32, _ address: SocketAddress, _ bind: BindAddress) throws {
        let rc: Int32
        switch address {
        case .v4(let v4):
            var request = ip_mreq()
            request.imr_multiaddr = v4.address.sin_addr
            request.imr_interface.s_addr = INADDR_ANY
            rc = setsockopt(fd, Int32(IPPROTO_IP), IP_ADD_MEMBERSHIP, &request, socklen_t(MemoryLayout<ip_mreq>.size))
        case .v6(let v6):
            var request = ipv6_mreq()
            request.ipv6mr_multiaddr = v6.address.sin6_addr
            request.ipv6mr_interface = 0
            rc = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_ADD_MEMBERSHIP, &request, socklen_t(MemoryLayout<ipv6_mreq>.size))
        default:
            rc = -1
        }
        guard rc == 0 else {
            throw CollectdReceiverError.bindFailed(address: bind.description, reason: "cannot join multicast group: " + reason(errno))
        }
    }

    /// The system's text for an errno value.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A NIO `SocketAddress` for a kernel address.
    static func address(_ storage: sockaddr_storage) throws -> SocketAddress {
        var storage = storage
        let family = Int32(storage.ss_family)
        return try withUnsafePointer(to: &storage) { p in
            switch family {
            case AF_INET:
                return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            case AF_INET6:
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            default:
                throw CollectdReceiverError.bindFailed(address: "?", reason: "unknown address family")
            }
        }
    }

    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `ip:port` (IPv6 in brackets) of a sender, for log lines.
    static func text(_ storage: UnsafePointer<sockaddr_storage>) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            return storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                var address = p.pointee.sin_addr
                inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
                return "\(Self.string(buffer)):\(UInt16(bigEndian: p.pointee.sin_port))"
            }
        case AF_INET6:
            return storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                var address = p.pointee.sin6_addr
                inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
                return "[\(Self.string(buffer))]:\(UInt16(bigEndian: p.pointee.sin6_port))"
            }
        default:
            return "?"
        }
    }
}
