import CLIPNetwork
import Foundation
import Testing
import TensorKernels

/// `precision: .int8` against fp32 on the tiny fixtures: the accuracy figure of BENCHMARKS.md
/// (embeddings within cosine 0.999 of fp32) as a test; speed stays in the benchmarks.
@Suite struct Int8AccuracyTests {
    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na * nb).squareRoot()
    }

    @Test("int8 embeddings stay within cosine 0.999 of fp32", arguments: ModelFixture.variants.map(ModelFixture.init))
    func int8MatchesFloat(fixture: ModelFixture) throws {
        let expected = try fixture.expected()
        let reference = try fixture.load()
        let quantized = try CLIPDualEncoder(directory: fixture.directory, precision: .int8)
        let sequences = try fixture.sequences(expected)
        let textA = try reference.textEmbeddings(sequences), textB = try quantized.textEmbeddings(sequences)
        let pixels = try fixture.pixelValues(expected)
        let imageA = try reference.imageEmbeddings(pixels), imageB = try quantized.imageEmbeddings(pixels)
        var worstText = 1.0, worstImage = 1.0
        for row in 0..<textA.rows { worstText = min(worstText, Self.cosine(textA.row(row), textB.row(row))) }
        for row in 0..<imageA.rows { worstImage = min(worstImage, Self.cosine(imageA.row(row), imageB.row(row))) }
        print("\(fixture) int8 vs fp32: worst cosine text \(worstText), image \(worstImage)")
        #expect(worstText >= 0.999, "\(fixture) text")
        #expect(worstImage >= 0.999, "\(fixture) image")
    }
}
