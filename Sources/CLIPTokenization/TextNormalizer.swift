/// CLIP's text normaliser: Unicode NFC, every whitespace run → one space, lowercase.
///
/// Mirrors the `normalizers.Sequence([NFC(), Replace(Regex(r"\s+"), " "), Lowercase()])` that
/// transformers' `CLIPTokenizer` (tokenization_clip.py, transformers 5.23) builds:
/// - NFC: text that passes the Unicode NFC quick check is already NFC; other text goes through
///   `ReferenceNFC`, which uses the reference's (pre-Unicode 10) tables.
/// - `\s`: the `White_Space` property (Oniguruma's `\s`), see `ScalarClass`.
/// - Lowercase: per scalar and context-free, as Rust's `char::to_lowercase` — `Σ` always becomes `σ`
///   (no final-sigma rule) and `İ` becomes `i` + U+0307 — from the reference's tables (`ReferenceUnicode`).
enum TextNormalizer {
    /// Appends the normalised UTF-8 bytes of `raw[range]` (valid UTF-8) to `out`.
    static func normalize(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        var isASCII = true
        for i in range where raw[i] >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            var lastWasSpace = false
            for i in range { appendASCII(raw[i], &lastWasSpace, &out) }
        } else if isKnownNFC(raw, range) {
            var lastWasSpace = false
            var i = range.lowerBound
            while i < range.upperBound {
                let (value, length) = UTF8Bytes.decode(raw, at: i)
                appendScalar(value, &lastWasSpace, &out)
                i += length
            }
        } else {
            var nfc: [UInt8] = []
            Self.nfc(raw, range, into: &nfc)
            var lastWasSpace = false
            var i = 0
            while i < nfc.count {
                let (value, length) = UTF8Bytes.decode(nfc, at: i)
                appendScalar(value, &lastWasSpace, &out)
                i += length
            }
        }
    }

    /// Appends the NFC of `raw[range]` to `out`, with the reference's Unicode data (`ReferenceNFC`).
    static func nfc(_ raw: [UInt8], _ range: Range<Int>, into out: inout [UInt8]) {
        ReferenceNFC.normalize(raw, range, into: &out)
    }

    /// `true` when the NFC quick check proves `raw[range]` is NFC (no combining marks, singletons, …).
    private static func isKnownNFC(_ raw: [UInt8], _ range: Range<Int>) -> Bool {
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
            guard var span = try? UTF8Span(validating: raw.span.extracting(range)) else { return false }
            return span.checkForNFC(quickCheck: true)
        }
        return false
    }

    @inline(__always)
    private static func appendASCII(_ b: UInt8, _ lastWasSpace: inout Bool, _ out: inout [UInt8]) {
        switch ScalarClass.ofASCII(UInt32(b)) {
        case .space:
            if !lastWasSpace { out.append(0x20) }
            lastWasSpace = true
        case .letter:
            out.append(b | 0x20)
            lastWasSpace = false
        default:
            out.append(b)
            lastWasSpace = false
        }
    }

    private static func appendScalar(_ value: UInt32, _ lastWasSpace: inout Bool, _ out: inout [UInt8]) {
        if value < 0x80 { return appendASCII(UInt8(value), &lastWasSpace, &out) }
        if ScalarClass.of(nonASCII: value) == .space {
            if !lastWasSpace { out.append(0x20) }
            lastWasSpace = true
            return
        }
        lastWasSpace = false
        ReferenceUnicode.appendLowercase(value, to: &out)
    }
}
