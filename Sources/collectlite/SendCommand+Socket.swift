import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected UDP socket for `collectlite send` (plain POSIX).
struct UDPSender {
    private let descriptor: Int32

    /// - Parameter address: `HOST:PORT`, `[IPv6]:PORT` or `HOST` (port 25826).
    init(address: String) throws {
        var host = address
        var port = "25826"
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = String(address[address.index(after: address.startIndex)..<close])
            let rest = address[address.index(after: close)...]
            if rest.hasPrefix(":") { port = String(rest.dropFirst()) }
        } else if address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") {
            host = String(address[..<colon])
            port = String(address[address.index(after: colon)...])
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
        hints.ai_socktype = SOCK_DGRAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port, &hints, &result)
        guard status == 0, let info = result else {
            throw ValidationError("cannot resolve \(address): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw ValidationError("socket: \(String(cString: strerror(errno)))") }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc_or_Darwin_close(fd)
            throw ValidationError("connect \(address): \(message)")
        }
        descriptor = fd
    }

    func send(_ packet: [UInt8]) throws {
        let sent = packet.withUnsafeBytes { Glibc_or_Darwin_send(descriptor, $0.baseAddress, $0.count, 0) }
        // A refused port (ICMP from an earlier datagram) is reported but not fatal for UDP.
        if sent < 0 && errno != ECONNREFUSED {
            throw ValidationError("send: \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        _ = Glibc_or_Darwin_close(descriptor)
    }
}

@inline(__always)
private func Glibc_or_Darwin_close(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

@inline(__always)
private func Glibc_or_Darwin_send(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    #if canImport(Glibc)
    Glibc.send(fd, buffer, count, flags)
    #else
    Darwin.send(fd, buffer, count, flags)
    #endif
}
