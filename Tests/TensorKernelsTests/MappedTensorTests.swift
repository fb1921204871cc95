import Foundation
import TensorKernels
import Testing

/// `MappedFile` and `MappedTensor` over a real mapping: conversions as `TensorBytes` gives them,
/// the finite check in place and in blocks, and linear layers packed straight from the mapping
/// (`LinearWeights.packing(mapped:…)`) against the same weights packed from an array.
@Suite struct MappedTensorTests {
    /// A temporary file holding `bytes`, removed by `body`'s end.
    static func withFile<R>(_ bytes: Data, _ body: (URL) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-tensor-\(UUID().uuidString).bin")
        try bytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    static func littleEndian(_ values: [Float]) -> Data {
        Data(values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } })
    }

    @Test func convertsLikeTensorBytesAtAnyOffset() throws {
        let count = 3 * 16_384 + 77  // more than one block of the converted finite check
        var values = randomValues(count, scale: 100, seed: 3)
        let halves = values.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }  // bf16 bits
        let f32 = Self.littleEndian(values), b16 = Data(halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let file = Data([1, 2, 3, 4, 5, 6, 7, 8]) + f32 + Data([9]) + f32 + b16  // aligned f32, misaligned f32, bf16
        try Self.withFile(file) { url in
            let data = try MappedFile.map(url)
            let aligned = MappedTensor(storage: data, offset: 8, count: count, element: .float32)
            let misaligned = MappedTensor(storage: data, offset: 9 + f32.count, count: count, element: .float32)
            let brain = MappedTensor(storage: data, offset: 9 + 2 * f32.count, count: count, element: .bfloat16)
            #expect(aligned.isAlignedFloat32 && !misaligned.isAlignedFloat32 && !brain.isAlignedFloat32)
            for (tensor, offset) in [(aligned, 8), (misaligned, 9 + f32.count), (brain, 9 + 2 * f32.count)] {
                let expected = TensorBytes.floats(data, offset: offset, count: count, element: tensor.element)
                #expect(tensor.floats(0..<count) == expected)
                #expect(tensor.floats(16_380..<16_390) == Array(expected[16_380..<16_390]))
                var row = [Float](repeating: .nan, count: 12)
                tensor.copy(49..<59, into: &row, at: 1)
                #expect(Array(row[1..<11]) == Array(expected[49..<59]) && row[0].isNaN && row[11].isNaN)
                #expect(tensor.firstNonFinite() == nil)
                tensor.releasePages()
                #expect(tensor.floats(0..<count) == expected, "pages dropped read back from the file")
            }
            values[2 * 16_384 + 5] = .nan
        }
        // A NaN in the third block is found in place and by the block-wise conversion.
        let bad = Self.littleEndian(values)
        try Self.withFile(Data([0, 0, 0, 0]) + bad + Data([0]) + bad) { url in
            let data = try MappedFile.map(url)
            #expect(MappedTensor(storage: data, offset: 4, count: count, element: .float32).firstNonFinite() == 2 * 16_384 + 5)
            #expect(MappedTensor(storage: data, offset: 5 + bad.count, count: count, element: .float32).firstNonFinite() == 2 * 16_384 + 5)
        }
    }

    @Test func mapsOnlyRegularFiles() throws {
        let empty = try Self.withFile(Data()) { url in try MappedFile.map(url) }
        #expect(empty.isEmpty)
        #expect(throws: MappedFile.Failure.self) { try MappedFile.map(FileManager.default.temporaryDirectory) }
        #expect(throws: MappedFile.Failure.self) { try MappedFile.requireRegularFile(URL(fileURLWithPath: "/no/such/file")) }
    }

    @Test(arguments: [[32, 32, 32], [64, 7], [50], [1]])
    func packsStraightFromTheMappingLikeFromAnArray(outFeatures: [Int]) throws {
        let inFeatures = 49
        let parts = outFeatures.enumerated().map { randomValues($0.element * inFeatures, seed: UInt64(20 + $0.offset)) }
        let total = outFeatures.reduce(0, +)
        let bias = randomValues(total, seed: 9)
        var file = Data([0, 0, 0, 0, 0, 0, 0, 0])
        var offsets: [Int] = []
        for part in parts {
            offsets.append(file.count)
            file += Self.littleEndian(part)
        }
        try Self.withFile(file + Data([0]) + Self.littleEndian(parts[0])) { url in
            let data = try MappedFile.map(url)
            let tensors = zip(parts, offsets).map { MappedTensor(storage: data, offset: $1, count: $0.count, element: .float32) }
            let x = randomMatrix(11, inFeatures, seed: 5)
            for precision in Kernels.supportedPrecisions {
                let mapped = try #require(
                    LinearWeights.packing(
                        mapped: tensors, outFeatures: outFeatures, bias: bias,
                        inFeatures: inFeatures, precision: precision))
                let array = LinearWeights(
                    weight: parts.flatMap { $0 }, bias: bias, outFeatures: total, inFeatures: inFeatures,
                    precision: precision)
                #expect(mapped.byteCount == array.byteCount && mapped.precision == precision)
                #expect(Kernels.linear(x, mapped).values == Kernels.linear(x, array).values, "\(outFeatures) \(precision)")
            }
            let misaligned = MappedTensor(storage: data, offset: file.count + 1, count: parts[0].count, element: .float32)
            #expect(LinearWeights.packing(mapped: [misaligned], outFeatures: [outFeatures[0]], bias: nil, inFeatures: inFeatures) == nil)
        }
    }
}
