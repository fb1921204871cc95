import CLIPTokenization
import Foundation
import Testing

/// Inputs `Scripts/fuzz.sh` found (fuzz-tokenizer), each a typed error now; the reproducers are also
/// in Fuzz/Corpus/tokenizer, so every fuzz run starts from them under AddressSanitizer.
@Suite struct FuzzFindingTests {
    /// Empty vocab.json and merges.txt: `Data(contentsOf:)` leaked a 4 KB buffer on each empty file
    /// (LeakSanitizer, leak-63e2a1d6); the files are read through FileHandle now.
    @Test func emptyFilesAreMalformedJSON() throws {
        let text = try LoadingErrorTests.message(["vocab.json": "", "merges.txt": ""])
        #expect(text.contains("vocab.json: expected JSON"), "\(text)")
        let single = try LoadingErrorTests.message(["tokenizer.json": "", "tokenizer_config.json": ""])
        #expect(single.contains("tokenizer.json: expected JSON"), "\(single)")
    }

    /// One token with id 2,000,000,000 sized the id → token table at two billion entries (32 GB).
    @Test(arguments: ["vocab.json", "tokenizer.json"])
    func sparseIDsAreRefused(file: String) throws {
        let vocab = #"{"a": 0, "<|endoftext|>": 1, "<|startoftext|>": 2000000000}"#
        let files =
            file == "vocab.json"
            ? ["vocab.json": vocab, "merges.txt": "#version: 0.2\n"]
            : ["tokenizer.json": #"{"model": {"type": "BPE", "vocab": \#(vocab), "merges": []}}"#]
        let text = try LoadingErrorTests.message(files)
        #expect(
            text.contains("\(file): expected the ids of the 3 tokens in")
                && text.contains("to be 0 ..< 3, found token \"<|startoftext|>\" with id 2000000000"),
            "\(text)")
    }
}
