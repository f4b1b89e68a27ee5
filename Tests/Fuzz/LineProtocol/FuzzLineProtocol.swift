// libFuzzer target for LineParser. Built and run by run.sh (not a SwiftPM target of the
// main package); compiled in one module with the LineProtocol sources.
//
// Besides crashes and sanitizer reports it checks invariants on every input:
// - every line is either a point or a failure, and failure line numbers ascend;
// - accepted points have a measurement, at least one field, unique tag keys, finite floats;
// - encoding the accepted points with LineEncoder and parsing again gives identical points.
import TimeSeries

private func same(_ a: [Point], _ b: [Point]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.key == y.key, x.time == y.time, x.fields.count == y.fields.count else { return false }
        for (f, g) in zip(x.fields, y.fields) where f.name != g.name || !f.value.isIdentical(to: g.value) { return false }
    }
    return true
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let precision = Precision.allCases[Int(bytes.first ?? 0) % Precision.allCases.count]
    let batch = LineParser(precision: precision, defaultTime: 1_700_000_000_000_000_000).parse(bytes)
    var lastLine = 0
    for failure in batch.failures {
        precondition(failure.line > lastLine, "failure lines must ascend")
        lastLine = failure.line
    }
    for point in batch.points {
        precondition(!point.key.measurement.isEmpty, "empty measurement")
        precondition(!point.fields.isEmpty, "no fields")
        precondition(Set(point.key.tags.map(\.key)).count == point.key.tags.count, "duplicate tag keys")
        for field in point.fields {
            if case .float(let d) = field.value { precondition(d.isFinite, "non-finite float") }
        }
    }
    // Only valid UTF-8 survives a String round trip byte for byte.
    guard String(validating: bytes, as: UTF8.self) != nil else { return 0 }
    let again = LineParser(precision: .ns, defaultTime: 0).parse(Array(LineEncoder.encode(batch.points).utf8))
    precondition(again.failures.isEmpty, "re-encoded points rejected: \(again.failures) from \(LineEncoder.encode(batch.points))")
    precondition(same(again.points, batch.points), "round trip changed points: \(LineEncoder.encode(batch.points))")
    return 0
}
