import CLIPTokenization
import Foundation
import Testing

/// Every id must equal transformers' `CLIPTokenizer` (tokenizers-backed) on the golden strings.
@Suite struct GoldenTests {
    @Test func vocabularyShape() throws {
        let tokenizer = try Fixtures.loaded()
        #expect(tokenizer.vocabularySize == 49408)
        #expect(tokenizer.mergeCount == 48894)
        #expect(tokenizer.bosTokenID == 49406)
        #expect(tokenizer.eosTokenID == 49407)
        #expect(tokenizer.padTokenID == 49407)
    }

    @Test(arguments: ["tokenizer.json", "vocab.json + merges.txt"])
    func cases(source: String) throws {
        let tokenizer = try #require(
            source == "tokenizer.json" ? Fixtures.tokenizer : Fixtures.vocabMergesTokenizer, "run make goldens")
        let cases = try Fixtures.goldens()["cases"] as? [[String: Any]] ?? []
        #expect(cases.count > 300)
        var mismatches = 0
        for entry in cases {
            let text = entry["text"] as! String
            let full = tokenizer.encode(text, maxLength: nil)
            let expected = int32s(entry["ids"])
            if full != expected {
                mismatches += 1
                Issue.record("\(text.debugDescription): expected \(expected), found \(full)")
            }
            let truncated = tokenizer.encode(text)
            #expect(truncated == int32s(entry["ids77"]), "\(text.debugDescription) truncated to 77")
        }
        #expect(mismatches == 0)
    }

    @Test func batches() throws {
        let tokenizer = try Fixtures.loaded()
        let batches = try Fixtures.goldens()["batches"] as? [[String: Any]] ?? []
        #expect(batches.count >= 10)
        for batch in batches {
            let texts = batch["texts"] as! [String]
            let padding: PaddingStrategy =
                switch batch["padding"] as! String {
                case "longest": .longest
                case "max_length": .maxLength
                default: .none
                }
            let encoded = tokenizer.encodeBatch(texts, padding: padding, maxLength: batch["max_length"] as? Int)
            #expect(encoded.ids == int32Rows(batch["input_ids"]), "\(padding) \(texts)")
            #expect(encoded.attentionMask == int32Rows(batch["attention_mask"]), "\(padding) \(texts)")
        }
    }

    @Test func decodes() throws {
        let tokenizer = try Fixtures.loaded()
        let decodes = try Fixtures.goldens()["decodes"] as? [[String: Any]] ?? []
        for entry in decodes {
            let ids = int32s(entry["ids"])
            #expect(tokenizer.decode(ids) == entry["text"] as? String)
            #expect(tokenizer.decode(ids, skipSpecialTokens: false) == entry["text_with_specials"] as? String)
        }
    }

    /// Other ways folders declare special tokens (`normalized: true` tokens match after lowercasing).
    @Test func specialTokenVariants() throws {
        let variants = try Fixtures.goldens()["variants"] as? [[String: Any]] ?? []
        #expect(variants.count >= 3)
        for variant in variants {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clip-variant-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            for name in ["vocab.json", "merges.txt"] {
                try FileManager.default.copyItem(at: Fixtures.url(name), to: folder.appendingPathComponent(name))
            }
            for (name, content) in variant["files"] as? [String: Any] ?? [:] {
                try JSONSerialization.data(withJSONObject: content).write(to: folder.appendingPathComponent(name))
            }
            let tokenizer = try CLIPTokenizer(folder: folder)
            for entry in variant["cases"] as? [[String: Any]] ?? [] {
                let text = entry["text"] as! String
                #expect(
                    tokenizer.encode(text, maxLength: nil) == int32s(entry["ids"]),
                    "\(variant["name"] ?? ""): \(text.debugDescription)")
            }
        }
    }
}
