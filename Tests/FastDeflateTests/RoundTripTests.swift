import CZlibRef
import Testing
@testable import FastDeflate

@Suite struct RoundTripTests {
    @Test func empty() {
        let (gz, problem) = roundTrip([])
        #expect(problem == nil, "\(problem ?? "")")
        #expect(gz.count == 20)
    }

    @Test func oneByte() {
        for b: UInt8 in [0, 0x41, 0xFF] {
            let (_, problem) = roundTrip([b])
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    @Test func allByteValues() {
        let input = (0..<256).map { UInt8($0) }
        let (_, problem) = roundTrip(input)
        #expect(problem == nil, "\(problem ?? "")")
        let (_, problem2) = roundTrip(input + input + input)
        #expect(problem2 == nil, "\(problem2 ?? "")")
    }

    @Test func shortInputsAllLengths() {
        var rng = SplitMix64(seed: 7)
        for n in 0..<300 {
            let input = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.below(3) + 0x30) }
            let (_, problem) = roundTrip(input)
            #expect(problem == nil, "length \(n): \(problem ?? "")")
        }
    }

    @Test func hundredKiBZeros() {
        let input = [UInt8](repeating: 0, count: 100 * 1024)
        let (gz, problem) = roundTrip(input)
        #expect(problem == nil, "\(problem ?? "")")
        #expect(gz.count < 1000)
    }

    @Test func oneMiBRandomFallsBackToStored() {
        var rng = SplitMix64(seed: 42)
        var input = [UInt8](repeating: 0, count: 1 << 20)
        for i in stride(from: 0, to: input.count, by: 8) {
            let v = rng.next()
            for k in 0..<8 { input[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        }
        let (gz, problem) = roundTrip(input)
        #expect(problem == nil, "\(problem ?? "")")
        // Stored blocks: 5 bytes per 64 KiB piece plus header and trailer.
        let storedSize = input.count + 5 * ((input.count + 65534) / 65535) + 18
        #expect(gz.count <= storedSize + 16, "random data grew to \(gz.count) bytes")
        #expect(gz.count <= GzipEncoder.maxEncodedSize(input.count))
    }

    @Test func repeatedShortPattern() {
        let pattern = Array("{\"t\":1700000000,\"v\":0.25},".utf8)
        var input = [UInt8]()
        while input.count < 300 * 1024 { input += pattern }
        let (gz, problem) = roundTrip(input)
        #expect(problem == nil, "\(problem ?? "")")
        #expect(gz.count < input.count / 50)
    }

    @Test func longRunsAndMaxLengthMatches() {
        // Runs crossing the 258 limit, distance-1 and distance-32768 repeats.
        var rng = SplitMix64(seed: 3)
        var block = [UInt8](repeating: 0, count: 32768)
        for i in 0..<block.count { block[i] = UInt8(truncatingIfNeeded: rng.next()) }
        var input = block + block + [UInt8](repeating: 0x61, count: 1000) + block
        input += [UInt8](repeating: 0x62, count: 259) + [UInt8](repeating: 0x63, count: 258)
        let (_, problem) = roundTrip(input)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test func sampleBodies() throws {
        var found = 0
        let encoder = GzipEncoder()
        // Answers of the shipped dashboards' panels (Benchmarks/compare-influxdb's day), as served.
        let fixtures = String(#filePath.dropLast("RoundTripTests.swift".count)) + "Fixtures/"
        for i in [0, 1, 2, 6] {
            guard let body = readFile(fixtures + "panel\(i).json") else { continue }
            found += 1
            let (gz, problem) = roundTrip(body, encoder: encoder)
            #expect(problem == nil, "panel\(i): \(problem ?? "")")
            let zlibSize = ZlibRef.gzipLevel1Size(body)
            #expect(Double(gz.count) <= 1.15 * Double(zlibSize), "panel\(i): \(gz.count) vs zlib-1 \(zlibSize)")
        }
        #expect(found == 4, "sample bodies missing from \(fixtures)")
    }

    @Test func randomRepetitiveInputs() {
        var rng = SplitMix64(seed: 0x5EED_2024)
        let encoder = GzipEncoder()
        for i in 0..<2000 {
            let length = rng.below(70_001)
            let input = randomRepetitive(&rng, length: length)
            let (_, problem) = roundTrip(input, encoder: encoder)
            #expect(problem == nil, "case \(i), length \(length): \(problem ?? "")")
            if problem != nil { break }
        }
    }

    @Test func encoderReuseIsDeterministic() {
        var rng = SplitMix64(seed: 11)
        let a = randomRepetitive(&rng, length: 50_000)
        let b = randomRepetitive(&rng, length: 120_000)
        let encoder = GzipEncoder()
        let a1 = encoder.encode(a)
        let b1 = encoder.encode(b)
        let a2 = encoder.encode(a)
        #expect(a1 == a2)
        #expect(b1 == GzipEncoder().encode(b))
        #expect(a1 == GzipEncoder().encode(a))
    }

    @Test func tableNumberingWrapsAround() {
        // Table entries are 32-bit positions plus a per-call offset; force the offset
        // close to 2^32 so the tables are reset in the middle of a multi-block input.
        var rng = SplitMix64(seed: 21)
        let input = randomRepetitive(&rng, length: 400_000)
        let encoder = GzipEncoder()
        let reference = encoder.encode(input)
        for gap in [0, 1, 100_000, 200_000, 300_000] {
            encoder.nextOffset = Int(UInt32.max) - gap
            let (gz, problem) = roundTrip(input, encoder: encoder)
            #expect(problem == nil, "gap \(gap): \(problem ?? "")")
            #expect(gz.count <= reference.count + reference.count / 20)  // a reset forgets the window once
        }
        // And it keeps working (and is deterministic again) afterwards.
        let (_, problem) = roundTrip(input, encoder: encoder)
        #expect(problem == nil)
    }

    @Test func arrayAndPointerAPIsAgree() {
        var rng = SplitMix64(seed: 5)
        let input = randomRepetitive(&rng, length: 10_000)
        let (gz, problem) = roundTrip(input)
        #expect(problem == nil)
        #expect(GzipEncoder().encode(input) == gz)
    }
}

@Suite struct CRC32Tests {
    @Test func matchesZlib() {
        var rng = SplitMix64(seed: 99)
        for n in [0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1000, 4096, 65537] {
            let data = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let ours = data.withUnsafeBytes { CRC32.checksum($0) }
            #expect(ours == ZlibRef.crc(data), "length \(n)")
            let seed: UInt32 = 0xDEAD_BEEF
            let chained = data.withUnsafeBytes { CRC32.checksum($0, seed: seed) }
            #expect(chained == ZlibRef.crc(data, seed: seed), "seeded, length \(n)")
        }
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
        #expect(check == 0xCBF4_3926)
    }

    @Test func chainingSplitsAgree() {
        var rng = SplitMix64(seed: 1)
        let data = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let whole = data.withUnsafeBytes { CRC32.checksum($0) }
        for cut in [0, 1, 13, 2500, 4999, 5000] {
            let first = data[0..<cut].withUnsafeBytes { CRC32.checksum($0) }
            let second = data[cut...].withUnsafeBytes { CRC32.checksum($0, seed: first) }
            #expect(second == whole, "cut \(cut)")
        }
    }
}
