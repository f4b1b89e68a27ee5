#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking IPv4 UDP socket for sending test datagrams to 127.0.0.1.
public final class UDPSender {
    private let fd: Int32
    private var address = sockaddr_in()

    public init(port: Int) {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        precondition(fd >= 0, "socket() failed")
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
    }

    deinit { close(fd) }

    /// Sends one datagram; returns false when the kernel refused it.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        let sent = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == bytes.count
    }
}
