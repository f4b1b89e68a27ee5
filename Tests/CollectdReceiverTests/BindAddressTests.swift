import Testing

@testable import CollectdReceiver

@Suite struct BindAddressTests {
    @Test(arguments: [
        ("0.0.0.0:25826", "0.0.0.0", 25826),
        ("127.0.0.1:0", "127.0.0.1", 0),
        (":8086", "0.0.0.0", 8086),
        ("[::1]:25826", "::1", 25826),
        ("[ff18::efc0:4a42]:25826", "ff18::efc0:4a42", 25826),
        ("239.192.74.66:25826", "239.192.74.66", 25826),
        ("localhost:1", "localhost", 1),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let address = try BindAddress(parsing: text)
        #expect(address.host == host && address.port == port)
        #expect(try BindAddress(parsing: address.description) == address)
    }

    @Test(arguments: ["", "25826", "host", "host:", "host:65536", "host:-1", "::1:25826", "[::1]25826", "[::1", "h:p"])
    func rejects(text: String) {
        #expect(throws: CollectdReceiverError.self) { try BindAddress(parsing: text) }
    }
}
