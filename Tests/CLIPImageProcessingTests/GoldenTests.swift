import CLIPImageProcessing
import Foundation
import Testing

@Suite("Goldens from CLIPImageProcessorPil + Pillow")
struct GoldenTests {
    @Test("fixtures are present and current")
    func fixturesPresent() throws {
        let manifest = try #require(
            GoldenFixtures.manifest,
            "Fixtures/images/manifest.json is missing or unreadable: run make goldens")
        #expect(
            manifest.fixture_version == GoldenFixtures.expectedVersion,
            "Fixtures/images is version \(manifest.fixture_version), tests expect \(GoldenFixtures.expectedVersion): run make goldens")
        #expect(manifest.cases.count >= 50)
    }

    static func processor(for entry: GoldenFixtures.Manifest.Case) throws -> CLIPImageProcessor {
        let options = ImageDecodingOptions(
            alphaHandling: entry.alpha == "drop" ? .drop : .compositeOnWhite,
            appliesEXIFOrientation: entry.exif_orientation)
        return try CLIPImageProcessor(configURL: GoldenFixtures.url(entry.config), options: options)
    }

    @Test("resized uint8 tensor is identical and pixel_values within 1e-6", arguments: GoldenFixtures.cases)
    func golden(_ entry: GoldenFixtures.Manifest.Case) throws {
        let processor = try Self.processor(for: entry)
        let image = try processor.decode(fileAt: GoldenFixtures.url(entry.input))
        let resized = processor.resizedAndCropped(image)
        let expected = try NPYArray(contentsOf: GoldenFixtures.url(entry.resized))
        #expect(expected.shape == [resized.height, resized.width, 3], "shape of \(entry.name)")
        let reference = expected.uint8
        let mismatches = zip(reference, resized.pixels).filter { $0 != $1 }.count
        let worst = zip(reference, resized.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(
            reference.count == resized.pixels.count && mismatches == 0,
            "\(entry.name) (\(entry.pillow_mode)): \(mismatches) of \(reference.count) samples differ, max |Δ| \(worst)")

        guard let file = entry.pixel_values else { return }
        let values = processor.preprocess(image)
        let golden = try NPYArray(contentsOf: GoldenFixtures.url(file))
        #expect(golden.shape == [3, resized.height, resized.width])
        let floats = golden.float32
        try #require(floats.count == values.count)
        let maxError = zip(floats, values).map { abs($0 - $1) }.max() ?? 0
        #expect(maxError <= 1e-6, "\(entry.name): max |Δ| of pixel_values \(maxError)")
        // Stronger than the issue asks: the same float32 operations give the same bits.
        #expect(zip(floats, values).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(entry.name): pixel_values not bit-identical")
    }

    @Test("preprocess(into:at:) writes the same floats into a batch buffer")
    func batchBuffer() throws {
        let processor = CLIPImageProcessor(configuration: ImageProcessorConfiguration(resize: .shortestEdge(16), cropSize: (16, 16)))
        let image = try processor.decode(fileAt: GoldenFixtures.url("inputs/rgb_37x53.png"))
        var batch = [Float](repeating: .nan, count: 2 * 3 * 16 * 16)
        let written = processor.preprocess(image, into: &batch, at: 3 * 16 * 16)
        #expect(written == 3 * 16 * 16)
        #expect(Array(batch[(3 * 16 * 16)...]) == processor.preprocess(image))
        #expect(batch[0].isNaN)
    }
}
