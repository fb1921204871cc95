import Foundation

/// Readers for the files of a Hugging Face tokenizer folder. Each throws `TokenizerError` naming the file.
enum TokenizerFiles {
    /// The content of `tokenizer.json` that CLIP needs: the BPE model and the declared added tokens.
    struct TokenizerJSON {
        var vocab: [String: Int32]
        var merges: [(String, String)]
        var addedTokens: [AddedToken]
    }

    /// The file's bytes, read through `FileHandle`: Foundation's `Data(contentsOf:)` leaks a 4 KB buffer
    /// on every read of an empty file (it reads a file of size 0 as a stream and drops the buffer).
    static func readBytes(_ url: URL) throws -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    static func readJSON(_ url: URL) throws -> JSONValue {
        let bytes = try readBytes(url)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw TokenizerError.malformedFile(path: url.path, reason: "expected JSON: \(error.message)")
        }
    }

    /// `vocab.json`: an object mapping token → id.
    static func readVocab(_ url: URL) throws -> [String: Int32] {
        try vocab(from: readJSON(url), path: url.path, context: "the top level")
    }

    static func vocab(from json: JSONValue, path: String, context: String) throws -> [String: Int32] {
        guard let members = json.members else {
            throw TokenizerError.malformedFile(
                path: path, reason: "expected \(context) to be an object mapping token → id, found \(json.kind)")
        }
        var vocab: [String: Int32] = [:]
        vocab.reserveCapacity(members.count)
        for (token, value) in members {
            guard let id = value.integer, id >= 0, id < Int(Int32.max) else {
                throw TokenizerError.malformedFile(
                    path: path,
                    reason: "expected a non-negative integer id for token \(quoted(token)) in \(context), "
                        + "found \(value.brief)")
            }
            vocab[token] = Int32(id)
        }
        if vocab.isEmpty {
            throw TokenizerError.malformedFile(path: path, reason: "expected a non-empty vocabulary in \(context)")
        }
        // The id → token table is an array as long as the largest id: a sparse id (one token with id
        // 2,000,000,000) would allocate gigabytes. Vocabularies are dense, ids 0 ..< count.
        if let (token, id) = vocab.max(by: { $0.value < $1.value }), Int(id) >= vocab.count {
            throw TokenizerError.malformedFile(
                path: path,
                reason: "expected the ids of the \(vocab.count) tokens in \(context) to be 0 ..< \(vocab.count), "
                    + "found token \(quoted(token)) with id \(id)")
        }
        return vocab
    }

    /// `merges.txt`: an optional `#version` line, then one `left right` pair per line.
    static func readMerges(_ url: URL) throws -> [(String, String)] {
        let bytes = try readBytes(url)
        if let offset = UTF8Lines.firstInvalidByte(bytes) {
            throw TokenizerError.malformedFile(
                path: url.path,
                reason: "expected UTF-8 text, found an invalid byte "
                    + "at offset \(offset)")
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(50_000)
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var stop = end
            if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
            defer { start = end + 1 }
            if stop == start { continue }
            if lineNumber == 1, bytes[start..<stop].starts(with: "#version".utf8) { continue }
            var space = -1
            var spaces = 0
            for k in start..<stop where bytes[k] == 0x20 {
                spaces += 1
                space = k
            }
            guard spaces == 1, space > start, space < stop - 1 else {
                let line = String(decoding: bytes[start..<stop], as: UTF8.self)
                throw TokenizerError.malformedFile(
                    path: url.path,
                    reason: "line \(lineNumber): expected two tokens separated by one space, "
                        + "found \(quoted(line))")
            }
            merges.append(
                (
                    String(decoding: bytes[start..<space], as: UTF8.self),
                    String(decoding: bytes[space + 1..<stop], as: UTF8.self)
                ))
        }
        return merges
    }

    /// `tokenizer.json`: `model.vocab`, `model.merges` (as `"a b"` strings or `["a", "b"]` pairs), `added_tokens`.
    static func readTokenizerJSON(_ url: URL) throws -> TokenizerJSON {
        let path = url.path
        let root = try readJSON(url)
        guard root.members != nil else {
            throw TokenizerError.malformedFile(
                path: path,
                reason: "expected a JSON object at the top level, "
                    + "found \(root.kind)")
        }
        guard let model = root["model"], model.members != nil else {
            throw TokenizerError.malformedFile(
                path: path,
                reason: "expected an object \"model\", found "
                    + (root["model"]?.kind ?? "nothing (the key is missing)"))
        }
        if let type = model["type"]?.string, type != "BPE" {
            throw TokenizerError.unsupported(path: path, reason: "model.type is \(quoted(type)); CLIP uses \"BPE\"")
        }
        let vocab = try vocab(from: model["vocab"] ?? .null, path: path, context: "model.vocab")
        guard let rawMerges = model["merges"]?.array else {
            throw TokenizerError.malformedFile(
                path: path,
                reason: "expected an array \"model.merges\", found "
                    + (model["merges"]?.kind ?? "nothing (the key is missing)"))
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(rawMerges.count)
        for (index, entry) in rawMerges.enumerated() {
            if let string = entry.string {
                let parts = string.split(separator: " ", omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                    merges.append((String(parts[0]), String(parts[1])))
                    continue
                }
            } else if let pair = entry.array, pair.count == 2, let a = pair[0].string, let b = pair[1].string,
                !a.isEmpty, !b.isEmpty
            {
                merges.append((a, b))
                continue
            }
            throw TokenizerError.malformedFile(
                path: path,
                reason: "model.merges[\(index)]: expected \"left right\" or [\"left\", \"right\"], "
                    + "found \(entry.brief)")
        }
        var added: [AddedToken] = []
        if let list = root["added_tokens"], !list.isNull {
            guard let list = list.array else {
                throw TokenizerError.malformedFile(
                    path: path,
                    reason: "expected an array \"added_tokens\", "
                        + "found \(list.kind)")
            }
            for (index, entry) in list.enumerated() {
                guard let id = entry["id"]?.integer, let token = try addedToken(entry, id: id, path: path) else {
                    throw TokenizerError.malformedFile(
                        path: path,
                        reason: "added_tokens[\(index)]: expected {\"id\": int, \"content\": string, …}, "
                            + "found \(entry.brief)")
                }
                added.append(token)
            }
        }
        return TokenizerJSON(vocab: vocab, merges: merges, addedTokens: added)
    }

    /// An `AddedToken` from `{"content": …, "normalized": …, …}` (the `__type` key of old configs is ignored);
    /// `nil` when malformed. Throws for `single_word: true`, which this tokenizer does not implement.
    static func addedToken(_ object: JSONValue, id: Int, path: String) throws -> AddedToken? {
        guard let content = object["content"]?.string, id >= 0, id < Int(Int32.max) else { return nil }
        if object["single_word"]?.bool == true {
            throw TokenizerError.unsupported(
                path: path, reason: "added token \(quoted(content)) sets single_word: true; CLIP tokenizers do not")
        }
        let special = object["special"]?.bool ?? true
        return AddedToken(
            content: content, id: Int32(id), special: special,
            normalized: object["normalized"]?.bool ?? !special,
            lstrip: object["lstrip"]?.bool ?? false, rstrip: object["rstrip"]?.bool ?? false)
    }

    static func quoted(_ s: String) -> String { "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\"" }
}
