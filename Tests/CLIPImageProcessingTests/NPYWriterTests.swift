import CLIPImageProcessing
import Foundation
import Testing

@Suite("NPYWriter")
struct NPYWriterTests {
    @Test("float32 and uint8 files round-trip with a 64-byte aligned header")
    func roundTrip() throws {
        let values: [Float] = [0, -1.5, .pi, 1e-30, 65504, -0.0]
        let data = NPYWriter.data(float32: values, shape: [1, 2, 3])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        let read = try NPYArray(contentsOf: url)
        #expect(read.descr == "<f4")
        #expect(read.shape == [1, 2, 3])
        #expect(read.float32.map(\.bitPattern) == values.map(\.bitPattern))
        #expect((data.count - values.count * 4) % 64 == 0)
        let header = String(decoding: data[10..<(data.count - values.count * 4)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }"))
        #expect(header.hasSuffix("\n"))

        let bytes = NPYWriter.data(uint8: [1, 2, 3], shape: [3])
        let oneD = String(decoding: bytes[10..<(bytes.count - 3)], as: UTF8.self)
        #expect(oneD.contains("'descr': '|u1'") && oneD.contains("'shape': (3,)"))
        #expect(Array(bytes.suffix(3)) == [1, 2, 3])
    }
}
