import CLIPImageProcessing
import Foundation
import Testing

/// Inputs `Scripts/fuzz.sh` found (fuzz-model-configuration), each a typed error now; the reproducers
/// are also in Fuzz/Corpus/model-configuration, so every fuzz run starts from them.
@Suite struct FuzzFindingTests {
    func message(_ json: String) -> String {
        do {
            _ = try ImageProcessorConfiguration(json: Data(json.utf8), source: "preprocessor_config.json")
        } catch let error as ImageProcessingError {
            return error.description
        } catch {
            Issue.record("untyped error \(error)")
            return ""
        }
        Issue.record("\(json) parsed")
        return ""
    }

    /// `"size": 2⁶³ − 1` parsed, then every preprocessed image trapped converting the resized edge to
    /// `Int` (size-int-max.json); a crop of 50,000 × 50,000 made each image allocate 7.5 GB.
    @Test(arguments: [
        (#"{"size": 9223372036854775807, "do_center_crop": false}"#, #""size" is 9223372036854775807"#),
        (#"{"size": {"height": 224, "width": 100000}}"#, #""size" is"#),
        (#"{"crop_size": 50000}"#, #""crop_size" is 50000"#),
        (#"{"crop_size": [224, 0]}"#, #""crop_size" is"#)
    ])
    func edgesAreBounded(json: String, expected: String) {
        let text = message(json)
        #expect(text.contains(expected) && text.contains("with edges of 1 ... 4096 pixels"), "\(text)")
    }

    @Test func edgesUpToTheBoundParse() throws {
        let json = #"{"size": {"shortest_edge": 4096}, "crop_size": {"height": 4096, "width": 1}}"#
        let configuration = try ImageProcessorConfiguration(json: Data(json.utf8))
        #expect(configuration.resize == .shortestEdge(4096))
        #expect(configuration.cropSize?.height == 4096 && configuration.cropSize?.width == 1)
    }
}
