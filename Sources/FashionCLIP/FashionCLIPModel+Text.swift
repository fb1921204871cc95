import CLIPNetwork
import CLIPTokenization
import Foundation
import TensorKernels

/// The token ids of one text as the model sees them.
public struct TokenizedText: Sendable, Equatable {
    /// `[BOS, …, EOS]`, at most `maxTextLength` ids.
    public let ids: [Int32]
    /// Whether tokens were dropped to fit `maxTextLength` (BOS + first tokens + EOS kept, as
    /// `CLIPTokenizerFast(truncation=True)` does).
    public let truncated: Bool
}

extension FashionCLIPModel {
    /// The longest text (UTF-8 bytes) the model takes: 77 tokens are decided within a few hundred
    /// bytes of anything a person types, and tokenizing megabytes holds the caller (and a server's
    /// model slot) for seconds, so longer texts are an error rather than silently cut.
    public static let maximumTextBytes = 64 << 10

    /// Tokenizes `text` exactly as `CLIPTokenizerFast` does, truncating to `maxTextLength`.
    /// - Throws: `FashionCLIPError.towerUnavailable` when the text tower was not loaded;
    ///   `.invalidArgument` for a text over `maximumTextBytes`.
    public func tokenize(_ text: String) throws -> TokenizedText {
        guard text.utf8.count <= Self.maximumTextBytes else {
            throw FashionCLIPError.invalidArgument(
                name: "text \"\(text.prefix(24))…\"", expected: "at most \(Self.maximumTextBytes) bytes of UTF-8 (77 tokens need far fewer)",
                found: "\(text.utf8.count) bytes")
        }
        let tokenizer = try requireTokenizer()
        let ids = tokenizer.encode(text, maxLength: maxTextLength)
        let truncated = ids.count == maxTextLength && tokenizer.tokenize(text).count > maxTextLength - 2
        return TokenizedText(ids: ids, truncated: truncated)
    }

    /// Embeddings of `texts`, in order: `[texts.count][embeddingDimension]`.
    ///
    /// Each text runs unpadded at its own length (the causal mask makes padding irrelevant to the
    /// pooled output); texts of equal length share a batch. Texts longer than `maxTextLength` tokens
    /// are truncated (see `tokenize`).
    /// - Parameter normalized: L2-normalised `text_embeds` (default) or unnormalised
    ///   `get_text_features` output.
    /// - Throws: `FashionCLIPError.towerUnavailable`, `CLIPNetworkError` for ids the checkpoint
    ///   cannot embed, `.nonFiniteEmbedding`.
    public func embedTexts(_ texts: [String], normalized: Bool = true) throws -> [[Float]] {
        let sequences = try texts.map { try tokenize($0).ids.map(Int.init) }
        return try embedTokenSequences(sequences, normalized: normalized, describe: { texts[$0] })
    }

    /// Embeddings of already tokenized sequences (`[BOS, …, EOS]` ids), in order.
    public func embedTokenSequences(_ sequences: [[Int]], normalized: Bool = true) throws -> [[Float]] {
        try embedTokenSequences(sequences, normalized: normalized, describe: { "token sequence \($0)" })
    }

    func embedTokenSequences(
        _ sequences: [[Int]], normalized: Bool,
        describe: (Int) -> String
    ) throws -> [[Float]] {
        guard let tower = network.textTower else {
            throw FashionCLIPError.towerUnavailable(
                folder: folder.path, tower: "text", reason: "not loaded (options.towers) or absent from the checkpoint")
        }
        var result: [[Float]] = []
        result.reserveCapacity(sequences.count)
        // Chunks bound the activation memory; inside a chunk, equal lengths are batched by the tower.
        let chunk = options.batchSize * 8
        var start = 0
        while start < sequences.count {
            let end = min(start + chunk, sequences.count)
            let slice = Array(sequences[start..<end])
            let matrix = normalized ? try tower.embeddings(slice) : try tower.features(slice)
            for row in 0..<matrix.rows {
                let values = Array(matrix.row(row))
                guard values.allSatisfy(\.isFinite) else {
                    throw FashionCLIPError.nonFiniteEmbedding(input: describe(start + row))
                }
                result.append(values)
            }
            start = end
        }
        return result
    }

    func requireTokenizer() throws -> CLIPTokenizer {
        guard let tokenizer, network.textTower != nil else {
            throw FashionCLIPError.towerUnavailable(
                folder: folder.path, tower: "text", reason: "not loaded (options.towers) or absent from the checkpoint")
        }
        return tokenizer
    }
}
