import CLIPNetwork
import Foundation
import TensorKernels
import Testing

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

    /// The fixture's text and image embeddings from fp32 and from `precision`, and the smallest cosine
    /// between the two of each row.
    struct Comparison {
        let textA: Matrix, textB: Matrix, imageA: Matrix, imageB: Matrix
        var worstText: Double { Int8AccuracyTests.worst(textA, textB) }
        var worstImage: Double { Int8AccuracyTests.worst(imageA, imageB) }
    }

    static func worst(_ a: Matrix, _ b: Matrix) -> Double {
        (0..<a.rows).map { cosine(a.row($0), b.row($0)) }.min() ?? 1
    }

    static func compare(_ fixture: ModelFixture, precision: LinearWeights.Precision) throws -> (Comparison, Float?) {
        let expected = try fixture.expected()
        let reference = try fixture.load()
        let other = try CLIPDualEncoder(directory: fixture.directory, precision: precision)
        let sequences = try fixture.sequences(expected)
        let pixels = try fixture.pixelValues(expected)
        let comparison = Comparison(
            textA: try reference.textEmbeddings(sequences), textB: try other.textEmbeddings(sequences),
            imageA: try reference.imageEmbeddings(pixels), imageB: try other.imageEmbeddings(pixels))
        print("\(fixture) \(precision.rawValue) vs fp32: worst cosine text \(comparison.worstText), image \(comparison.worstImage)")
        return (comparison, reference.logitScale)
    }

    @Test("int8 embeddings stay within cosine 0.999 of fp32", arguments: ModelFixture.variants.map(ModelFixture.init))
    func int8MatchesFloat(fixture: ModelFixture) throws {
        let (c, _) = try Self.compare(fixture, precision: .int8)
        #expect(c.worstText >= 0.999, "\(fixture) text")
        #expect(c.worstImage >= 0.999, "\(fixture) image")
    }
}
