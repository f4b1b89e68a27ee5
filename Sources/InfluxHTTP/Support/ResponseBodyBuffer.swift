import CompressNIO
import NIOCore
import QueryEngine

/// Takes the query engine's JSON piece by piece (`ResultWriter.json(_:epoch:into:pieceBytes:)`)
/// straight into one response buffer, through a pooled gzip stream when the client accepts
/// gzip: the plain answer is never copied from an array into the buffer, and a gzipped one
/// never exists whole. Used by one encoder at a time.
final class ResponseBodyBuffer: BodySink {
    private(set) var output: ByteBuffer
    private var stream: GzipPool.Stream?
    private let pool: GzipPool
    /// The gzip input of one piece (its storage is reused).
    private var input: ByteBuffer
    /// zlib failed; what was written is unusable.
    private(set) var failed = false

    /// The body is a gzip member.
    let gzipped: Bool

    init(gzip: Bool, pool: GzipPool = .shared) {
        self.pool = pool
        stream = gzip ? pool.take() : nil
        gzipped = stream != nil
        failed = gzip && stream == nil
        output = ByteBufferAllocator().buffer(capacity: gzip ? 8192 : 32 * 1024)
        input = ByteBufferAllocator().buffer(capacity: gzip ? 32 * 1024 + 1024 : 0)
    }

    func write(_ piece: UnsafeRawBufferPointer) {
        guard !failed else { return }
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

    /// The finished body; nil if zlib failed (the stream is then dropped, not pooled).
    func finish() -> ByteBuffer? {
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
