import CLIPImageProcessing
import Foundation
import Testing

@Suite("CLIPImageProcessor behaviour")
struct ProcessorTests {
    @Test("hidden colour under full transparency: white by default, visible when alpha is dropped")
    func hiddenColour() throws {
        let url = GoldenFixtures.url("inputs/rgba_hidden_colour_57x39.png")
        let white = try ImageDecoder().decode(fileAt: url)
        let dropped = try ImageDecoder(options: ImageDecodingOptions(alphaHandling: .drop)).decode(fileAt: url)
        #expect(Array(white.pixels[0..<3]) == [255, 255, 255])
        #expect(Array(dropped.pixels[0..<3]) == [255, 0, 0])
    }

    @Test("EXIF orientation is ignored by default and applied on request")
    func exifOrientation() throws {
        let url = GoldenFixtures.url("inputs/exif_rotate6_48x30.jpg")
        let plain = try ImageDecoder().decode(fileAt: url)
        let upright = try ImageDecoder(options: ImageDecodingOptions(appliesEXIFOrientation: true)).decode(fileAt: url)
        #expect((plain.width, plain.height) == (48, 30))
        #expect((upright.width, upright.height) == (30, 48))
    }

    @Test("batch of files: input order kept, first failing file reported")
    func batch() throws {
        let processor = try CLIPImageProcessor(configURL: GoldenFixtures.url("configs/small48.json"))
        let names = ["inputs/gif_palette_52x47.gif", "inputs/rgb_1x1.png", "inputs/cmyk_64x49.jpg"]
        let images = try processor.resizedAndCropped(filesAt: names.map(GoldenFixtures.url))
        for (name, image) in zip(names, images) {
            #expect(image == processor.resizedAndCropped(try processor.decode(fileAt: GoldenFixtures.url(name))))
        }
        do {
            _ = try processor.resizedAndCropped(filesAt: (names + ["broken/truncated.gif", "broken/empty.jpg"]).map(GoldenFixtures.url))
            Issue.record("a batch with broken files succeeded")
        } catch let error as ImageProcessingError {
            #expect(error.description.contains("truncated.gif"))
        }
    }

    @Test("many threads at once give the same tensors as one")
    func concurrent() throws {
        let processor = try CLIPImageProcessor(configURL: GoldenFixtures.url("configs/small48.json"))
        let names = [
            "inputs/baseline_77x45_422.jpg", "inputs/palette8_trns_52x47.png", "inputs/webp_lossy_alpha_57x39.webp",
            "inputs/gray16_61x45.png"
        ]
        let expected = try names.map { try processor.preprocess(fileAt: GoldenFixtures.url($0)) }
        let results = Results(count: 32)
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            results.set(i, try? processor.preprocess(fileAt: GoldenFixtures.url(names[i % names.count])))
        }
        for i in 0..<32 { #expect(results.get(i) == expected[i % names.count]) }
    }
}

/// A lock-protected result slot array for the concurrency test.
final class Results: @unchecked Sendable {
    private var values: [[Float]?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: [Float]?) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
    func get(_ i: Int) -> [Float]? {
        lock.lock()
        defer { lock.unlock() }
        return values[i]
    }
}
