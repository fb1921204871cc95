import CLIPImageProcessing
import Foundation
import Testing

@Suite("Broken, hostile and unsupported files throw typed errors")
struct BrokenFileTests {
    static func kind(_ error: ImageProcessingError) -> String {
        switch error {
        case .unreadableFile: return "unreadableFile"
        case .notAFile: return "notAFile"
        case .emptyData: return "emptyData"
        case .notAnImage: return "notAnImage"
        case .unsupportedImage: return "unsupportedImage"
        case .truncated: return "truncated"
        case .corrupt: return "corrupt"
        case .zeroSize: return "zeroSize"
        case .tooManyPixels: return "tooManyPixels"
        case .outOfMemory: return "outOfMemory"
        case .invalidConfiguration: return "invalidConfiguration"
        case .invalidPixelBuffer: return "invalidPixelBuffer"
        case .encodingFailed: return "encodingFailed"
        }
    }

    @Test("each broken file throws its error", arguments: GoldenFixtures.broken)
    func broken(_ entry: GoldenFixtures.Manifest.Broken) throws {
        let decoder = ImageDecoder()
        let url = GoldenFixtures.url(entry.input)
        do {
            let image = try decoder.decode(fileAt: url)
            Issue.record("\(entry.input) decoded to \(image.width) x \(image.height); expected \(entry.error)")
        } catch let error as ImageProcessingError {
            #expect(Self.kind(error) == entry.error, "\(entry.input): \(error)")
            #expect(error.description.contains(url.path), "the message names the file: \(error)")
        }
    }

    @Test("every prefix of a JPEG, PNG and WebP fails cleanly or decodes")
    func everyPrefix() throws {
        let decoder = ImageDecoder()
        for name in [
            "inputs/baseline_77x45_422.jpg", "inputs/gray4_43x29_interlaced.png", "inputs/webp_lossy_alpha_57x39.webp",
            "inputs/gif_interlaced_transparent_52x47.gif"
        ] {
            let data = try Data(contentsOf: GoldenFixtures.url(name))
            for length in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
                do {
                    _ = try decoder.decode(data: data.prefix(length), source: "\(name)[..<\(length)]")
                } catch let error as ImageProcessingError {
                    #expect(["emptyData", "truncated", "corrupt", "notAnImage"].contains(Self.kind(error)), "\(error)")
                }
            }
        }
    }

    @Test("files with random bytes changed decode or throw, never crash")
    func mutations() throws {
        let decoder = ImageDecoder(options: ImageDecodingOptions(appliesEXIFOrientation: true, maximumPixelCount: 1 << 22))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for name in [
            "inputs/progressive_321x241.jpg", "inputs/exif_rotate6_48x30.jpg", "inputs/palette8_trns_52x47.png",
            "inputs/gray4_43x29_interlaced.png", "inputs/webp_lossless_rgba_57x39.webp", "inputs/webp_lossy_150x97.webp",
            "inputs/gif_interlaced_transparent_52x47.gif", "inputs/gif_partial_frame_70x60.gif"
        ] {
            let original = [UInt8](try Data(contentsOf: GoldenFixtures.url(name)))
            for trial in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + trial % 4) { bytes[next() % bytes.count] = UInt8(truncatingIfNeeded: next()) }
                do {
                    let image = try decoder.decode(data: Data(bytes), source: name)
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch is ImageProcessingError {
                }
            }
        }
    }

    @Test("maximum pixel count is configurable")
    func pixelLimit() throws {
        let url = GoldenFixtures.url("inputs/rgb_37x53.png")
        let small = ImageDecoder(options: ImageDecodingOptions(maximumPixelCount: 37 * 53 - 1))
        #expect(throws: ImageProcessingError.self) { try small.decode(fileAt: url) }
        let exact = ImageDecoder(options: ImageDecodingOptions(maximumPixelCount: 37 * 53))
        #expect(try exact.decode(fileAt: url).width == 37)
        let jpeg = GoldenFixtures.url("inputs/baseline_500x333.jpg")
        do {
            _ = try small.decode(fileAt: jpeg)
            Issue.record("a 500 x 333 JPEG passed a limit of \(37 * 53 - 1) pixels")
        } catch let error as ImageProcessingError {
            #expect(Self.kind(error) == "tooManyPixels", "\(error)")
        }
    }

    @Test("a missing file is unreadable")
    func missingFile() {
        do {
            _ = try ImageDecoder().decode(fileAt: URL(fileURLWithPath: "/nonexistent/shirt.jpg"))
            Issue.record("decoded a missing file")
        } catch let error as ImageProcessingError {
            #expect(Self.kind(error) == "unreadableFile")
        } catch {
            Issue.record("untyped error \(error)")
        }
    }
}
