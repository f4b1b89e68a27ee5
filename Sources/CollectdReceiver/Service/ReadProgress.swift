import Synchronization

/// Datagrams taken off the socket so far, bumped per datagram by the event loop, so shutdown
/// can tell "still reading" from "socket empty" without waiting for a read burst to end.
final class ReadProgress: Sendable {
    private let count = Atomic<UInt64>(0)

    func advance() { count.add(1, ordering: .relaxed) }

    var value: UInt64 { count.load(ordering: .relaxed) }
}
