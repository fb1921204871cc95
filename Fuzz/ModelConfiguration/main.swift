import CLIPImageProcessing
import CLIPNetwork
import FuzzSupport

// A model folder's JSON configurations: the bytes as `config.json` (`CLIPConfiguration(json:path:)`)
// and as `preprocessor_config.json` (`ImageProcessorConfiguration(json:source:)`). Each parses or
// throws its module's typed error; a preprocessor configuration that parses then preprocesses a
// square, a wide and a tall image (resize, crop or pad, normalise), which must give `[3, H, W]` values
// of the size it announces. Anything else (a crash, an allocation past the limit) is a bug.

let images = [(1, 1), (7, 5), (3, 40)].map { width, height in
    RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37) })
}

FuzzDriver.run { bytes in
    do {
        let configuration = try CLIPConfiguration(json: bytes, path: "config.json")
        precondition(configuration.projectionDimension > 0)
    } catch {
        FuzzDriver.expect(error, is: CLIPNetworkError.self)
    }
    let configuration: ImageProcessorConfiguration
    do {
        configuration = try ImageProcessorConfiguration(json: bytes, source: "preprocessor_config.json")
    } catch {
        FuzzDriver.expect(error, is: ImageProcessingError.self)
        return
    }
    let processor = CLIPImageProcessor(configuration: configuration)
    for image in images {
        let size = processor.outputSize(width: image.width, height: image.height)
        guard size.height * size.width <= 1024 * 1024 else { continue }
        precondition(processor.preprocess(image).count == 3 * size.height * size.width)
    }
}
