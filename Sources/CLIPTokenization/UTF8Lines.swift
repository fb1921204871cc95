import Foundation

/// Turning raw input bytes (stdin, files) into text lines, refusing invalid UTF-8 instead of repairing it.
public enum UTF8Lines {
    /// Splits `data` at `\n` (a trailing `\r` is dropped from each line; a final empty line is not returned).
    ///
    /// - Parameter source: names the input in errors, e.g. `"stdin"`.
    /// - Throws: `TokenizerError.invalidUTF8` with the offset of the first invalid byte.
    public static func split(_ data: Data, source: String) throws -> [String] {
        let bytes = [UInt8](data)
        if let offset = firstInvalidByte(bytes) {
            throw TokenizerError.invalidUTF8(source: source, byteOffset: offset)
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF), or `nil` when all of `bytes` is valid.
    public static func firstInvalidByte(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return i
            }
            guard i + length <= n else { return i }
            guard bytes[i + 1] >= low, bytes[i + 1] <= high else { return i }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}
