/// GPT-2's reversible map between bytes and printable characters, used by byte-level BPE.
///
/// Mirrors `bytes_to_unicode()` of OpenAI's `clip/simple_tokenizer.py` (and `tokenizers`' `ByteLevel`):
/// printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100… in byte order.
enum ByteLevelAlphabet {
    /// `scalars[b]` is the character that stands for byte `b`.
    static let scalars: [Unicode.Scalar] = {
        var printable = [Bool](repeating: false, count: 256)
        for range in [0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] {
            for b in range { printable[b] = true }
        }
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if printable[b] {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `scalars`: character → byte.
    static let bytes: [Unicode.Scalar: UInt8] = {
        var map: [Unicode.Scalar: UInt8] = [:]
        for (b, scalar) in scalars.enumerated() { map[scalar] = UInt8(b) }
        return map
    }()

    /// Decodes one byte-level token back to raw bytes; `nil` if a character is outside the alphabet.
    /// Mirrors `tokenizers`' `ByteLevel` decoder, which then keeps such a token's own UTF-8 bytes.
    static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            guard let b = bytes[scalar] else { return nil }
            out.append(b)
        }
        return out
    }
}
