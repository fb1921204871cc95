import Foundation

/// A glob over repo file paths with Python `fnmatch` semantics, as `huggingface_hub`'s
/// `allow_patterns` (mirrors `utils/_paths.py` `filter_repo_objects`).
///
/// `*` matches any run of characters **including `/`**, `?` one character, `[abc]`/`[a-z]` a set,
/// `[!abc]` its complement; everything else matches itself. A pattern ending in `/` gets `*` appended
/// (`onnx/` means everything under `onnx/`).
public struct HubFilePattern: Hashable, Sendable, CustomStringConvertible {
    public let description: String
    private let pattern: [Character]

    /// A pattern from its text.
    public init(_ text: String) {
        let full = text.hasSuffix("/") ? text + "*" : text
        description = full
        pattern = Array(full)
    }

    /// Whether `path` (e.g. `onnx/model.onnx`) matches the whole pattern.
    public func matches(_ path: String) -> Bool {
        let text = Array(path)
        // Iterative wildcard matching with backtracking to the last `*` (linear in practice).
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
                continue
            }
            if p < pattern.count, let width = matchOne(at: p, text[t]) {
                p += width
                t += 1
                continue
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// If the pattern element at `p` matches `character`, the element's width in pattern characters.
    private func matchOne(at p: Int, _ character: Character) -> Int? {
        switch pattern[p] {
        case "?":
            return 1
        case "[":
            guard let (width, matched) = matchSet(at: p, character) else {
                return character == "[" ? 1 : nil  // an unclosed `[` is literal, as in fnmatch
            }
            return matched ? width : nil
        case let literal:
            return literal == character ? 1 : nil
        }
    }

    /// Parses `[...]` at `p`: its width and whether `character` is in it; nil when unclosed.
    private func matchSet(at p: Int, _ character: Character) -> (Int, Bool)? {
        var i = p + 1
        var negate = false
        if i < pattern.count, pattern[i] == "!" {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count, pattern[i] != "]" || first {
            first = false
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                if pattern[i] <= character && character <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if pattern[i] == character { matched = true }
                i += 1
            }
        }
        guard i < pattern.count else { return nil }
        return (i - p + 1, matched != negate)
    }
}
