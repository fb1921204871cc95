import CLIPTokenization
import Foundation
import FuzzSupport

// A tokenizer folder through `CLIPTokenizer(folder:)`, the loader the facade uses: the input is up to
// four files separated by NUL bytes. A first byte `V` means vocab.json, merges.txt, tokenizer_config.json,
// special_tokens_map.json; anything else means tokenizer.json, tokenizer_config.json,
// special_tokens_map.json (a missing part is a missing file). The files are written to one temporary
// folder of this process each run. A tokenizer that loads then encodes, tokenizes and decodes texts
// (among them the input's first bytes); a load that fails must throw a `TokenizerError`.

let folder = FuzzDriver.temporaryFolder("tokenizer")
let allNames = ["tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]
let texts = ["a photo of a red dress", "  Ünïcödé  <|endoftext|> 東京 👗 don't!!  ", ""]

FuzzDriver.run { bytes in
    var parts = bytes.split(separator: 0, maxSplits: 4, omittingEmptySubsequences: false)
    let names: [String]
    if bytes.first == UInt8(ascii: "V") {
        parts[0] = parts[0].dropFirst()
        names = ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]
    } else {
        names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    }
    for name in allNames { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
    for (name, part) in zip(names, parts) { try! Data(part).write(to: folder.appendingPathComponent(name)) }
    let tokenizer: CLIPTokenizer
    do {
        tokenizer = try CLIPTokenizer(folder: folder)
    } catch {
        FuzzDriver.expect(error, is: TokenizerError.self)
        return
    }
    for text in texts + [String(decoding: bytes.prefix(200), as: UTF8.self)] {
        let ids = tokenizer.encode(text)
        precondition(ids.count <= CLIPTokenizer.defaultMaxLength)
        _ = tokenizer.decode(tokenizer.tokenize(text), skipSpecialTokens: false)
        _ = tokenizer.decode(ids)
    }
}
