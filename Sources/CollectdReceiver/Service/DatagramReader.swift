#if canImport(Glibc)
import Glibc
#endif
import CUDP
import Synchronization

/// Reads the collectd socket on a thread of its own: `recvmmsg` into buffers allocated once,
/// each datagram handed to the processor in place (no per-datagram object, no event-loop hop).
///
/// `stop()` asks it to finish: it keeps reading until the socket has been quiet for 100 ms (at
/// most 3 s), so datagrams the kernel queued before shutdown are not thrown away, then returns.
final class DatagramReader: Sendable {
    /// Largest UDP payload; each slot gets this much room so nothing is truncated.
    static let slotSize = 65_536
    static let quiet = 100  // ms

    private let socket: UDPSocket
    private let batch: Int
    private let stopping = Atomic<Bool>(false)

    init(socket: UDPSocket, batch: Int) {
        self.socket = socket
        self.batch = min(64, max(1, batch))
    }

    func stop() { stopping.store(true, ordering: .releasing) }

    /// The read loop; returns after `stop()` once the socket is drained.
    func run(_ processor: CollectdDatagramHandler) {
        let count = batch
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: count * Self.slotSize, alignment: 16)
        let lengths = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        let senders = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: count)
        defer {
            buffer.deallocate()
            lengths.deallocate()
            senders.deallocate()
        }
        var stopDeadline: UInt64?
        var lastHandOver = Self.monotonicMilliseconds()
        var pollfd = Glibc.pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&pollfd, 1, Int32(Self.quiet))
            if ready <= 0 {
                processor.burstComplete()
                // A quiet socket still takes the writer's resolutions, so they do not wait
                // (held twice) for the next datagram.
                processor.absorbResolved()
                if ready < 0 && errno != EINTR { processor.socketError(errno) }
                if stopping.load(ordering: .acquiring) { return }
                continue
            }
            if stopping.load(ordering: .acquiring) {
                let now = Self.monotonicMilliseconds()
                if let deadline = stopDeadline {
                    if now >= deadline {
                        processor.burstComplete()
                        return
                    }
                } else {
                    stopDeadline = now + 3_000
                }
            }
            processor.absorbResolved()
            let received = cudp_recvmmsg(socket.fd, buffer.assumingMemoryBound(to: UInt8.self), Self.slotSize, UInt32(count), senders, lengths)
            if received < 0 {
                let code = errno
                if code != EAGAIN && code != EWOULDBLOCK && code != EINTR { processor.socketError(code) }
                continue
            }
            for i in 0..<Int(received) {
                let bytes = UnsafeRawBufferPointer(start: buffer + i * Self.slotSize, count: Int(lengths[i]))
                processor.process(bytes, sender: senders + i)
            }
            // While datagrams keep coming, batches go over as they fill (the processor's size
            // limit) or after 10 ms, so the writer wakes at most ~100 times a second; a quiet
            // socket hands over at once (the poll timeout above).
            let now = Self.monotonicMilliseconds()
            if now - lastHandOver >= 10 {
                processor.burstComplete()
                lastHandOver = now
            }
        }
    }

    static func monotonicMilliseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts)
        return UInt64(ts.tv_sec) * 1_000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}
