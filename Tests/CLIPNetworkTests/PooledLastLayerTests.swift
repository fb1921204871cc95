import TensorKernels
import Testing

@testable import CLIPNetwork

/// The last encoder layer run for the pooled rows alone (`CLIPEncoderLayer.pooledRows`, what every
/// embedding call does) gives the features of the whole layer (what a recorded call runs), on each
/// fixture, both precisions, and for pooled positions at the start, middle and end of a sequence.
@Suite struct PooledLastLayerTests {
    static let cases: [(String, LinearWeights.Precision)] = ModelFixture.variants.flatMap { [($0, .float32), ($0, .int8)] }

    @Test("images: the class tokens alone give the whole layer's features", arguments: cases)
    func images(variant: String, precision: LinearWeights.Precision) throws {
        let fixture = ModelFixture(name: variant)
        let vision = try #require(CLIPDualEncoder(directory: fixture.directory, towers: .vision, precision: precision).visionTower)
        let pixels = try fixture.pixelValues(try fixture.expected())
        let pooled = try vision.features(pixels, recorder: nil, threads: 1)
        let whole = try vision.features(pixels, recorder: ActivationRecorder())
        #expect(pooled.rows == whole.rows)
        #expect(maxRelativeDifference(pooled, whole) <= 1e-6, "\(variant) \(precision)")
    }

    @Test("texts: the pooled rows alone give the whole layer's features", arguments: cases)
    func texts(variant: String, precision: LinearWeights.Precision) throws {
        let fixture = ModelFixture(name: variant)
        let text = try #require(CLIPDualEncoder(directory: fixture.directory, towers: .text, precision: precision).textTower)
        let sequences = try fixture.sequences(try fixture.expected())
        for batching in [TextBatching.exactLength, .padded] {
            let pooled = try text.features(sequences, batching: batching, recorder: nil, threads: 1)
            let whole = try text.features(sequences, batching: batching, recorder: ActivationRecorder())
            #expect(maxRelativeDifference(pooled, whole) <= 1e-6, "\(variant) \(precision) \(batching)")
        }
    }

    @Test("a layer's pooled rows are its whole output's rows, wherever the pooled token is")
    func layerRows() throws {
        let fixture = ModelFixture(name: "fashionclip-f32")
        let text = try #require(try fixture.load(towers: .text).textTower)
        let layer = try #require(text.layers.last)
        let hidden = text.configuration.hiddenSize
        let (batch, length) = (3, 9)
        // Deterministic, sign-mixed inputs of unit scale.
        let x = Matrix(
            rows: batch * length, columns: hidden,
            values: (0..<batch * length * hidden).map { Float(($0 * 7919) % 2003) / 1001.5 - 1 })
        for causal in [false, true] {
            var whole = x
            layer(&whole, batch: batch, sequenceLength: length, causal: causal)
            let positions = [0, length / 2, length - 1]
            let rows = layer.pooledRows(x, positions: positions, batch: batch, sequenceLength: length, causal: causal)
            let expected = whole.rows(at: positions.enumerated().map { b, position in b * length + position })
            #expect(maxRelativeDifference(rows, expected) <= 1e-6, "causal \(causal)")
        }
    }

    private func maxRelativeDifference(_ a: Matrix, _ b: Matrix) -> Float {
        precondition(a.values.count == b.values.count)
        let scale = max(b.values.map(abs).max() ?? 0, .leastNormalMagnitude)
        return zip(a.values, b.values).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }
}
