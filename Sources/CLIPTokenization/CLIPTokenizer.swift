import Foundation

/// CLIP's byte-level BPE tokenizer, identical in output to transformers' `CLIPTokenizer` (the
/// `tokenizers`-backed "fast" tokenizer that `CLIPProcessor` uses).
///
/// Pipeline (mirrors tokenization_clip.py, transformers 5.23): added tokens found in the raw text →
/// NFC, whitespace runs → one space, lowercase → CLIP split → byte-level symbols → BPE with `</w>` →
/// `[BOS] … [EOS]`, truncated to `maxLength` keeping EOS.
///
/// Thread-safe: one instance may serve concurrent callers; its piece cache is lock-protected.
public final class CLIPTokenizer: Sendable {
    /// The context length of CLIP's text tower; the default truncation length.
    public static let defaultMaxLength = 77

    let model: BytePairModel
    let rawTokens: AddedTokenMatcher
    let normalizedTokens: AddedTokenMatcher
    let cache = PieceCache()
    /// Whether long segments may be cut at whitespace (no normalised added token contains whitespace).
    let canChunk: Bool
    let addedTokensByID: [Int32: AddedToken]

    /// `<|startoftext|>` (49406 in CLIP's vocabulary), prepended to every sequence.
    public let bosTokenID: Int32
    /// `<|endoftext|>` (49407), appended to every sequence; the text tower pools here.
    public let eosTokenID: Int32
    /// The id used to pad batches (`pad_token`; `<|endoftext|>` for CLIP).
    public let padTokenID: Int32
    /// Tokens matched literally in text, special or not, in declaration order.
    public let addedTokens: [AddedToken]
    /// Number of ids: the vocabulary plus added tokens outside it (`len(tokenizer)`; 49,408 for CLIP).
    public let vocabularySize: Int

    init(model: BytePairModel, addedTokens: [AddedToken], bos: Int32, eos: Int32, pad: Int32) {
        self.model = model
        self.addedTokens = addedTokens
        rawTokens = AddedTokenMatcher(addedTokens.filter { !$0.normalized })
        normalizedTokens = AddedTokenMatcher(addedTokens.filter { $0.normalized })
        canChunk = !addedTokens.contains { token in
            token.normalized && token.content.unicodeScalars.contains { ScalarClass.of($0.value) == .space }
        }
        addedTokensByID = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        bosTokenID = bos
        eosTokenID = eos
        padTokenID = pad
        vocabularySize = model.vocab.count + addedTokens.filter { model.vocab[$0.content] == nil }.count
    }

    /// Token ids of one text: `[BOS, …, EOS]`, unpadded.
    ///
    /// - Parameter maxLength: truncate to this many ids (BOS + first `maxLength − 2` tokens + EOS), as
    ///   `truncation=True, max_length=…`; `nil` keeps every token. Must be at least 2.
    /// - Returns: `[n]` ids, `2 ≤ n ≤ maxLength`.
    public func encode(_ text: String, maxLength: Int? = CLIPTokenizer.defaultMaxLength) -> [Int32] {
        precondition(maxLength.map { $0 >= 2 } ?? true, "maxLength must leave room for BOS and EOS (≥ 2)")
        var work = Workspace(budget: maxLength.map { $0 - 2 } ?? Int.max)
        work.ids.reserveCapacity(min(text.utf8.count, maxLength ?? Int.max) + 2)
        work.ids.append(bosTokenID)
        appendContent(Array(text.utf8), &work)
        if work.ids.count - 1 > work.budget { work.ids.removeLast(work.ids.count - 1 - work.budget) }
        work.ids.append(eosTokenID)
        return work.ids
    }

    /// Token ids of one text without BOS/EOS and without truncation.
    public func tokenize(_ text: String) -> [Int32] {
        var work = Workspace(budget: Int.max)
        appendContent(Array(text.utf8), &work)
        return work.ids
    }

    /// Scratch state of one `encode` call.
    struct Workspace {
        var ids: [Int32] = []
        var normalized: [UInt8] = []
        var symbols: [Int32] = []
        /// Content tokens wanted (excluding BOS/EOS); pieces after it is reached are skipped.
        let budget: Int
        var contentStart = 0

        init(budget: Int) { self.budget = budget }

        var isFull: Bool { ids.count - contentStart >= budget }
    }

    func appendContent(_ raw: [UInt8], _ work: inout Workspace) {
        work.contentStart = work.ids.count
        _ = rawTokens.split(
            raw, 0..<raw.count,
            segment: { range in appendSegment(raw, range, &work) },
            token: { token in
                work.ids.append(token.id)
                return !work.isFull
            })
    }

    /// Chunk size for long segments under a token budget.
    static let chunkBytes = 16_384

    /// Normalises `raw[range]`, matches normalised added tokens, splits and runs BPE on each piece.
    ///
    /// Under a token budget, long segments are processed in chunks cut just before ASCII whitespace, so a
    /// truncated encode of a huge text stops early. Such a cut changes nothing: NFC never composes or
    /// reorders across a whitespace starter, no piece spans whitespace, and (checked in `init`) no
    /// normalised added token contains whitespace.
    private func appendSegment(_ raw: [UInt8], _ range: Range<Int>, _ work: inout Workspace) -> Bool {
        guard work.budget != Int.max, canChunk, range.count > 2 * Self.chunkBytes else {
            return appendChunk(raw, range, &work)
        }
        var start = range.lowerBound
        while start < range.upperBound {
            var end = min(start + Self.chunkBytes, range.upperBound)
            while end < range.upperBound, raw[end] >= 0x80 || ScalarClass.ofASCII(UInt32(raw[end])) != .space {
                end += 1
            }
            guard appendChunk(raw, start..<end, &work) else { return false }
            start = end
        }
        return true
    }

    private func appendChunk(_ raw: [UInt8], _ range: Range<Int>, _ work: inout Workspace) -> Bool {
        work.normalized.removeAll(keepingCapacity: true)
        TextNormalizer.normalize(raw, range, into: &work.normalized)
        let text = work.normalized
        if normalizedTokens.isEmpty { return appendPieces(text, 0..<text.count, &work) }
        return normalizedTokens.split(
            text, 0..<text.count,
            segment: { range in appendPieces(text, range, &work) },
            token: { token in
                work.ids.append(token.id)
                return !work.isFull
            })
    }

    private func appendPieces(_ text: [UInt8], _ range: Range<Int>, _ work: inout Workspace) -> Bool {
        var more = !work.isFull
        guard more else { return false }
        PreTokenizer.forEachPiece(in: text, range) { piece in
            appendPiece(text, piece, &work)
            more = !work.isFull
            return more
        }
        return more
    }

    @inline(__always)
    private func appendPiece(_ text: [UInt8], _ piece: Range<Int>, _ work: inout Workspace) {
        guard let key = PieceCache.Key(text, piece) else {
            model.encodePiece(text, piece, symbols: &work.symbols, into: &work.ids)
            return
        }
        if cache.append(key, to: &work.ids) { return }
        let start = work.ids.count
        model.encodePiece(text, piece, symbols: &work.symbols, into: &work.ids)
        cache.insert(key, work.ids[start...])
    }
}
