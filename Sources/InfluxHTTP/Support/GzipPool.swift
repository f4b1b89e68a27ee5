import CompressNIO
import FastDeflate
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// gzip streams kept between responses. `deflateInit2` allocates about 270 KiB of window and hash
/// tables per stream; doing that per answer was the largest fixed cost of a small gzipped reply.
/// A stream is reset (`deflateReset`, which keeps its tables) and put back after each use, as Go's
/// `http` package pools its `gzip.Writer`s.
final class GzipPool: Sendable {
    /// A zlib stream; used by one caller at a time (taken out of the pool), hence unchecked.
    final class Stream: @unchecked Sendable {
        let compressor: ZlibCompressor
        init() throws {
            compressor = try ZlibCompressor(algorithm: .gzip, configuration: .init(compressionLevel: GzipPool.level))
        }

        /// Compresses `input` into `output`'s writable end, growing it as needed; `.no` may keep
        /// some of it inside the stream until a later flush.
        func deflate(_ input: inout ByteBuffer, appendingTo output: inout ByteBuffer, flush: CompressNIOFlush) throws {
            while true {
                output.reserveCapacity(minimumWritableBytes: max(4096, input.readableBytes / 4))
                do {
                    try compressor.deflate(from: &input, to: &output, flush: flush)
                    // `.finish` returns only at the member's end; the others once the input is in.
                    if flush == .finish || input.readableBytes == 0 && output.writableBytes > 0 { return }
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    // Z_BUF_ERROR with room left: nothing more to write for this flush.
                    if flush != .finish && input.readableBytes == 0 && output.writableBytes > 0 { return }
                }
            }
        }

        /// Compresses `input`; `.sync` ends on a byte boundary (a chunk the client can read now),
        /// `.finish` ends the member.
        func deflate(_ input: ByteBuffer, flush: CompressNIOFlush) throws -> ByteBuffer {
            var input = input
            var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
            while true {
                do {
                    try compressor.deflate(from: &input, to: &output, flush: flush)
                    if flush == .finish || output.writableBytes > 0 { return output }
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    // Z_BUF_ERROR with room left: nothing more to write for this flush.
                    if flush != .finish && output.writableBytes > 0 { return output }
                }
                output.reserveCapacity(minimumWritableBytes: 4096)
            }
        }
    }

    /// zlib level 1 (nginx's default `gzip_comp_level`). At level 6, zlib's default, a fleet
    /// panel's 400 KB answer took 9.8 ms to compress against 3.1 ms (29 % of that panel's server
    /// CPU went to zlib) for a body 27 % smaller (Docs/benchmarks.md, "Read path, eleventh pass").
    static let level: Int32 = 1

    private let idle = Mutex<[Stream]>([])
    private let capacity: Int

    /// - Parameter capacity: streams kept idle at most (one per concurrent response is enough).
    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// The gzip member of `body`'s readable bytes, from `FastDeflate` (single-probe LZ77 and
    /// dynamic Huffman blocks): zlib level 1 took 130 µs for a host panel's 8 KB answer here, 14 %
    /// of that request's server CPU.
    func compress(_ body: ByteBuffer) -> ByteBuffer {
        let encoder = encoders.withLock { $0.popLast() } ?? GzipEncoder()
        let bound = GzipEncoder.maxEncodedSize(body.readableBytes)
        var output = ByteBufferAllocator().buffer(capacity: bound)
        body.withUnsafeReadableBytes { input in
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
                encoder.encode(input, into: out)
            }
        }
        encoders.withLock { idle in
            if idle.count < capacity { idle.append(encoder) }
        }
        return output
    }

    /// Encoders kept between answers (each holds its hash table and symbol buffers).
    private let encoders = Mutex<[GzipEncoder]>([])

    /// A body that sends each chunk as soon as it is encoded (gzip: flushed per chunk, as Go's
    /// gzip writer is on `http.Flusher.Flush`), holding one chunk at a time. Chunks are made on
    /// the thread pool: a streamed answer reads the store for each.
    func streamedBody(_ chunks: QueryChunks, through stream: Stream?) -> ResponseBody {
        ResponseBody { writer in
            while let piece = try await NIOThreadPool.singleton.runIfActive({ chunks.next() }) {
                let buffer = ByteBuffer(bytes: piece)
                try await writer.write(stream.map { try $0.deflate(buffer, flush: .sync) } ?? buffer)
            }
            if let stream {
                try await writer.write(try stream.deflate(ByteBufferAllocator().buffer(capacity: 0), flush: .finish))
                try stream.compressor.reset()
                self.give(stream)
            }
            try await writer.finish(nil)
        }
    }

    /// The pool for answers the query handler gzips as it encodes them (`ResponseBodyBuffer`).
    static let shared = GzipPool()

    /// An idle stream, or a new one; nil if zlib cannot make one.
    func take() -> Stream? {
        if let stream = idle.withLock({ $0.popLast() }) { return stream }
        return try? Stream()
    }

    func give(_ stream: Stream) {
        idle.withLock { streams in
            if streams.count < capacity { streams.append(stream) }
        }
    }
}
