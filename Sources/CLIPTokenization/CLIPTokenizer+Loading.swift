import Foundation

/// The names of the special tokens; defaults are `CLIPTokenizer.__init__`'s (transformers 5.23).
public struct SpecialTokenNames: Sendable, Equatable {
    public var bos: String
    public var eos: String
    public var pad: String
    public var unk: String
    /// `normalized` of roles given as `{"content": …, "normalized": true}` in a config ("bos", "eos", …).
    var normalizedRoles: Set<String> = []

    public init(
        bos: String = "<|startoftext|>", eos: String = "<|endoftext|>", pad: String = "<|endoftext|>",
        unk: String = "<|endoftext|>"
    ) {
        self.bos = bos
        self.eos = eos
        self.pad = pad
        self.unk = unk
    }

    /// CLIP's: `<|startoftext|>`, and `<|endoftext|>` as EOS, padding and unknown token.
    public static let clip = SpecialTokenNames()
}

extension CLIPTokenizer {
    /// Opens a Hugging Face tokenizer folder (a CLIP model folder, or its `onnx/` folder).
    ///
    /// Reads `tokenizer.json` if present, else `vocab.json` + `merges.txt`; then special tokens as
    /// transformers does: `tokenizer_config.json` (names and `added_tokens_decoder`), and when that has no
    /// `added_tokens_decoder`, `special_tokens_map.json` and `tokenizer.json`'s `added_tokens`.
    public convenience init(folder: URL) throws {
        let manager = FileManager.default
        func file(_ name: String) -> URL? {
            let url = folder.appendingPathComponent(name)
            return manager.fileExists(atPath: url.path) ? url : nil
        }
        guard manager.fileExists(atPath: folder.path) else {
            throw TokenizerError.missingFile(folder: folder.path, expected: "an existing folder")
        }
        let vocab: [String: Int32]
        let merges: [(String, String)]
        var fileTokens: [AddedToken] = []
        let vocabSource: String
        let mergesSource: String
        if let url = file("tokenizer.json") {
            let parsed = try TokenizerFiles.readTokenizerJSON(url)
            (vocab, merges, fileTokens) = (parsed.vocab, parsed.merges, parsed.addedTokens)
            (vocabSource, mergesSource) = (url.path, url.path)
        } else if let vocabURL = file("vocab.json"), let mergesURL = file("merges.txt") {
            vocab = try TokenizerFiles.readVocab(vocabURL)
            merges = try TokenizerFiles.readMerges(mergesURL)
            (vocabSource, mergesSource) = (vocabURL.path, mergesURL.path)
        } else {
            throw TokenizerError.missingFile(folder: folder.path, expected: "tokenizer.json, or vocab.json and merges.txt")
        }

        var names = SpecialTokenNames.clip
        var declared: [AddedToken]?
        if let url = file("tokenizer_config.json") {
            let config = try TokenizerFiles.readJSON(url)
            guard config.members != nil else {
                throw TokenizerError.malformedFile(path: url.path, reason: "expected a JSON object at the top level")
            }
            try Self.apply(config, to: &names, path: url.path)
            if let decoder = config["added_tokens_decoder"] {
                declared = try Self.addedTokensDecoder(decoder, path: url.path)
            }
        }
        if declared == nil, let url = file("special_tokens_map.json") {
            let map = try TokenizerFiles.readJSON(url)
            guard map.members != nil else {
                throw TokenizerError.malformedFile(path: url.path, reason: "expected a JSON object at the top level")
            }
            try Self.apply(map, to: &names, path: url.path)
        }
        try self.init(
            vocab: vocab, merges: merges, addedTokens: declared ?? fileTokens, names: names,
            vocabSource: vocabSource, mergesSource: mergesSource)
    }

    /// Loads `vocab.json` + `merges.txt` with CLIP's special tokens (or the given names).
    public convenience init(vocabURL: URL, mergesURL: URL, specialTokens: SpecialTokenNames = .clip) throws {
        try self.init(
            vocab: TokenizerFiles.readVocab(vocabURL), merges: TokenizerFiles.readMerges(mergesURL),
            addedTokens: [], names: specialTokens, vocabSource: vocabURL.path, mergesSource: mergesURL.path)
    }

