import CLIPImageProcessing
import Foundation
import Testing

@Suite("preprocessor_config.json parsing")
struct ConfigurationTests {
    func parse(_ json: String) throws -> ImageProcessorConfiguration {
        try ImageProcessorConfiguration(json: Data(json.utf8), source: "test.json")
    }

    @Test("FashionCLIP's legacy integer forms equal the dict forms and the defaults")
    func legacyForms() throws {
        let legacy = try parse(#"{"crop_size": 224, "size": 224, "resample": 3, "do_resize": true}"#)
        let dict = try parse(#"{"crop_size": {"height": 224, "width": 224}, "size": {"shortest_edge": 224}}"#)
        #expect(legacy == dict)
        #expect(legacy == ImageProcessorConfiguration())
        #expect(legacy.resize == .shortestEdge(224))
        #expect(legacy.rescaleFactor == 1.0 / 255.0)
    }

    @Test("exact sizes, lists, switches and statistics")
    func otherForms() throws {
        let config = try parse(
            #"""
            {"size": {"height": 30, "width": 40}, "crop_size": [20, 25], "do_rescale": false,
             "do_normalize": false, "image_mean": 0.5, "image_std": [1, 2, 3], "resample": 2}
            """#)
        #expect(config.resize == .exact(height: 30, width: 40))
        #expect(config.cropSize! == (20, 25))
        #expect(config.rescaleFactor == nil)
        #expect(!config.normalizes)
        #expect(config.imageMean == [0.5, 0.5, 0.5])
        #expect(config.imageStd == [1, 2, 3])
        #expect(config.filter == .bilinear)
        let off = try parse(#"{"do_resize": false, "do_center_crop": false}"#)
        #expect(off.resize == nil && off.cropSize == nil)
    }

    @Test(
        "unsupported or malformed settings throw, naming the key",
        arguments: [
            #"{"resample": 1}"#, #"{"size": {"shortest_edge": 224, "longest_edge": 448}}"#, #"{"size": "big"}"#,
            #"{"crop_size": -3}"#, #"{"image_mean": [1, 2]}"#, #"{"do_resize": "yes"}"#, #"[1, 2]"#, #"{"image_std": [1, 0, 1]}"#
        ])
    func invalid(_ json: String) {
        #expect(throws: ImageProcessingError.self) { try parse(json) }
    }

    @Test("output size follows transformers' get_resize_output_image_size")
    func outputSizes() {
        let noCrop = CLIPImageProcessor(configuration: ImageProcessorConfiguration(cropSize: nil))
        #expect(noCrop.outputSize(width: 500, height: 333) == (224, 336))
        #expect(noCrop.outputSize(width: 333, height: 500) == (336, 224))
        #expect(noCrop.outputSize(width: 300, height: 60) == (224, 1120))
        #expect(noCrop.outputSize(width: 1, height: 1) == (224, 224))
        // int(224 * 1000 / 3) = 74666 (truncation, not rounding).
        #expect(noCrop.outputSize(width: 3, height: 1000) == (74666, 224))
        #expect(CLIPImageProcessor().outputSize(width: 500, height: 333) == (224, 224))
    }
}
