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
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !Self.isPythonSpace($0) }),
            let last = scalars.lastIndex(where: { !Self.isPythonSpace($0) })
        else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    /// Python's `str.isspace` (what transformers' `.strip()` removes): `White_Space` plus U+001C…U+001F.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        (0x1C...0x1F).contains(scalar.value) || ScalarClass.of(scalar.value) == .space
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
