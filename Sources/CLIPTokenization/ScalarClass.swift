/// The character classes of CLIP's split pattern: `\s`, `\p{L}`, `\p{N}` and everything else.
///
/// Matches the Oniguruma classes `tokenizers` compiles its regexes with: `\s` is the Unicode `White_Space`
/// property (so U+001C…U+001F and U+200B are *not* space), `\p{L}` the general categories Lu Ll Lt Lm Lo,
/// `\p{N}` the categories Nd Nl No — in the reference's Unicode version (`ReferenceUnicodeData`).
enum ScalarClass: UInt8 {
    case other = 0
    case space = 1
    case letter = 2
    case number = 3

    /// Class of an ASCII scalar (`value < 0x80`), by arithmetic: no table, no lazy-global check.
    @inline(__always)
    static func ofASCII(_ value: UInt32) -> ScalarClass {
        if (value | 0x20) &- 0x61 < 26 { return .letter }
        if value &- 0x30 < 10 { return .number }
        if value == 0x20 || value &- 0x09 < 5 { return .space }
        return .other
    }

    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        value < 0x80 ? ofASCII(value) : of(nonASCII: value)
    }

    /// Class of a non-ASCII scalar in the reference's Unicode tables.
    static func of(nonASCII value: UInt32) -> ScalarClass { ReferenceUnicode.scalarClass(value) }
}

/// Minimal UTF-8 helpers over byte arrays the tokenizer produced itself (always well formed).
enum UTF8Bytes {
    /// Decodes the scalar starting at `i`; returns its value and its length in bytes.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F), 3)
        }
        let v =
            (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
            | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
        return (v, 4)
    }

    /// Appends the UTF-8 encoding of `scalar`.
    @inline(__always)
    static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
