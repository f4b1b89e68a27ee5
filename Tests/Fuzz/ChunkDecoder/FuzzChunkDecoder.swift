// libFuzzer target for the ChunkEncoding decoder. Built and run by run.sh (not a SwiftPM
// target); compiled in one module with the ChunkEncoding sources.
//
// Input byte 0 selects the mode:
// - even: the rest is a chunk. Decoding must throw a ChunkError or succeed; when it succeeds
//   the bulk decoder, the iterator and a seek agree, every time lies in the header's range,
//   and re-encoding the samples decodes to the same samples.
// - odd: the rest describes a series (kind, then 9-byte time/value records). Encoding it and
//   decoding must give it back bit-exactly; every strict prefix of the chunk must throw.

private func sameSamples(_ a: (times: [Int64], values: [ChunkValue]), _ b: (times: [Int64], values: [ChunkValue])) -> Bool {
    guard a.times == b.times, a.values.count == b.values.count else { return false }
    for (x, y) in zip(a.values, b.values) {
        guard x == y else { return false }
        if case .string(let s) = x, case .string(let t) = y, !s.utf8.elementsEqual(t.utf8) { return false }
    }
    return true
}

private func checkChunk(_ bytes: [UInt8]) {
    // The header-only read (compaction reads a 64-byte prefix) must throw or agree.
    if let prefix = try? ChunkHeader.read(prefix: Array(bytes.prefix(ChunkHeader.maxByteCount))),
       let full = try? ChunkHeader.read(bytes) {
        precondition(prefix == full, "prefix header differs")
    }
    let decoded: (times: [Int64], values: [ChunkValue])
    do {
        decoded = try ChunkCodec.decode(bytes)
    } catch {
        // The iterator must reject it as well, at the header or at some sample.
        do {
            var iterator = try ChunkIterator(bytes)
            while try iterator.next() != nil {}
            preconditionFailure("iterator accepted a chunk the bulk decoder rejected with \(error)")
        } catch {}
        return
    }
    let header = try! ChunkHeader.read(bytes)
    precondition(header.count == decoded.times.count, "count mismatch")
    for t in decoded.times { precondition(t >= header.minTime && t <= header.maxTime, "time outside header range") }
    var iterator = try! ChunkIterator(bytes)
    var streamed: (times: [Int64], values: [ChunkValue]) = ([], [])
    while let sample = try! iterator.next() {
        streamed.times.append(sample.time)
        streamed.values.append(sample.value)
    }
    precondition(sameSamples(streamed, decoded), "iterator and bulk decoder disagree")
    if let target = decoded.times.last {
        var seeker = try! ChunkIterator(bytes)
        try! seeker.seek(to: target)
        let found = try! seeker.next()
        precondition(found != nil && found!.time >= target, "seek found nothing")
    }
    let again = ChunkCodec.encode(kind: header.kind, times: decoded.times, values: decoded.values)
    precondition(sameSamples(try! ChunkCodec.decode(again), decoded), "re-encoding changed samples")
}

private func checkSeries(_ input: ArraySlice<UInt8>) {
    guard let first = input.first else { return }
    let kind = ChunkValueKind.allCases[Int(first) % ChunkValueKind.allCases.count]
    var times: [Int64] = []
    var values: [ChunkValue] = []
    var rest = input.dropFirst()
    var previous: Int64 = 1_700_000_000_000_000_000
    while rest.count >= 9 {
        let record = Array(rest.prefix(9))
        rest = rest.dropFirst(9)
        var word: UInt64 = 0
        for b in record.dropFirst() { word = word << 8 | UInt64(b) }
        // Small steps are likelier than wild ones, so both regular and chaotic series occur.
        let step = Int64(Int8(bitPattern: record[1])) * 1_000_000
        let time: Int64 = record[0] & 0x80 != 0 ? Int64(bitPattern: word) : previous &+ 10_000_000_000 &+ step
        previous = time
        times.append(time)
        switch kind {
        case .float:
            values.append(.float(record[0] & 0x40 != 0 ? Double(bitPattern: word) : Double(Int64(Int32(truncatingIfNeeded: word)))))
        case .integer: values.append(.integer(Int64(bitPattern: word)))
        case .unsigned: values.append(.unsigned(word))
        case .boolean: values.append(.boolean(word & 1 != 0))
        case .string:
            let scalars = record.dropFirst().prefix(Int(record[0] & 7)).map { Character(Unicode.Scalar($0)) }
            values.append(.string(String(scalars)))
        }
    }
    let bytes = ChunkCodec.encode(kind: kind, times: times, values: values)
    precondition(sameSamples(try! ChunkCodec.decode(bytes), (times, values)), "round trip changed samples")
    for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 64)) {
        do {
            _ = try ChunkCodec.decode(Array(bytes.prefix(length)))
            preconditionFailure("a truncated chunk decoded")
        } catch {}
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    if mode & 1 == 0 {
        checkChunk(Array(bytes.dropFirst()))
    } else {
        checkSeries(bytes.dropFirst())
    }
    return 0
}
