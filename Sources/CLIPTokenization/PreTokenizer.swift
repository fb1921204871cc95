/// Splits normalised text into the pieces BPE runs on.
///
/// Mirrors transformers 5.23 `CLIPTokenizer`'s pre-tokenizer, a sequence of
/// 1. `Split(Regex(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"),
///    behavior="removed", invert=True)` — letter runs, one number per piece, runs of anything else;
///    whitespace dropped; at each position the first alternative that matches wins;
/// 2. `ByteLevel(add_prefix_space=False)`, whose GPT-2 regex (`use_regex=True`) splits each piece again.
///    On whitespace-free pieces that regex only changes the literal special-token pieces:
///    `<|endoftext|>` → `<|`, `endoftext`, `|>`.
enum PreTokenizer {
    private static let literals: [[UInt8]] = [Array("<|startoftext|>".utf8), Array("<|endoftext|>".utf8)]

    /// Calls `body` with the byte range of every piece of `text[range]`, in order.
    /// `body` returns `false` to stop early.
    @inline(__always)
    static func forEachPiece(in text: [UInt8], _ range: Range<Int>, _ body: (Range<Int>) -> Bool) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let (value, length) = UTF8Bytes.decode(text, at: i)
            let start = i
            switch ScalarClass.of(value) {
            case .space:
                i += length
                continue
            case .letter:
                i += length
                while i < end {
                    let (v, l) = UTF8Bytes.decode(text, at: i)
                    guard ScalarClass.of(v) == .letter else { break }
                    i += l
                }
            case .number:
                i += length
            case .other:
                if value == 0x3C, let literal = literal(in: text, at: i, end: end) {
                    // `<|` + name + `|>`, as the byte-level regex splits the literal.
                    let n = literals[literal].count
                    guard body(i..<i + 2), body(i + 2..<i + n - 2), body(i + n - 2..<i + n) else { return }
                    i += n
                    continue
                }
                if value == 0x27, let n = contractionLength(in: text, at: i, end: end) {
                    i += n
                    break
                }
                i += length
                while i < end {
                    let (v, l) = UTF8Bytes.decode(text, at: i)
                    guard ScalarClass.of(v) == .other else { break }
                    i += l
                }
            }
            if !body(start..<i) { return }
        }
    }

    /// The index in `literals` of a special-token literal starting at `i`, if any.
    private static func literal(in text: [UInt8], at i: Int, end: Int) -> Int? {
        for (index, literal) in literals.enumerated() where i + literal.count <= end {
            var matches = true
            for k in 1..<literal.count where text[i + k] != literal[k] {
                matches = false
                break
            }
            if matches { return index }
        }
        return nil
    }

    /// Length of `'s|'t|'re|'ve|'m|'ll|'d` at `i` (which holds `'`), or `nil`.
    private static func contractionLength(in text: [UInt8], at i: Int, end: Int) -> Int? {
        guard i + 1 < end else { return nil }
        switch text[i + 1] {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return i + 2 < end && text[i + 2] == UInt8(ascii: "e") ? 3 : nil
        case UInt8(ascii: "l"):
            return i + 2 < end && text[i + 2] == UInt8(ascii: "l") ? 3 : nil
        default:
            return nil
        }
    }
}
