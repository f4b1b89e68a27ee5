// libFuzzer target for the ChunkEncoding decoder. Built and run by run.sh (not a SwiftPM
// target); compiled in one module with the ChunkEncoding sources.
//
// Input byte 0 selects the mode:
// - 0 mod 4: the rest is a chunk (and, read as a chunk summary, must throw or round-trip).
//   Decoding must throw a ChunkError or succeed; when it succeeds
//   the bulk decoder, the iterator, the float fast path and a seek agree, every time lies in
//   the header's range, and re-encoding the samples decodes to the same samples.
// - 2 mod 4: a u16 (big-endian) length n, n bytes of a time sequence, then a chunk decoded as
//   in mode 0 with that sequence as its time reference (version 3). A sequence that does not
//   decode (it must throw, and re-encode exactly when it does decode) is replaced by one
//   derived from its bytes, so damaged references are tried too.
// - odd: the rest describes a series (kind, then 9-byte time/value records). Encoding it and
//   decoding must give it back bit-exactly; every strict prefix of the chunk must throw. The
//   series, made strictly ascending, is also encoded against a reference derived from it (and
//   its records) and as a time sequence, with the same checks.

private func sameSamples(_ a: (times: [Int64], values: [ChunkValue]), _ b: (times: [Int64], values: [ChunkValue])) -> Bool {
    guard a.times == b.times, a.values.count == b.values.count else { return false }
    for (x, y) in zip(a.values, b.values) {
        guard x == y else { return false }
        if case .string(let s) = x, case .string(let t) = y, !s.utf8.elementsEqual(t.utf8) { return false }
    }
    return true
}

private func checkChunk(_ bytes: [UInt8], reference: [Int64]?) {
    // The same bytes read as a chunk summary must throw or give a summary that round-trips.
    if let summary = try? ChunkSummary(decoding: bytes) {
        precondition((try? ChunkSummary(decoding: summary.encoded)) == summary, "summary round trip changed it")
    }
    // The header-only read (compaction reads a 64-byte prefix) must throw or agree.
    if let prefix = try? ChunkHeader.read(prefix: Array(bytes.prefix(ChunkHeader.maxByteCount))),
       let full = try? ChunkHeader.read(bytes) {
        precondition(prefix == full, "prefix header differs")
    }
    let decoded: (times: [Int64], values: [ChunkValue])
    do {
        decoded = try ChunkCodec.decode(bytes, reference: reference)
    } catch {
        // The iterator must reject it as well, at the header or at some sample.
        do {
            var iterator = try ChunkIterator(bytes, reference: reference)
            while try iterator.next() != nil {}
            preconditionFailure("iterator accepted a chunk the bulk decoder rejected with \(error)")
        } catch {}
        return
    }
    let header = try! ChunkHeader.read(bytes)
    precondition(header.count == decoded.times.count, "count mismatch")
    for t in decoded.times { precondition(t >= header.minTime && t <= header.maxTime, "time outside header range") }
    if header.timeReference != nil {
        precondition(reference != nil, "a referenced chunk decoded without its reference")
        for i in decoded.times.indices.dropFirst() { precondition(decoded.times[i - 1] < decoded.times[i], "referenced times not ascending") }
        do throws(ChunkError) {
            _ = try ChunkCodec.decode(bytes)
            preconditionFailure("a referenced chunk decoded without a reference")
        } catch {
            precondition(error == .missingReference, "wrong error without a reference: \(error)")
        }
    }
    if header.kind == .float, let summary = ChunkSummary(times: decoded.times, values: decoded.values) {
        precondition((try? ChunkSummary(decoding: summary.encoded)) == summary, "summary of a chunk does not round-trip")
    }
    if header.kind == .float {
        var times: [Int64] = []
        var values: [Double] = []
        precondition(try! ChunkCodec.appendFloats(bytes, from: .min, through: .max, times: &times, values: &values, reference: reference))
        precondition(sameSamples((times, values.map(ChunkValue.float)), decoded), "float fast path disagrees")
    }
    var iterator = try! ChunkIterator(bytes, reference: reference)
    var streamed: (times: [Int64], values: [ChunkValue]) = ([], [])
    while let sample = try! iterator.next() {
        streamed.times.append(sample.time)
        streamed.values.append(sample.value)
    }
    precondition(sameSamples(streamed, decoded), "iterator and bulk decoder disagree")
    if let target = decoded.times.last {
        var seeker = try! ChunkIterator(bytes, reference: reference)
        try! seeker.seek(to: target)
        let found = try! seeker.next()
        precondition(found != nil && found!.time >= target, "seek found nothing")
    }
    let again = ChunkCodec.encode(kind: header.kind, times: decoded.times, values: decoded.values)
    precondition(sameSamples(try! ChunkCodec.decode(again), decoded), "re-encoding changed samples")
    if let id = header.timeReference, let reference {
        let referenced = ChunkCodec.encode(kind: header.kind, times: decoded.times, values: decoded.values,
                                           reference: TimeReference(id: id, times: reference))
        precondition(try! ChunkHeader.read(referenced).timeReference == id, "reference id changed")
        precondition(sameSamples(try! ChunkCodec.decode(referenced, reference: reference), decoded), "re-encoding against the reference changed samples")
    }
}

