/// Ids → text, and id ↔ token look-ups.
extension CLIPTokenizer {
    /// The text of `ids`, as transformers' `CLIPTokenizer.decode`: byte-level decoding of the joined
    /// tokens, every `</w>` → one space, surrounding whitespace stripped. Unknown ids are skipped.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if let added = addedTokensByID[id] {
                if skipSpecialTokens && added.special { continue }
                bytes.append(contentsOf: ByteLevelAlphabet.decode(added.content) ?? Array(added.content.utf8))
                continue
            }
            guard let token = token(for: id) else { continue }
            bytes.append(contentsOf: ByteLevelAlphabet.decode(token) ?? Array(token.utf8))
        }
        let text = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: model.endOfWordSuffix, with: " ")
        return String(text.unicodeScalars.drop(while: \.properties.isWhitespace).reversed()
            .drop(while: \.properties.isWhitespace).reversed().map(Character.init))
    }

    /// The token string of `id` (byte-level characters, possibly ending in `</w>`), or `nil`.
    public func token(for id: Int32) -> String? {
        if let added = addedTokensByID[id] { return added.content }
        guard id >= 0, Int(id) < model.tokens.count else { return nil }
        return model.tokens[Int(id)]
    }

    /// The id of a token string, or `nil`.
    public func id(for token: String) -> Int32? {
        addedTokens.first { $0.content == token }?.id ?? model.vocab[token]
    }
}
