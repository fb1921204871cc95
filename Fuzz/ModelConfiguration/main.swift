import CLIPImageProcessing
import CLIPNetwork
import FuzzSupport

// A model folder's JSON configurations: the bytes as `config.json` (`CLIPConfiguration(json:path:)`)
// and as `preprocessor_config.json` (`ImageProcessorConfiguration(json:source:)`). Each parses or
// throws its module's typed error; anything else is a bug.

FuzzDriver.run { bytes in
    do {
        let configuration = try CLIPConfiguration(json: bytes, path: "config.json")
        precondition(configuration.projectionDimension > 0)
    } catch {
        FuzzDriver.expect(error, is: CLIPNetworkError.self)
    }
    do {
        _ = try ImageProcessorConfiguration(json: bytes, source: "preprocessor_config.json")
    } catch {
        FuzzDriver.expect(error, is: ImageProcessingError.self)
    }
}
