import NIOCore

extension ByteBuffer {
    /// The string of a string part's payload at absolute `index`: the bytes before the
    /// first NUL. The caller has checked that the payload ends in NUL.
    @inline(__always)
    func collectdString(at index: Int, payloadLength: Int) -> String {
        withUnsafeReadableBytes { raw in
            let start = index - readerIndex
            var end = start
            let limit = start + payloadLength - 1
            while end < limit && raw[end] != 0 { end += 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
        }
    }

    /// The bytes at absolute `index..<index + length` as an array.
    @inline(__always)
    func collectdBytes(at index: Int, length: Int) -> [UInt8] {
        getBytes(at: index, length: length) ?? []
    }
}
