/// A token matched literally in the text before BPE (`<|startoftext|>`, `<|endoftext|>`, or added ones).
///
/// Mirrors `tokenizers`' `AddedToken`: `normalized == false` tokens are found in the raw text,
/// `normalized == true` ones in the normalised text (so `<|ENDOFTEXT|>` also matches after lowercasing).
public struct AddedToken: Sendable, Equatable, Hashable {
    public var content: String
    public var id: Int32
    public var special: Bool
    public var normalized: Bool
    public var lstrip: Bool
    public var rstrip: Bool

    public init(
        content: String, id: Int32, special: Bool = true, normalized: Bool = false,
        lstrip: Bool = false, rstrip: Bool = false
    ) {
        self.content = content
        self.id = id
        self.special = special
        self.normalized = normalized
        self.lstrip = lstrip
        self.rstrip = rstrip
    }
}

/// Leftmost-longest matching of a set of added tokens in UTF-8 text (as `tokenizers`' Aho–Corasick
/// `MatchKind::LeftmostLongest`).
///
/// `lstrip` / `rstrip` (a match swallows adjacent whitespace) are not applied: in CLIP's pipeline
/// whitespace never becomes a token, so they cannot change ids.
struct AddedTokenMatcher: Sendable {
    private let patterns: [(bytes: [UInt8], token: AddedToken)]
    private let firstBytes: [Bool]

    init(_ tokens: [AddedToken]) {
        patterns = tokens.filter { !$0.content.isEmpty }
            .map { (Array($0.content.utf8), $0) }
            .sorted { $0.bytes.count > $1.bytes.count }
        var first = [Bool](repeating: false, count: 256)
        for pattern in patterns { first[Int(pattern.bytes[0])] = true }
        firstBytes = first
    }

    var isEmpty: Bool { patterns.isEmpty }

    /// Splits `text[range]` into plain segments and matched tokens, calling `segment` and `token` in order.
    /// Returns `false` as soon as a callback does.
    func split(
        _ text: [UInt8], _ range: Range<Int>, segment: (Range<Int>) -> Bool,
        token: (AddedToken) -> Bool
    ) -> Bool {
        var plainStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            guard firstBytes[Int(text[i])], let (match, length) = longestMatch(text, at: i, end: range.upperBound)
            else {
                i += 1
                continue
            }
            let start = i
            let stop = i + length
            if start > plainStart, !segment(plainStart..<start) { return false }
            if !token(match) { return false }
            plainStart = stop
            i = stop
        }
        if plainStart < range.upperBound { return segment(plainStart..<range.upperBound) }
        return true
    }

    private func longestMatch(_ text: [UInt8], at i: Int, end: Int) -> (AddedToken, Int)? {
        for pattern in patterns where i + pattern.bytes.count <= end {
            var equal = true
            for k in 0..<pattern.bytes.count where text[i + k] != pattern.bytes[k] {
                equal = false
                break
            }
            if equal { return (pattern.token, pattern.bytes.count) }
        }
        return nil
    }
}
