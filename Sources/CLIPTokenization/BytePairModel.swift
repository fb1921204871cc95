/// Byte-level BPE with an end-of-word suffix: the `tokenizers` `BPE` model as CLIP configures it
/// (`continuing_subword_prefix=""`, `end_of_word_suffix="</w>"`, no dropout, `fuse_unk=False`).
///
/// A piece's UTF-8 bytes become byte-level symbols (the last one carries `</w>`); the lowest-ranked
/// adjacent pair is merged, leftmost first, until no pair has a merge. All work is on integer ids.
struct BytePairModel: Sendable {
    /// id → token string, for every id the vocabulary defines (`nil` for gaps).
    let tokens: [String?]
    /// token string → id.
    let vocab: [String: Int32]
    /// `byteIds[b]`: id of the byte-level character for byte `b`; `byteEndIds[b]`: the same + `</w>`.
    let byteIds: [Int32]
    let byteEndIds: [Int32]
    /// `(left << 32 | right)` → `(rank << 32 | merged id)`.
    let merges: MergeTable
    let endOfWordSuffix: String

    @inline(__always)
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Appends the ids of one piece (`bytes[range]`, non-empty) to `out`.
    func encodePiece(_ bytes: [UInt8], _ range: Range<Int>, symbols: inout [Int32], into out: inout [Int32]) {
        symbols.removeAll(keepingCapacity: true)
        for i in range.lowerBound..<range.upperBound - 1 {
            symbols.append(byteIds[Int(bytes[i])])
        }
        symbols.append(byteEndIds[Int(bytes[range.upperBound - 1])])
        if symbols.count > 48 {
            mergeLong(&symbols)
        } else {
            mergeShort(&symbols)
        }
        out.append(contentsOf: symbols)
    }

    @inline(__always)
    private func rank(_ left: Int32, _ right: Int32) -> UInt64 {
        merges[Self.pairKey(left, right)] ?? UInt64.max
    }

    /// Quadratic merge loop for short words: keeps each adjacent pair's `(rank, merged id)` and rescans.
    func mergeShort(_ symbols: inout [Int32]) {
        guard symbols.count > 1 else { return }
        var ranks: [UInt64] = []
        ranks.reserveCapacity(symbols.count - 1)
        for i in 0..<symbols.count - 1 { ranks.append(rank(symbols[i], symbols[i + 1])) }
        while true {
            var best = UInt64.max
            var at = -1
            for i in 0..<ranks.count where ranks[i] < best {
                best = ranks[i]
                at = i
            }
            if at < 0 { return }
            symbols[at] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: at + 1)
            ranks.remove(at: at)
            if at > 0 { ranks[at - 1] = rank(symbols[at - 1], symbols[at]) }
            if at < ranks.count { ranks[at] = rank(symbols[at], symbols[at + 1]) }
        }
    }
}
