// libFuzzer target for LineParser. Built and run by run.sh (not a SwiftPM target of the
// main package); compiled in one module with the LineProtocol sources.
//
// Besides crashes and sanitizer reports it checks invariants on every input:
// - every line is either a point or a failure, and failure line numbers ascend;
// - accepted points have a measurement, at least one field, unique tag keys, finite floats;
// - encoding the accepted points with LineEncoder and parsing again gives identical points,
//   unless a name holds a backslash right before a byte its part escapes: InfluxDB's scan of
//   the fields pairs backslashes while its walk of them and its key scan do not, so such a name
//   has no spelling both read alike (InfluxDB cannot write it back either); nor a name holding
//   a newline, which only a line opened by a space (a string from its first `"`) keeps.
import TimeSeries

private func same(_ a: [Point], _ b: [Point]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        guard x.key == y.key, x.time == y.time, x.fields.count == y.fields.count else { return false }
        for (f, g) in zip(x.fields, y.fields) where f.name != g.name || !f.value.isIdentical(to: g.value) { return false }
    }
    return true
}

/// A backslash before `,` `=` space `"` or `\` (or at the end), or a newline, in a measurement,
/// tag or field key.
private func hasAmbiguousName(_ point: Point) -> Bool {
    func ambiguous(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        if bytes.contains(UInt8(ascii: "\n")) { return true }
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\\") {
            guard i + 1 < bytes.count else { return true }
            if [UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(bytes[i + 1]) { return true }
        }
        return false
    }
    return ambiguous(point.key.measurement) || point.key.tags.contains { ambiguous($0.key) || ambiguous($0.value) }
        || point.fields.contains { ambiguous($0.name) }
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
    guard !batch.points.contains(where: hasAmbiguousName) else { return 0 }
    let again = LineParser(precision: .ns, defaultTime: 0).parse(Array(LineEncoder.encode(batch.points).utf8))
    precondition(again.failures.isEmpty, "re-encoded points rejected: \(again.failures) from \(LineEncoder.encode(batch.points))")
    precondition(same(again.points, batch.points), "round trip changed points: \(LineEncoder.encode(batch.points))")
    return 0
}
