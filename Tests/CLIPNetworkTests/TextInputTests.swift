import CLIPNetwork
import Foundation
import TensorKernels
import Testing

/// Pooling rules and input validation.
@Suite struct TextInputTests {
    @Test func highestTokenIDPoolsTheFirstMaximum() {
        let pooling = TextPooling.highestTokenID
        #expect(pooling.position(in: [49406, 320, 49407]) == 2)
        #expect(pooling.position(in: [49406, 320, 49407, 5, 49407]) == 2)
        #expect(pooling.position(in: [320, 5000, 1000]) == 1)
        #expect(pooling.position(in: [7]) == 0)
    }

    @Test func firstOccurrencePoolsTheFirstEOSOrPositionZero() {
        let pooling = TextPooling.firstOccurrence(of: 49407)
        #expect(pooling.position(in: [49406, 320, 49407, 49407]) == 2)
        #expect(pooling.position(in: [49406, 49408 - 1]) == 1)
        #expect(pooling.position(in: [320, 5000, 1000]) == 0)  // as argmax over an all-zero mask
        #expect(pooling.position(in: ArraySlice([1, 2, 49407]).dropFirst()) == 1)
    }

    @Test func configurationSelectsThePoolingRule() {
        var config = CLIPTextConfiguration()
        config.eosTokenID = 2
        #expect(config.pooling == .highestTokenID)
        config.eosTokenID = 49407
        #expect(config.pooling == .firstOccurrence(of: 49407))
    }

    @Test func invalidTextInputs() throws {
        let model = try ModelFixture(name: "laion-f16").load(towers: .text)
        #expect(throws: CLIPNetworkError.invalidSequenceLength(sequence: 1, length: 0, maximum: 77)) {
            try model.textEmbeddings([[49406, 49407], []])
        }
        #expect(throws: CLIPNetworkError.invalidSequenceLength(sequence: 0, length: 78, maximum: 77)) {
            try model.textEmbeddings([Array(repeating: 320, count: 78)])
        }
        #expect(throws: CLIPNetworkError.invalidTokenID(sequence: 0, position: 1, id: 49408, vocabularySize: 49408)) {
            try model.textEmbeddings([[49406, 49408]])
        }
        #expect(throws: CLIPNetworkError.invalidTokenID(sequence: 0, position: 0, id: -1, vocabularySize: 49408)) {
            try model.textEmbeddings([[-1]])
        }
        #expect(try model.textEmbeddings([]).rows == 0)
    }

    @Test func invalidPixelValues() throws {
        let model = try ModelFixture(name: "laion-f16").load(towers: .vision)
        #expect(throws: CLIPNetworkError.invalidPixelValues(expectedColumns: 3072, foundColumns: 3000, imageSize: 32, channels: 3)) {
            try model.imageEmbeddings(Matrix(zeros: 2, columns: 3000))
        }
        var nan = Matrix(zeros: 2, columns: 3072)
        nan[1, 5] = .nan
        #expect(throws: CLIPNetworkError.nonFiniteOutput(name: "image features", row: 1)) { try model.imageEmbeddings(nan) }
    }

    @Test func logitsNeedMatchingWidths() throws {
        let model = try ModelFixture(name: "laion-f16").load()
        #expect(throws: CLIPNetworkError.embeddingDimensionMismatch(image: 24, text: 23)) {
            try model.logitsPerImage(imageEmbeddings: Matrix(zeros: 1, columns: 24), textEmbeddings: Matrix(zeros: 1, columns: 23))
        }
    }

    /// im2col puts patch (py, px) in row py · grid + px and flattens it in [c, ky, kx] order.
    @Test func patchExtractionOrder() {
        var config = CLIPVisionConfiguration()
        config.imageSize = 4
        config.patchSize = 2
        config.channels = 2
        let pixels = Matrix(rows: 1, columns: 32, values: (0..<32).map(Float.init))
        let patches = CLIPVisionTower.patches(of: pixels, configuration: config)
        #expect(patches.rows == 4 && patches.columns == 8)
        // Patch (0, 1): channel 0 rows 0–1, columns 2–3; then channel 1 (offset 16).
        #expect(Array(patches.row(1)) == [2, 3, 6, 7, 18, 19, 22, 23])
        #expect(Array(patches.row(2)) == [8, 9, 12, 13, 24, 25, 28, 29])
    }
}
