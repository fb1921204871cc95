import CLIPTokenization
import Foundation
import Testing

/// Malformed files fail with an error naming the file and what is wrong — no crash, no hang.
@Suite struct LoadingErrorTests {
    /// A temporary folder holding the given files (name → content).
    static func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clip-tok-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, content) in files {
            try Data(content.utf8).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    static func message(_ files: [String: String]) throws -> String {
        let url = try folder(files)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try CLIPTokenizer(folder: url)
        } catch let error as TokenizerError {
            return error.description
        }
        Issue.record("expected a TokenizerError for \(files.keys.sorted())")
        return ""
    }

    static let tinyVocab = """
        {"a": 0, "b": 1, "a</w>": 2, "b</w>": 3, "ab</w>": 4, "<|startoftext|>": 5, "<|endoftext|>": 6}
        """

    @Test func missingFiles() throws {
        let text = try Self.message(["vocab.json": Self.tinyVocab])
        #expect(text.contains("expected tokenizer.json, or vocab.json and merges.txt"))
    }

    @Test(arguments: [
        ("{\"a\": 0,", "expected JSON"),
        ("[1, 2, 3]", "expected the top level to be an object mapping token → id, found an array"),
        ("{\"a\": \"zero\"}", "expected a non-negative integer id for token \"a\""),
        ("{\"a\": -1}", "expected a non-negative integer id"),
        ("{}", "expected a non-empty vocabulary"),
        ("", "expected JSON")
    ])
    func malformedVocab(content: String, expected: String) throws {
        let text = try Self.message(["vocab.json": content, "merges.txt": "#version: 0.2\na b</w>\n"])
        #expect(text.contains("vocab.json"), "\(text)")
        #expect(text.contains(expected), "\(text)")
    }

    @Test(arguments: [
        ("#version: 0.2\nab\n", "line 2: expected two tokens separated by one space"),
        ("#version: 0.2\na b c\n", "line 2"),
        ("\u{FF}\u{FE}", "line 1")
    ])
    func malformedMerges(content: String, expected: String) throws {
        let text = try Self.message(["vocab.json": fullByteVocab(), "merges.txt": content])
        #expect(text.contains("merges.txt"), "\(text)")
        #expect(text.contains(expected), "\(text)")
    }

    @Test func mergeProducesUnknownToken() throws {
        let text = try Self.message(["vocab.json": fullByteVocab(), "merges.txt": "#version: 0.2\nx y\n"])
        #expect(text.contains("merges.txt: merge 1 (\"x y\") produces \"xy\""), "\(text)")
    }

    @Test(arguments: [
        ("{\"model\": ", "tokenizer.json: expected JSON"),
        ("[]", "expected a JSON object at the top level"),
        ("{}", "expected an object \"model\""),
        ("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "unsupported: model.type is \"WordPiece\""),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}", "expected an array \"model.merges\""),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [42]}}", "model.merges[0]"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [[\"a\"]]}}", "model.merges[0]"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": [1]}, \"merges\": []}", "model.vocab to be an object")
    ])
    func malformedTokenizerJSON(content: String, expected: String) throws {
        let text = try Self.message(["tokenizer.json": content])
        #expect(text.contains("tokenizer.json"), "\(text)")
        #expect(text.contains(expected), "\(text)")
    }

    @Test func jsonErrorsHavePositions() throws {
        let text = try Self.message(["vocab.json": "{\n  \"a\": 0,\n  \"b\" 1}", "merges.txt": ""])
        #expect(text.contains("vocab.json: expected JSON: line 3, column 7: expected ':', found \"1}\""), "\(text)")
    }

    @Test func deepNestingIsRefused() throws {
        let text = try Self.message(["tokenizer.json": String(repeating: "[", count: 100_000)])
        #expect(text.contains("expected at most 256 nested arrays/objects"), "\(text)")
    }

    @Test func singleWordIsRefused() throws {
        let config = """
            {"added_tokens_decoder": {"49407": {"content": "<|endoftext|>", "single_word": true}}}
            """
        let text = try Self.message(["vocab.json": fullByteVocab(), "merges.txt": "", "tokenizer_config.json": config])
        #expect(
            text.contains("tokenizer_config.json: unsupported: added token \"<|endoftext|>\" sets single_word"),
            "\(text)")
    }

    @Test func truncatedRealTokenizerJSON() throws {
        let data = try Data(contentsOf: Fixtures.url("tokenizer.json"))
        let text = try Self.message(["tokenizer.json": String(decoding: data.prefix(data.count / 2), as: UTF8.self)])
        #expect(text.contains("tokenizer.json: expected JSON"), "\(text)")
    }

    @Test func malformedConfig() throws {
        let files = [
            "vocab.json": fullByteVocab(), "merges.txt": "#version: 0.2\n",
            "tokenizer_config.json": "{\"bos_token\": 3}"
        ]
        let text = try Self.message(files)
        #expect(text.contains("tokenizer_config.json: expected \"bos_token\" to be a string"), "\(text)")
    }

    @Test func missingSpecialToken() throws {
        let files = [
            "vocab.json": fullByteVocab(), "merges.txt": "#version: 0.2\n",
            "tokenizer_config.json": "{\"eos_token\": \"</s>\"}"
        ]
        let text = try Self.message(files)
        #expect(text.contains("expected the eos token \"</s>\""), "\(text)")
    }

    /// Merges may be written as `"a b"` strings (older files) or `["a", "b"]` pairs (newer ones).
    @Test func bothMergeForms() throws {
        let tiny = try JSONSerialization.jsonObject(with: Data(fullByteVocab().utf8)) as! [String: Any]
        var vocab = tiny
        vocab["ab</w>"] = vocab.count
        vocab["ab"] = vocab.count
        for merges: Any in [["a b</w>", "a b"], [["a", "b</w>"], ["a", "b"]]] {
            let json: [String: Any] = ["model": ["type": "BPE", "vocab": vocab, "merges": merges]]
            let data = try JSONSerialization.data(withJSONObject: json)
            let url = try Self.folder(["tokenizer.json": String(decoding: data, as: UTF8.self)])
            defer { try? FileManager.default.removeItem(at: url) }
            let tokenizer = try CLIPTokenizer(folder: url)
            #expect(
                tokenizer.tokenize("ab abx")
                    == [vocab["ab</w>"] as! Int, vocab["ab"] as! Int, vocab["x</w>"] as! Int]
                    .map { Int32($0) })
        }
    }
}

/// A vocabulary with the 512 byte-level symbols and CLIP's two special tokens (no merges).
func fullByteVocab() -> String {
    var vocab: [String: Int] = [:]
    for scalar in CLIPTokenizer.byteLevelAlphabet { vocab[String(scalar)] = vocab.count }
    for scalar in CLIPTokenizer.byteLevelAlphabet { vocab[String(scalar) + "</w>"] = vocab.count }
    vocab["<|startoftext|>"] = vocab.count
    vocab["<|endoftext|>"] = vocab.count
    let data = try! JSONSerialization.data(withJSONObject: vocab)
    return String(decoding: data, as: UTF8.self)
}
