extension UnsafeRawBufferPointer {
    // The callers check every index against the part lengths first; these loads only
    // assert bounds in debug builds.

    @inline(__always)
    func bigEndianUInt16(at index: Int) -> UInt16 {
        UInt16(bigEndian: loadUnaligned(fromByteOffset: index, as: UInt16.self))
    }

    @inline(__always)
    func bigEndianUInt64(at index: Int) -> UInt64 {
        UInt64(bigEndian: loadUnaligned(fromByteOffset: index, as: UInt64.self))
    }

    /// The string of a string part's payload at `index`: the bytes before the first NUL.
    /// The caller has checked that the payload ends in NUL.
    @inline(__always)
    func collectdString(at index: Int, payloadLength: Int) -> String {
        var end = index
        let limit = index + payloadLength - 1
        while end < limit && self[end] != 0 { end += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: self[index..<end]), as: UTF8.self)
    }

    /// The bytes of a string part's payload at `index` before the first NUL, as a view.
    @inline(__always)
    func collectdStringBytes(at index: Int, payloadLength: Int) -> UnsafeRawBufferPointer {
        var end = index
        let limit = index + payloadLength - 1
        while end < limit && self[end] != 0 { end += 1 }
        return UnsafeRawBufferPointer(rebasing: self[index..<end])
    }

    /// The bytes at `index..<index + length` as an array.
    @inline(__always)
    func collectdBytes(at index: Int, length: Int) -> [UInt8] {
        Array(self[index..<index + length])
    }
}