/// Times from bytes: 10 s steps moved by a signed byte of ms each (ascending when the bytes are small).
private func derivedTimes(_ bytes: ArraySlice<UInt8>, start: Int64) -> [Int64] {
    var time = start
    return bytes.map { byte in
        time = time &+ 10_000_000_000 &+ Int64(Int8(bitPattern: byte)) &* 1_000_000
        return time
    }
}

private func checkReferenced(_ input: ArraySlice<UInt8>) {
    guard input.count >= 2 else { return }
    let length = Int(input[input.startIndex]) << 8 | Int(input[input.startIndex + 1])
    let clock = Array(input.dropFirst(2).prefix(length))
    let chunk = Array(input.dropFirst(2 + length))
    var reference: [Int64]
    do {
        reference = try ChunkCodec.decodeTimes(clock)
        precondition(try! ChunkCodec.decodeTimes(ChunkCodec.encodeTimes(reference)) == reference, "time sequence re-encoding changed it")
    } catch {
        reference = derivedTimes(clock[...], start: 1_700_000_000_000_000_000)
    }
    checkChunk(chunk, reference: reference)
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
    precondition(try! ChunkCodec.decodeTimes(ChunkCodec.encodeTimes(times)) == times, "time sequence round trip changed times")

    // The same samples ordered by time, without repeated times, against a reference that
    // matches most of them: records' last bytes move some entries, and it runs on past the chunk.
    var seen = Set<Int64>()
    let order = times.indices.sorted { times[$0] < times[$1] }.filter { seen.insert(times[$0]).inserted }
    let ascending = order.map { times[$0] }
    let ascendingValues = order.map { values[$0] }
    let moves = derivedTimes(input.suffix(ascending.count + 3), start: 0)
    var reference = ascending.indices.map { i in
        moves[i] % 7 == 0 ? ascending[i] &+ (moves[i] % 5_000_000_000) : ascending[i]
    }
    reference += moves.suffix(3).map { (ascending.last ?? 0) &+ $0 }
    let referenced = ChunkCodec.encode(kind: kind, times: ascending, values: ascendingValues,
                                       reference: TimeReference(id: Int64(input.count), times: reference))
    precondition(sameSamples(try! ChunkCodec.decode(referenced, reference: reference), (ascending, ascendingValues)),
                 "round trip against a reference changed samples")
    for length in stride(from: 0, to: referenced.count, by: max(1, referenced.count / 64)) {
        do {
            _ = try ChunkCodec.decode(Array(referenced.prefix(length)), reference: reference)
            preconditionFailure("a truncated referenced chunk decoded")
        } catch {}
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    if mode & 3 == 0 {
        checkChunk(Array(bytes.dropFirst()), reference: nil)
    } else if mode & 3 == 2 {
        checkReferenced(bytes.dropFirst())
    } else {
        checkSeries(bytes.dropFirst())
    }
    return 0
}
