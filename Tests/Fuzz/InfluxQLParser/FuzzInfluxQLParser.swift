// libFuzzer harness for the InfluxQL parser (compiled together with Sources/InfluxQL by run.sh).
//
// Checks, for every input: parsing never crashes or hangs; a successful parse renders to text
// that parses again to the same statements (the round-trip property); errors carry a position
// of at least line 1, char 1 unless InfluxDB reports none.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInfluxQLParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let statements = try InfluxQLParser.parse(text)
        let rendered = InfluxQLParser.render(statements)
        do {
            let again = try InfluxQLParser.parse(rendered)
            if again != statements {
                fatalError("round trip changed the AST:\n  input: \(text)\n  render: \(rendered)\n  again: \(InfluxQLParser.render(again))")
            }
        } catch {
            fatalError("rendered text does not parse: \(error)\n  input: \(text)\n  render: \(rendered)")
        }
    } catch {
        if (error.line == 0) != (error.char == 0) || error.line < 0 || error.char < 0 {
            fatalError("bad error position: \(error)")
        }
    }
    return 0
}
