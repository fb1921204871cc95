import CLIPTokenization
import Foundation
import Testing

/// Hostile input: invalid UTF-8, huge strings, truncation edges, concurrency.
@Suite struct BadInputTests {
    @Test func invalidUTF8OnInput() throws {
        let data = Data([0x61, 0x0A, 0x62, 0xC3, 0x28, 0x0A])
        #expect(throws: TokenizerError.invalidUTF8(source: "stdin", byteOffset: 3)) {
            try UTF8Lines.split(data, source: "stdin")
        }
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(UTF8Lines.firstInvalidByte([0x41] + bad) == 1, "\(bad)")
        }
        #expect(try UTF8Lines.split(Data("a\r\nb\n\nc\n".utf8), source: "x") == ["a", "b", "", "c"])
        #expect(UTF8Lines.firstInvalidByte(Array("héllo 👗 連".utf8)) == nil)
    }

    @Test func tenMegabyteString() throws {
        let tokenizer = try Fixtures.loaded()
        let sentence = "Slim fit organic cotton t-shirt, navy — 100% cotton. "
        let text = String(repeating: sentence, count: 10_000_000 / sentence.utf8.count)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let ids = tokenizer.encode(text)
            #expect(ids.count == 77)
            #expect(ids.first == 49406 && ids.last == 49407)
            #expect(Array(ids[1..<10]) == Array(tokenizer.encode(sentence)[1..<10]))
        }
        #expect(elapsed < .seconds(20))
    }

    /// Truncated encodes of long texts (processed in chunks, stopping early) equal the full encode, cut.
    @Test func truncatedLongTextsMatchFullEncode() throws {
        let tokenizer = try Fixtures.loaded()
        var rng = SplitMix64(seed: 11)
        let words = [
            "linen", "dress", "naïve", "cafe\u{301}", "连衣裙", "👗", "42", "—", "<|endoftext|>", "it's",
            "\t", "\u{3000}", "ΟΔΟΣ", "ab\u{1DF9}\u{308}"
        ]
        for _ in 0..<3 {
            let text = (0..<12_000).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            let full = tokenizer.encode(text, maxLength: nil)
            for maxLength in [2, 77, 5_000, 15_000] {
                let expected = full.count <= maxLength ? full : Array(full[..<(maxLength - 1)]) + [49407]
                #expect(tokenizer.encode(text, maxLength: maxLength) == expected, "maxLength \(maxLength)")
            }
        }
    }

    /// One 200 kB piece without spaces goes through the O(n log n) merge loop.
    @Test func longSinglePiece() throws {
        let tokenizer = try Fixtures.loaded()
        let ids = tokenizer.encode(String(repeating: "ab", count: 100_000), maxLength: nil)
        #expect(ids.count > 2)
        #expect(tokenizer.decode(ids) == String(repeating: "ab", count: 100_000))
    }

    @Test func truncationEdges() throws {
        let tokenizer = try Fixtures.loaded()
        #expect(tokenizer.encode("a red dress", maxLength: 2) == [49406, 49407])
        #expect(tokenizer.encode("a red dress", maxLength: 3) == [49406, 320, 49407])
        #expect(tokenizer.encode("", maxLength: 77) == [49406, 49407])
        #expect(tokenizer.tokenize("a photo") == [320, 1125])
    }

    /// The short (quadratic) and long (heap) merge loops agree on random words.
    @Test func mergeLoopsAgree() throws {
        let tokenizer = try Fixtures.loaded()
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8) + Array("éü".utf8)
        for _ in 0..<300 {
            let length = Int(rng.next() % 40) + 1
            let word = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let short = tokenizer.mergePiece(word, long: false)
            let long = tokenizer.mergePiece(word, long: true)
            #expect(short == long, "\(String(decoding: word, as: UTF8.self))")
        }
    }

    @Test func concurrentCallersAgree() async throws {
        let tokenizer = try Fixtures.loaded()
        let texts = (0..<600).map { "Product \($0): linen blazer size \($0 % 7) — naïve café 👗 \($0 * 37)" }
        let serial = texts.map { tokenizer.encode($0) }
        let parallel = await withTaskGroup(of: (Int, [Int32]).self) { group in
            for (i, text) in texts.enumerated() { group.addTask { (i, tokenizer.encode(text)) } }
            var out = [[Int32]](repeating: [], count: texts.count)
            for await (i, ids) in group { out[i] = ids }
            return out
        }
        #expect(parallel == serial)
    }
}

/// Deterministic generator for test inputs.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
