/// The codec choices of one chunk that the next chunk of the same series can stream with from
/// its first sample (`ChunkAppender.reset(carrying:)`), so a seal rarely has to re-encode.
/// Scales of floats are not carried: the first value that needs one picks it.
public struct ChunkOptions: Sendable, Equatable {
    var valueOrder = 2
    var bias: Int64 = 0
    var timeGrid = false
    /// The grid interval in nanoseconds (the next chunk may pick another time scale).
    var gridIntervalNanos: Int64 = 0
    var rawFloats = false

    public static let defaults = ChunkOptions()
}

extension ChunkAppender {
    /// The options this chunk streams with, for the next chunk of its series.
    public var options: ChunkOptions {
        ChunkOptions(valueOrder: codec.valueOrder, bias: codec.bias, timeGrid: codec.timeGrid,
                     gridIntervalNanos: codec.timeGrid ? gridInterval &* scale : 0, rawFloats: codec.rawFloats)
    }

    /// Empties the appender (keeping its buffer) for the next chunk, streaming with `options`.
    public mutating func reset(carrying options: ChunkOptions) {
        reset()
        codec.valueOrder = kind == .integer || kind == .unsigned || kind == .float ? options.valueOrder : 2
        codec.bias = codec.valueOrder == 2 ? 0 : options.bias
        codec.timeGrid = options.timeGrid && options.gridIntervalNanos != 0
        pendingGridNanos = codec.timeGrid ? options.gridIntervalNanos : 0
        codec.rawFloats = kind == .float && options.rawFloats
        integers.order = codec.valueOrder
        integers.bias = codec.bias
        integers.golomb = Int8(codec.golomb ?? -1)
    }

    /// Size in bits of the samples so far (without the header), for deciding when to re-evaluate.
    public var bodyBitCount: Int { bits.bitCount }

    /// The same samples re-encoded with the codec options that make this chunk smallest, or
    /// the appender itself when its current encoding is within 2 % of the best.
    ///
    /// Appending streams with version 1's choices (delta-of-delta times and integers, XOR
    /// floats). When a chunk is sealed or rewritten, each stream is costed exactly under each
    /// alternative of chunk version 2 (the cost of a stream does not depend on the other's):
    /// - timestamps: delta-of-delta, or the distance from a grid `first + i × interval` with the
    ///   chunk's mean interval (jittery clocks whose jitter does not accumulate);
    /// - integer-coded values: delta-of-delta, delta (random walks and random increments) or the
    ///   value itself (independent values such as random levels);
    /// - other floats: XOR, or the raw 64-bit patterns (when XOR's control bits cost more than
    ///   they save).
    ///
    /// A chunk coded against a time reference (version 3) is returned as it is.
    public func optimized() -> ChunkAppender {
        guard count >= 4, kind != .boolean || count >= 16, timeReference == nil else { return self }
        var times: [Int64] = []
        var values: [ChunkValue] = []
        times.reserveCapacity(count)
        values.reserveCapacity(count)
        do throws(ChunkError) {
            var iterator = try ChunkIterator(finish())
            while let sample = try iterator.next() {
                times.append(sample.time)
                values.append(sample.value)
            }
        } catch {
            preconditionFailure("re-reading a chunk this appender wrote failed: \(error)")
        }
        let exponent = Swift.max(scaleExponent, 0)
        let time = Self.timeCosts(times, exponent: exponent)
        let value = Self.valueCosts(kind: kind, values: values, integralFloats: integralFloats,
                                    decimalExponent: decimalExponent, binaryScale: codec.binaryScale)
        var best = value.options
        best.timeGrid = time.grid < time.dod
        guard best != codec || (best.timeGrid && (time.interval != gridInterval || time.offset != gridOffset)) else { return self }
        // Estimated sizes; stream costs are exact, the header differs by the codec byte and interval.
        let currentBits: Int = (codec.timeGrid ? time.grid : time.dod) + value.cost(of: codec)
        let bestBits: Int = (best.timeGrid ? time.grid : time.dod) + value.cost(of: best)
        let extra = (best == .versionOne ? 0 : 8) - (codec == .versionOne ? 0 : 8)
        let saving = currentBits - (bestBits + extra)
        guard saving * 50 > bits.bitCount else { return self }
        var fresh = ChunkAppender(kind: kind, scaleExponent: exponent, integralFloats: integralFloats, codec: best,
                                  gridInterval: time.interval, gridOffset: time.offset)
        fresh.bits.reserve(bits: bits.bitCount)
        for i in times.indices { fresh.append(time: times[i], values[i]) }
        return fresh
    }

    /// The integer the integer codec stores for `value`.
    @inline(__always)
    static func integerCoding(_ value: ChunkValue, decimalExponent: Int, binary: Bool) -> Int64 {
        switch value {
        case .integer(let v): v
        case .unsigned(let v): Int64(bitPattern: v)
        case .float(let v): DecimalScale.scaled(v, exponent: decimalExponent, binary: binary) ?? 0
        default: 0
        }
    }

    /// (min + max) / 2 without overflow; 0 for an empty slice.
    static func midrange(_ values: ArraySlice<Int64>) -> Int64 {
        guard let lo = values.min(), let hi = values.max() else { return 0 }
        return lo / 2 + hi / 2 + (lo % 2 + hi % 2) / 2
    }

    static func varintLength(_ value: UInt64) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }
}
