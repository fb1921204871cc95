import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// The token embedding read from the weight file's mapping (`EmbeddingTable`, `MappedTensor`) gives
/// exactly what the table held in memory gives, for every stored dtype.
@Suite struct EmbeddingTableTests {
    /// The text tower of `fixture`, from the mapped file and from the same bytes held in memory.
    static func towers(_ fixture: ModelFixture) throws -> (mapped: CLIPTextTower, resident: CLIPTextTower) {
        let mapped = try #require(try fixture.load(towers: .text).textTower)
        let url = fixture.directory.appendingPathComponent("model.safetensors")
        let inMemory = try SafeTensorsFile(data: Data(contentsOf: url), path: url.path)
        let configuration = try CLIPConfiguration(contentsOf: fixture.directory.appendingPathComponent("config.json"))
        let resident = try #require(try CLIPDualEncoder(configuration: configuration, weights: inMemory, towers: .text).textTower)
        return (mapped, resident)
    }

    @Test("mapped and in-memory token embeddings give the same embeddings", arguments: ModelFixture.variants.map(ModelFixture.init))
    func sameEmbeddings(fixture: ModelFixture) throws {
        let (mapped, resident) = try Self.towers(fixture)
        #expect(mapped.readsTokenEmbeddingFromFile)
        #expect(!resident.readsTokenEmbeddingFromFile)
        let vocabulary = mapped.configuration.vocabularySize
        // The first and last rows, and rows throughout the table, in batches of different lengths.
        let sequences =
            [[0], [vocabulary - 1, 0, 1], [vocabulary / 2, vocabulary / 3, vocabulary - 2, 5, 7]]
            + (try fixture.sequences(fixture.expected()))
        let ours = try mapped.embeddings(sequences)
        let reference = try resident.embeddings(sequences)
        #expect(ours == reference, "\(fixture): mapped token embedding changed the embeddings")
    }

    @Test func nonFiniteRowInMappedTable() throws {
        let key = "text_model.embeddings.token_embedding.weight"
        let scratch = try WeightLoadingTests.folder {
            // Element 37 of the table: row 2, column 5 of the 16-wide fixture.
            $0[key]!.bytes.replaceSubrange(148..<152, with: SafeTensorsBuilder.float32Bytes([.infinity]))
        }
        defer { scratch.remove() }
        #expect(throws: CLIPNetworkError.nonFiniteWeight(key: key, index: 37)) {
            try CLIPDualEncoder(directory: scratch.url, towers: .text)
        }
    }

    @Test func mappedTensorConvertsEachDType() throws {
        // 1.5, −2, 65504 (the largest F16), a subnormal F16, and 3.25 in BF16.
        let halves: [UInt16] = [0x3E00, 0xC000, 0x7BFF, 0x0001]
        let brains: [UInt16] = [0x4050]
        var builder = SafeTensorsBuilder()
        builder["h"] = .init(name: "h", dtype: "F16", shape: [4], bytes: Data(halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        builder["b"] = .init(name: "b", dtype: "BF16", shape: [1], bytes: Data(brains.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        builder["f"] = .init(name: "f", dtype: "F32", shape: [3], bytes: SafeTensorsBuilder.float32Bytes([1, -0.5, 7]))
        builder["i"] = .init(name: "i", dtype: "I32", shape: [1], bytes: Data([1, 0, 0, 0]))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString).safetensors")
        try builder.encoded().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try SafeTensorsFile(contentsOf: url)
        for name in ["h", "b", "f"] {
            let tensor = try #require(try file.mappedTensor(name))
            var values = [Float](repeating: .nan, count: tensor.count + 2)
            tensor.copy(0..<tensor.count, into: &values, at: 1)
            #expect(Array(values[1...tensor.count]) == (try file.floats(name)), "\(name)")
            #expect(values.first!.isNaN && values.last!.isNaN, "\(name): nothing written outside the row")
            #expect(tensor.floats(1..<tensor.count) == Array((try file.floats(name)).dropFirst()), "\(name)")
            #expect(tensor.firstNonFinite() == nil)
        }
        #expect(try file.mappedTensor("h")?.count == 4)
        #expect(try file.mappedTensor("i") == nil, "integers are not mapped as floats")
        let inMemory = try SafeTensorsFile(data: Data(contentsOf: url), path: "bytes")
        #expect(try inMemory.mappedTensor("f") == nil, "bytes held in memory are not a mapping")
    }
}
