import CLIPImageProcessing
import FuzzSupport

// JPEG, PNG, WebP and GIF bytes through `ImageDecoder.decode(data:)`, the entry the CLI, the facade and
// the server use. A file decodes to an RGB image of its stated size or throws an `ImageProcessingError`
// with a message; anything else (a crash, a leak, a hang, an allocation past the limit) is a bug.
// The pixel limit is lowered from Pillow's 179 M to 4 M so that a run stays short (the limit itself is
// tested in BrokenFileTests); inputs that decode are decoded again with EXIF orientation and alpha dropped.

let decoders = [
    ImageDecoder(options: ImageDecodingOptions(maximumPixelCount: 1 << 22)),
    ImageDecoder(options: ImageDecodingOptions(alphaHandling: .drop, appliesEXIFOrientation: true, maximumPixelCount: 1 << 22))
]

FuzzDriver.run { bytes in
    for decoder in decoders {
        do {
            let image = try decoder.decode(data: bytes, source: "fuzz input")
            precondition(image.width >= 1 && image.height >= 1 && image.pixels.count == image.width * image.height * 3)
        } catch let error as ImageProcessingError {
            precondition(!error.description.isEmpty)
            return
        } catch {
            preconditionFailure("ImageDecoder threw \(type(of: error)), not an ImageProcessingError: \(error)")
        }
    }
}
