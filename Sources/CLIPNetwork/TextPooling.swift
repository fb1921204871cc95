/// Which position of the final hidden states the text tower pools.
///
/// Mirrors the two branches at the end of `CLIPTextModel.forward` in `modeling_clip.py`.
public enum TextPooling: Sendable, Equatable {
    /// The position of the largest token id, first maximum on ties (`input_ids.argmax(-1)`): configs
    /// whose `eos_token_id` is the legacy value 2, FashionCLIP's among them. It finds `<|endoftext|>`
    /// (49407) only because that is the largest id of the CLIP vocabulary.
    case highestTokenID
    /// The first position holding `id` (`(input_ids == eos_token_id).int().argmax(-1)`).
    ///
    /// A sequence without that id pools position 0, exactly as the reference's argmax over an
    /// all-zero row does; the tokenizer always appends it, so this only affects hand-made ids.
    case firstOccurrence(of: Int)

    /// The pooled position in `ids` (`ids` non-empty).
    public func position(in ids: some Collection<Int>) -> Int {
        precondition(!ids.isEmpty, "TextPooling: empty sequence")
        switch self {
        case .highestTokenID:
            var best = 0
            var bestID = Int.min
            for (index, id) in ids.enumerated() where id > bestID {
                best = index
                bestID = id
            }
            return best
        case .firstOccurrence(let eos):
            return ids.firstIndex(of: eos).map { ids.distance(from: ids.startIndex, to: $0) } ?? 0
        }
    }
}
