import Foundation

/// Readers for the files of a Hugging Face tokenizer folder. Each throws `TokenizerError` naming the file.
enum TokenizerFiles {
    /// The content of `tokenizer.json` that CLIP needs: the BPE model and the declared added tokens.
    struct TokenizerJSON {
        var vocab: [String: Int32]
        var merges: [(String, String)]
        var addedTokens: [AddedToken]
    }

    static func readData(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    static func readJSON(_ url: URL) throws -> Any {
        let data = try readData(url)
        do {
            return try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw TokenizerError.malformedFile(path: url.path, reason: "expected JSON, found text that does not parse "
                + "(\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error.localizedDescription))")
        }
    }

    /// `vocab.json`: an object mapping token → id.
    static func readVocab(_ url: URL) throws -> [String: Int32] {
        try vocab(from: readJSON(url), path: url.path, context: "the top level")
    }

    static func vocab(from json: Any, path: String, context: String) throws -> [String: Int32] {
        guard let object = json as? [String: Any] else {
            throw TokenizerError.malformedFile(
                path: path, reason: "expected \(context) to be an object mapping token → id, found \(kind(of: json))")
        }
        var vocab: [String: Int32] = [:]
        vocab.reserveCapacity(object.count)
        for (token, value) in object {
            guard let id = integer(value), id >= 0, id < Int(Int32.max) else {
                throw TokenizerError.malformedFile(
                    path: path, reason: "expected a non-negative integer id for token \(quoted(token)) in \(context), "
                        + "found \(describe(value))")
            }
            vocab[token] = Int32(id)
        }
        if vocab.isEmpty {
            throw TokenizerError.malformedFile(path: path, reason: "expected a non-empty vocabulary in \(context)")
        }
        return vocab
    }

    /// `merges.txt`: an optional `#version` line, then one `left right` pair per line.
    static func readMerges(_ url: URL) throws -> [(String, String)] {
        let data = try readData(url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.malformedFile(path: url.path, reason: "expected UTF-8 text, found invalid bytes")
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(50_000)
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || (lineNumber == 1 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.malformedFile(
                    path: url.path, reason: "line \(lineNumber): expected two tokens separated by one space, "
                        + "found \(quoted(String(line.prefix(80))))")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        return merges
    }

    /// `tokenizer.json`: `model.vocab`, `model.merges` (as `"a b"` strings or `["a", "b"]` pairs), `added_tokens`.
    static func readTokenizerJSON(_ url: URL) throws -> TokenizerJSON {
        let path = url.path
        guard let root = try readJSON(url) as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, reason: "expected a JSON object at the top level")
        }
        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, reason: "expected an object \"model\", found "
                + describe(root["model"]))
        }
        if let type = model["type"] as? String, type != "BPE" {
            throw TokenizerError.unsupported(path: path, reason: "model.type is \(quoted(type)); CLIP uses \"BPE\"")
        }
        let vocab = try vocab(from: model["vocab"] as Any, path: path, context: "model.vocab")
        guard let rawMerges = model["merges"] as? [Any] else {
            throw TokenizerError.malformedFile(path: path, reason: "expected an array \"model.merges\", found "
                + describe(model["merges"]))
        }
        var merges: [(String, String)] = []
        merges.reserveCapacity(rawMerges.count)
        for (index, entry) in rawMerges.enumerated() {
            if let string = entry as? String {
                let parts = string.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                    merges.append((String(parts[0]), String(parts[1])))
                    continue
                }
            } else if let pair = entry as? [Any], pair.count == 2, let a = pair[0] as? String, let b = pair[1] as? String {
                merges.append((a, b))
                continue
            }
            throw TokenizerError.malformedFile(
                path: path, reason: "model.merges[\(index)]: expected \"left right\" or [\"left\", \"right\"], "
                    + "found \(describe(entry))")
        }
        var added: [AddedToken] = []
        if let list = root["added_tokens"] {
            guard let list = list as? [Any] else {
                throw TokenizerError.malformedFile(path: path, reason: "expected an array \"added_tokens\"")
            }
            for (index, entry) in list.enumerated() {
                guard let object = entry as? [String: Any], let id = integer(object["id"] as Any),
                    let token = addedToken(object, id: id)
                else {
                    throw TokenizerError.malformedFile(
                        path: path, reason: "added_tokens[\(index)]: expected {\"id\": int, \"content\": string, …}, "
                            + "found \(describe(entry))")
                }
                added.append(token)
            }
        }
        return TokenizerJSON(vocab: vocab, merges: merges, addedTokens: added)
    }

    /// An `AddedToken` from `{"content": …, "normalized": …, …}` (the `__type` key of old configs is ignored).
    static func addedToken(_ object: [String: Any], id: Int) -> AddedToken? {
        guard let content = object["content"] as? String, id >= 0, id < Int(Int32.max) else { return nil }
        let special = object["special"] as? Bool ?? true
        return AddedToken(
            content: content, id: Int32(id), special: special,
            normalized: object["normalized"] as? Bool ?? !special,
            lstrip: object["lstrip"] as? Bool ?? false, rstrip: object["rstrip"] as? Bool ?? false)
    }

    static func integer(_ value: Any) -> Int? {
        if type(of: value) == Bool.self { return nil }
        guard let n = value as? NSNumber else { return nil }
        if String(cString: n.objCType) == "c" { return nil }  // a JSON boolean on Darwin
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 1e15 else { return nil }
        return n.intValue
    }

    static func kind(of value: Any?) -> String {
        switch value {
        case nil, is NSNull: return "null"
        case is [String: Any]: return "an object"
        case is [Any]: return "an array"
        case is String: return "a string"
        case is Bool: return "a boolean"
        case is NSNumber: return "a number"
        default: return "a value of type \(type(of: value!))"
        }
    }

    static func describe(_ value: Any?) -> String {
        switch value {
        case let s as String: return quoted(s)
        case nil: return "nothing (the key is missing)"
        default: return kind(of: value)
        }
    }

    static func quoted(_ s: String) -> String { "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\"" }
}
