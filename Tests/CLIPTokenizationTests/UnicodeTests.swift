import CLIPTokenization
import Foundation
import Testing

/// The Unicode pieces of the normaliser against the reference's behaviour.
@Suite struct UnicodeTests {
    /// Every scalar's NFC equals the reference's (`tokenizers`' NFC normaliser, per scalar).
    @Test func nfcOfEveryScalar() throws {
        let url = Fixtures.url("nfc.json")
        let data = try #require(try? Data(contentsOf: url), "missing \(url.path): run make goldens")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["fixture_version"] as? Int == Fixtures.expectedVersion, "stale \(url.path): run make goldens")
        var expected: [UInt32: [UInt32]] = [:]
        for (key, value) in json["nfc"] as? [String: [Int]] ?? [:] {
            expected[UInt32(key, radix: 16)!] = value.map { UInt32($0) }
        }
        #expect(expected.count > 1000)
        var mismatches: [String] = []
        for value: UInt32 in 0x80...0x10FFFF where !(0xD800...0xDFFF).contains(value) {
            let bytes = Array(String(Unicode.Scalar(value)!).utf8)
            let out = CLIPTokenizer.referenceNFC(bytes)
            let got = String(decoding: out, as: UTF8.self).unicodeScalars.map(\.value)
            let want = expected[value] ?? [value]
            if got != want { mismatches.append(String(value, radix: 16) + "→" + got.map { String($0, radix: 16) }.joined(separator: " ")) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count): \(mismatches.prefix(20))")
    }

    @Test func lowercaseIsPerScalarWithoutFinalSigma() throws {
        let tokenizer = try Fixtures.loaded()
        #expect(tokenizer.encode("ΟΔΟΣ") == tokenizer.encode("οδοσ"))
        #expect(tokenizer.encode("İ") == tokenizer.encode("i\u{307}"))
    }
}
