import CompressNIO
import NIOCore
import QueryEngine

/// Takes the query engine's JSON piece by piece (`ResultWriter.json(_:epoch:into:pieceBytes:)`)
/// straight into one response buffer: the answer is never copied from an array into the buffer.
/// When the client accepts gzip, the plain answer is gathered and compressed whole by
/// `GzipPool.compress` (`FastDeflate`, about twice zlib level 1's speed here) when done;
/// an answer that grows past `defaultWholeLimit` goes through a pooled zlib stream from then on, so a
/// huge plain answer never exists whole. Used by one encoder at a time.
final class ResponseBodyBuffer: BodySink {
    private(set) var output: ByteBuffer
    private var stream: GzipPool.Stream?
    private let pool: GzipPool
    /// The gzip input of one piece (its storage is reused).
    private var input: ByteBuffer
    /// zlib failed; what was written is unusable.
    private(set) var failed = false
    /// gzip wanted, the plain answer gathered in `output` so far (not yet streamed through zlib).
    private var gathering: Bool

    /// The body is a gzip member.
    let gzipped: Bool

    /// The largest plain answer compressed whole at the end (a fleet panel's is a few hundred KB).
    static let defaultWholeLimit = 8 * 1024 * 1024
    private let wholeLimit: Int

    init(gzip: Bool, pool: GzipPool = .shared, wholeLimit: Int = ResponseBodyBuffer.defaultWholeLimit) {
        self.pool = pool
        self.wholeLimit = wholeLimit
        gzipped = gzip
        gathering = gzip
        output = ByteBufferAllocator().buffer(capacity: 32 * 1024)
        input = ByteBufferAllocator().buffer(capacity: 0)
    }

    func write(_ piece: UnsafeRawBufferPointer) {
        guard !failed else { return }
        if gathering, output.readableBytes + piece.count > wholeLimit { startStreaming() }
        guard let stream else {
            output.writeBytes(piece)
            return
        }
        input.clear()
        input.writeBytes(piece)
        do {
            try stream.deflate(&input, appendingTo: &output, flush: .no)
        } catch {
            failed = true
        }
    }

    /// Moves what was gathered into a zlib stream; later pieces follow it there.
    private func startStreaming() {
        gathering = false
        guard let stream = pool.take() else {
            failed = true
            return
        }
        self.stream = stream
        input = output
        output = ByteBufferAllocator().buffer(capacity: input.readableBytes / 4 + 8192)
        do {
            try stream.deflate(&input, appendingTo: &output, flush: .no)
        } catch {
            failed = true
        }
        input = ByteBufferAllocator().buffer(capacity: 32 * 1024 + 1024)
    }

    /// The finished body; nil if zlib failed (the stream is then dropped, not pooled).
    func finish() -> ByteBuffer? {
        if gathering {
            gathering = false
            output = pool.compress(output)
        }
        if let stream {
            self.stream = nil
            input.clear()
            do {
                try stream.deflate(&input, appendingTo: &output, flush: .finish)
                try stream.compressor.reset()
                pool.give(stream)
            } catch {
                failed = true
            }
        }
        return failed ? nil : output
    }
}
