import Foundation

/// CLIP's text normaliser: Unicode NFC, every whitespace run → one space, lowercase.
///
/// Mirrors the `normalizers.Sequence([NFC(), Replace(Regex(r"\s+"), " "), Lowercase()])` that
/// transformers' `CLIPTokenizer` (tokenization_clip.py, transformers 5.23) builds:
/// - NFC: Foundation's `precomposedStringWithCanonicalMapping` (checked against the goldens).
/// - `\s`: the `White_Space` property (Oniguruma's `\s`), see `ScalarClass`.
/// - Lowercase: per scalar and context-free, as Rust's `char::to_lowercase` — `Σ` always becomes `σ`
///   (no final-sigma rule) and `İ` becomes `i` + U+0307.
enum TextNormalizer {
    /// Appends the normalised UTF-8 bytes of `raw[range]` to `out`.
    static func normalize(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        var isASCII = true
        for i in range where raw[i] >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            normalizeASCII(raw, range, into: &out)
        } else {
            normalizeUnicode(raw, range, into: &out)
        }
    }

    /// ASCII text is already in NFC; lowercase is A–Z → a–z.
    private static func normalizeASCII(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        var lastWasSpace = false
        for i in range {
            let b = raw[i]
            if ScalarClass.ascii[Int(b)] == .space {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
            } else {
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
                lastWasSpace = false
            }
        }
    }

    private static func normalizeUnicode(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        let text = String(decoding: raw[range], as: UTF8.self).precomposedStringWithCanonicalMapping
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let b = UInt8(value)
                if ScalarClass.ascii[Int(b)] == .space {
                    if !lastWasSpace { out.append(0x20) }
                    lastWasSpace = true
                } else {
                    out.append(b &- 0x41 < 26 ? b | 0x20 : b)
                    lastWasSpace = false
                }
                continue
            }
            let properties = scalar.properties
            if properties.isWhitespace {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            if properties.changesWhenLowercased {
                for lower in properties.lowercaseMapping.unicodeScalars {
                    UTF8Bytes.append(lower, to: &out)
                }
            } else {
                UTF8Bytes.append(scalar, to: &out)
            }
        }
    }
}
