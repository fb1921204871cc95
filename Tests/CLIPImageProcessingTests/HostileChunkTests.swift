import CLIPImageProcessing
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files that declare far more than they hold must not make a decoder allocate it: a 51-byte PNG whose
/// text chunk declared 2 GB made the process reach 2.08 GB (issue 19, item 3). Serialized: the peak
/// RSS it watches is the process's.
@Suite(.serialized) struct HostileChunkTests {
    /// CRC-32 of PNG chunks (ISO 3309, as zlib's `crc32`).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// A chunk with a correct CRC.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    /// The PNG signature, a valid 16×16 RGB header, then `type` declaring `length` bytes and holding 10.
    static func hostile(_ type: String, length: UInt32) -> Data {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let header = chunk("IHDR", bigEndian(16) + bigEndian(16) + [8, 2, 0, 0, 0])
        return Data(signature + header + bigEndian(length) + Array(type.utf8) + Array(repeating: 0x41, count: 10))
    }

    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1024
    }

    @Test(arguments: ["tEXt", "zTXt", "iTXt", "iCCP", "eXIf", "sPLT"])
    func declaredChunkLengthIsNotAllocated(type: String) throws {
        let data = Self.hostile(type, length: 0x7FFF_FFF0)
        #expect(data.count < 60)
        let before = Self.peakResidentMegabytes()
        #expect(throws: ImageProcessingError.self) { try ImageDecoder().decode(data: data, source: "hostile.png") }
        let grown = Self.peakResidentMegabytes() - before
        // The peak is the process's (other suites run beside this one): 1 GB separates a bounded
        // decode from the 2 GB the declared length used to cost.
        #expect(grown < 1024, "decoding a \(data.count)-byte PNG with a \(type) chunk raised the peak RSS by \(grown) MB")
    }
}
