// libFuzzer harness for PatternProgram (compiled together with Sources/TimeSeries/PatternProgram.swift
// by run.sh).
//
// Input: a pattern, a 0 byte, a text. Checks, for every input: compiling never crashes; matching
// never crashes and stays linear (libFuzzer's -timeout catches a hang); on printable ASCII text,
// a compiled pattern answers as Swift's regex engine does wherever both read the pattern (Go's and
// Swift's rules differ only on newlines, Unicode digits and a `]` first in a class, which printable
// ASCII text and Swift's refusal keep out). Swift's engine backtracks, exponentially on patterns
// such as `(a|a$|…){44}` that ours runs in microseconds, so it is asked only about short texts and
// patterns with at most two repetitions, four alternatives and no counted repetition.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPatternProgram(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let pattern = String(decoding: bytes[..<split], as: UTF8.self)
    let text = split < size ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : ""
    guard pattern.utf8.count <= 200, let program = PatternProgram(pattern) else { return 0 }
    let ours = program.matches(text)
    let repetitions = pattern.utf8.filter { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "?") }.count
    let branches = pattern.utf8.filter { $0 == UInt8(ascii: "|") }.count
    guard repetitions <= 2, branches <= 4, !pattern.utf8.contains(UInt8(ascii: "{")), text.utf8.count <= 16, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
          let regex = try? Regex(pattern) else { return 0 }
    let swift = (try? regex.firstMatch(in: text)) != nil
    if ours != swift {
        fatalError("pattern \(pattern.debugDescription) on \(text.debugDescription): PatternProgram \(ours), Swift \(swift)")
    }
    return 0
}
