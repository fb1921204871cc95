/// Test hooks (`package`, so tests import the module normally and also build in release mode).
extension CLIPTokenizer {
    /// Number of merges in the BPE model (48,894 for CLIP).
    package var mergeCount: Int { model.merges.count }

    /// BPE of one piece's bytes with the quadratic (`long == false`) or the heap merge loop.
    package func mergePiece(_ bytes: [UInt8], long: Bool) -> [Int32] {
        var symbols = bytes.dropLast().map { model.byteIds[Int($0)] } + [model.byteEndIds[Int(bytes.last!)]]
        if long { model.mergeLong(&symbols) } else { model.mergeShort(&symbols) }
        return symbols
    }

    /// The reference NFC of UTF-8 text (`ReferenceNFC`).
    package static func referenceNFC(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        TextNormalizer.nfc(bytes, 0..<bytes.count, into: &out)
        return out
    }

    /// GPT-2's byte-level alphabet: `[256]` characters standing for bytes 0…255.
    package static var byteLevelAlphabet: [Unicode.Scalar] { ByteLevelAlphabet.scalars }
}
