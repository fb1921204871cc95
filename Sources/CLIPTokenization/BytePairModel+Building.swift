/// Building the integer merge table from string vocabularies, with errors naming the offending entry.
extension BytePairModel {
    /// - Parameters:
    ///   - unknownID: id used for a byte-level symbol the vocabulary lacks (`unk_token`); without one that throws.
    ///   - vocabSource / mergesSource: file names for error messages.
    init(
        vocab: [String: Int32], merges: [(String, String)], unknownID: Int32?,
        vocabSource: String, mergesSource: String
    ) throws {
        let suffix = "</w>"  // transformers 5.23 CLIPTokenizer: BPE(end_of_word_suffix="</w>")
        let maxID = Int(vocab.values.max() ?? 0)
        var tokens = [String?](repeating: nil, count: maxID + 1)
        for (token, id) in vocab { tokens[Int(id)] = token }

        var byteIds = [Int32](repeating: 0, count: 256)
        var byteEndIds = [Int32](repeating: 0, count: 256)
        for b in 0..<256 {
            let symbol = String(ByteLevelAlphabet.scalars[b])
            for (name, target) in [(symbol, 0), (symbol + suffix, 1)] {
                guard let id = vocab[name] ?? unknownID else {
                    throw TokenizerError.malformedFile(
                        path: vocabSource,
                        reason: "expected the byte-level symbol \(TokenizerFiles.quoted(name)) "
                            + "(byte 0x\(String(b, radix: 16))) in the vocabulary, found no such token and no unk_token")
                }
                if target == 0 { byteIds[b] = id } else { byteEndIds[b] = id }
            }
        }

        var table = MergeTable(capacity: merges.count)
        for (rank, (left, right)) in merges.enumerated() {
            guard let l = vocab[left], let r = vocab[right] else {
                let missing = vocab[left] == nil ? left : right
                throw TokenizerError.malformedFile(
                    path: mergesSource,
                    reason: "merge \(rank + 1) (\(TokenizerFiles.quoted(left + " " + right))) uses "
                        + "the token \(TokenizerFiles.quoted(missing)), which \(vocabSource) does not contain")
            }
            guard let merged = vocab[left + right] else {
                throw TokenizerError.malformedFile(
                    path: mergesSource,
                    reason: "merge \(rank + 1) (\(TokenizerFiles.quoted(left + " " + right))) "
                        + "produces \(TokenizerFiles.quoted(left + right)), which \(vocabSource) does not contain")
            }
            table.insert(Self.pairKey(l, r), UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged)))
        }
        self.init(
            tokens: tokens, vocab: vocab, byteIds: byteIds, byteEndIds: byteEndIds, merges: table,
            endOfWordSuffix: suffix)
    }
}
