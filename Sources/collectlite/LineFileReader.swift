import CompressNIO
import Foundation
import NIOCore

/// Reads a file line by line in blocks, un-gzipping it when it starts with gzip's magic bytes,
/// so a dump of any size is read in constant memory.
final class LineFileReader {
    let path: String
    /// Bytes of the file on disk.
    let fileSize: Int64
    let isGzip: Bool
    /// Bytes read from disk so far (for progress).
    private(set) var consumed: Int64 = 0
    /// Bytes of (decompressed) text handed out as lines so far, newlines included: after a line,
    /// the offset of the next one.
    private(set) var offset: Int64 = 0

    private let handle: FileHandle
    private let inflater: ZlibDecompressor?
    private var compressed = ByteBuffer()
    private var text: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private static let blockSize = 1 << 18

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let magic = handle.readData(ofLength: 2)
        try handle.seek(toOffset: 0)
        isGzip = magic.count == 2 && magic[magic.startIndex] == 0x1F && magic[magic.startIndex + 1] == 0x8B
        inflater = isGzip ? try ZlibDecompressor(algorithm: .gzip) : nil
    }

    deinit { try? handle.close() }

    /// The next line without its newline, or nil at the end of the file.
    func nextLine() throws -> [UInt8]? {
        while true {
            if let newline = text[position...].firstIndex(of: 0x0A) {
                let line = Array(text[position..<newline])
                offset += Int64(newline - position + 1)
                position = newline + 1
                return line
            }
            if atEnd {
                guard position < text.count else { return nil }
                let line = Array(text[position...])
                offset += Int64(text.count - position)
                position = text.count
                return line
            }
            text.removeFirst(position)
            position = 0
            try fill()
        }
    }

    /// Appends the next block of text.
    private func fill() throws {
        let block = handle.readData(ofLength: Self.blockSize)
        consumed += Int64(block.count)
        guard let inflater else {
            if block.isEmpty { atEnd = true } else { text += block }
            return
        }
        compressed.writeBytes(block)
        if block.isEmpty && compressed.readableBytes == 0 {
            atEnd = true
            return
        }
        var produced = false
        while compressed.readableBytes > 0 {
            var out = ByteBufferAllocator().buffer(capacity: Self.blockSize * 4)
            do {
                try inflater.inflate(from: &compressed, to: &out)
                text += out.readableBytesView
                produced = true
                // The end of a gzip member; a concatenated one may follow.
                if compressed.readableBytes > 0 { try inflater.reset() } else { break }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                text += out.readableBytesView
                produced = true
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                text += out.readableBytesView
                break
            } catch {
                throw ImportError("\(path) is not valid gzip: \(error)")
            }
        }
        if block.isEmpty && !produced {
            atEnd = true
        }
        compressed.discardReadBytes()
    }
}