    /// Loads a `tokenizer.json` (its BPE model and `added_tokens`) with CLIP's special tokens (or the given names).
    public convenience init(tokenizerJSON url: URL, specialTokens: SpecialTokenNames = .clip) throws {
        let parsed = try TokenizerFiles.readTokenizerJSON(url)
        try self.init(
            vocab: parsed.vocab, merges: parsed.merges, addedTokens: parsed.addedTokens,
            names: specialTokens, vocabSource: url.path, mergesSource: url.path)
    }

    convenience init(
        vocab: [String: Int32], merges: [(String, String)], addedTokens: [AddedToken],
        names: SpecialTokenNames, vocabSource: String, mergesSource: String
    ) throws {
        var tokens = addedTokens
        let declared = Set(addedTokens.map(\.content))
        // transformers registers each named special token (bos, eos, unk, pad in this order) that the files
        // do not declare as a special added token, non-normalised unless its config entry says otherwise;
        // a later role naming the same token sets its flags again.
        func id(of name: String, role: String) throws -> Int32 {
            if declared.contains(name), let token = tokens.first(where: { $0.content == name }) { return token.id }
            let normalized = names.normalizedRoles.contains(role)
            if let index = tokens.firstIndex(where: { $0.content == name }) {
                tokens[index].normalized = normalized
                return tokens[index].id
            }
            guard let id = vocab[name] else {
                throw TokenizerError.malformedFile(
                    path: vocabSource,
                    reason: "expected the \(role) token \(TokenizerFiles.quoted(name)) in the "
                        + "vocabulary or among the added tokens, found neither")
            }
            tokens.append(AddedToken(content: name, id: id, normalized: normalized))
            return id
        }
        let bos = try id(of: names.bos, role: "bos")
        let eos = try id(of: names.eos, role: "eos")
        let unk = try id(of: names.unk, role: "unk")
        let pad = try id(of: names.pad, role: "pad")
        let model = try BytePairModel(
            vocab: vocab, merges: merges, unknownID: unk,
            vocabSource: vocabSource, mergesSource: mergesSource)
        self.init(model: model, addedTokens: tokens, bos: bos, eos: eos, pad: pad)
    }

    /// Reads `bos_token` … `unk_token`, each a string or `{"content": …}`; `null` keeps the default.
    private static func apply(_ config: JSONValue, to names: inout SpecialTokenNames, path: String) throws {
        let keys: [(String, WritableKeyPath<SpecialTokenNames, String>)] =
            [("bos", \.bos), ("eos", \.eos), ("pad", \.pad), ("unk", \.unk)]
        for (role, keyPath) in keys {
            let key = role + "_token"
            guard let value = config[key], !value.isNull else { continue }
            if let name = value.string ?? value["content"]?.string {
                names[keyPath: keyPath] = name
                if value["normalized"]?.bool == true {
                    names.normalizedRoles.insert(role)
                } else {
                    names.normalizedRoles.remove(role)
                }
            } else {
                throw TokenizerError.malformedFile(
                    path: path,
                    reason: "expected \"\(key)\" to be a string or {\"content\": string}, found "
                        + value.brief)
            }
        }
    }

    /// `{"49406": {"content": "<|startoftext|>", "normalized": false, …}, …}` → added tokens by id.
    private static func addedTokensDecoder(_ value: JSONValue, path: String) throws -> [AddedToken] {
        guard let object = value.members else {
            throw TokenizerError.malformedFile(
                path: path,
                reason: "expected \"added_tokens_decoder\" to be an object, "
                    + "found \(value.kind)")
        }
        var tokens: [AddedToken] = []
        for (key, entry) in object {
            guard let id = Int(key), let token = try TokenizerFiles.addedToken(entry, id: id, path: path) else {
                throw TokenizerError.malformedFile(
                    path: path,
                    reason: "added_tokens_decoder[\(TokenizerFiles.quoted(key))]: expected an integer key "
                        + "and {\"content\": string, …}, found \(entry.brief)")
            }
            tokens.append(token)
        }
        return tokens.sorted { $0.id < $1.id }
    }
}
