import FashionCLIP
import FashionCLIPHub
import Foundation
import Testing

/// Bad model folders and bad inputs: clear typed errors, and nothing lost that could be done.
@Suite struct FacadeErrorTests {
    /// A copy of a fixture model folder (files resolved through links) without `omitting`.
    func copyOfModel(omitting omitted: Set<String>) throws -> URL {
        let source = FacadeFixture.modelFolder("fashionclip-f32")
        let target = try FacadeFixture.temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where !omitted.contains(name) {
            let data = try Data(contentsOf: source.appendingPathComponent(name).resolvingSymlinksInPath())
            try data.write(to: target.appendingPathComponent(name))
        }
        return target
    }

    @Test(arguments: ["config.json", "model.safetensors", "preprocessor_config.json"])
    func missingFileIsNamed(_ file: String) throws {
        let folder = try copyOfModel(omitting: [file])
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: FashionCLIPError.self) { try FashionCLIPModel(folder: folder) }
        guard case .missingFile(_, let named, _)? = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(named == file)
        #expect(error!.description.contains(file))
    }

    /// A text of megabytes is refused at once with its size instead of holding the caller for seconds
    /// (issue 19, item 7); a text at the limit still embeds, and ordinary texts are untouched.
    @Test func hugeTextsAreRefusedWithTheirSize() throws {
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder("fashionclip-f32"))
        let huge = String(repeating: "stripes ", count: (FashionCLIPModel.maximumTextBytes / 8) + 1)
        let started = ContinuousClock.now
        let error = #expect(throws: FashionCLIPError.self) { try model.embedTexts(["a red dress", huge]) }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect("\(error.map { "\($0)" } ?? "")".contains("\(huge.utf8.count) bytes"), "\(String(describing: error))")
        let atLimit = String(repeating: "a", count: FashionCLIPModel.maximumTextBytes)
        #expect(try model.tokenize(atLimit).truncated)
        #expect(try model.embedTexts(["a red dress"]) == model.embedTexts(["a red dress"]))
    }

    @Test func tokenizerNeedsVocabAndMergesOrTokenizerJSON() throws {
        let folder = try copyOfModel(omitting: ["tokenizer.json", "merges.txt"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: FashionCLIPError.missingFile(folder: folder.path, file: "merges.txt", needed: "the tokenizer (or tokenizer.json)")) {
            try FashionCLIPModel(folder: folder)
        }
        // A vision-only model needs no tokenizer at all.
        let model = try FashionCLIPModel(folder: folder, options: ModelOptions(towers: .visionOnly))
        #expect(throws: FashionCLIPError.self) { try model.embedTexts(["a dress"]) }
    }

    @Test func tokenizerJSONAloneIsEnough() throws {
        let folder = try copyOfModel(omitting: ["vocab.json", "merges.txt"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try FashionCLIPModel(folder: folder)
        let reference = try FashionCLIPModel(folder: FacadeFixture.modelFolder("fashionclip-f32"))
        #expect(try model.embedTexts(["striped shirt"]) == reference.embedTexts(["striped shirt"]))
    }

    @Test func pickleWeightsAreRefusedWithAHint() throws {
        let folder = try copyOfModel(omitting: ["model.safetensors"])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x80, 0x02]).write(to: folder.appendingPathComponent("pytorch_model.bin"))
        #expect(throws: FashionCLIPError.pickleWeightsOnly(folder: folder.path)) { try FashionCLIPModel(folder: folder) }
    }

    @Test func unknownModelIDSaysWhereItLooked() throws {
        let cache = try FacadeFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: cache) }
        let locator = ModelLocator(cache: HubCache(root: cache))
        let error = #expect(throws: HubError.self) { try FashionCLIPModel("nobody/no-such-model", locator: locator) }
        #expect(error?.description.contains("fashionclip download") == true)
    }

    @Test func corruptImageAmongGoodOnesFailsAlone() throws {
        let folder = try FacadeFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let goldens = try FacadeFixture.goldens("fashionclip-f32")
        let good = goldens.images.prefix(3).map { FacadeFixture.imageURL($0) }
        let corrupt = folder.appendingPathComponent("corrupt.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46]).write(to: corrupt)
        let missing = folder.appendingPathComponent("missing.png")
        // Batches of 2 (a failure after a good image), and one batch with failures first (the good
        // images' pixels move down over the gaps).
        let cases: [(batchSize: Int, inputs: [ImageInput], good: [(Int, Int)], bad: [Int])] = [
            (2, [.file(good[0]), .file(corrupt), .file(good[1]), .file(missing), .file(good[2])], [(0, 0), (2, 1), (4, 2)], [1, 3]),
            (
                8, [.file(corrupt), .file(missing), .file(good[2]), .file(corrupt), .file(good[0]), .file(good[1])], [(2, 2), (4, 0), (5, 1)],
                [0, 1, 3]
            )
        ]
        for (batchSize, inputs, goodPairs, bad) in cases {
            let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder("fashionclip-f32"), options: ModelOptions(batchSize: batchSize))
            let results = model.embedImages(inputs)
            #expect(results.count == inputs.count)
            for (i, j) in goodPairs {
                #expect(FacadeFixture.cosine(try results[i].get(), goldens.image_embeds[j]) >= 0.99999, "batch \(batchSize), input \(i)")
            }
            for i in bad {
                guard case .failure(let error) = results[i] else {
                    Issue.record("input \(i) should fail")
                    continue
                }
                #expect(error.input == inputs[i].name)
            }
        }
    }

    @Test func oneThreadAndThePoolPrepareTheSameBatches() throws {
        let folder = try FacadeFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let goldens = try FacadeFixture.goldens("fashionclip-f32")
        let good = goldens.images.prefix(3).map { FacadeFixture.imageURL($0) }
        let corrupt = folder.appendingPathComponent("corrupt.jpg")
        try Data([0xFF, 0xD8, 0xFF]).write(to: corrupt)
        // Seven batches of 2 with failures spread over them: the first batch on the pool, the others
        // on the look-ahead thread and the pool together (or one thread alone).
        let inputs: [ImageInput] = (0..<13).map { $0 % 5 == 3 ? .file(corrupt) : .file(good[$0 % 3]) }
        var runs: [[[UInt32]?]] = []
        for threads in [1, 0] {
            let model = try FashionCLIPModel(
                folder: FacadeFixture.modelFolder("fashionclip-f32"),
                options: ModelOptions(batchSize: 2, preprocessingThreads: threads))
            let results = model.embedImages(inputs)
            runs.append(results.map { try? $0.get().map(\.bitPattern) })
            for (i, result) in results.enumerated() {
                if i % 5 == 3 {
                    guard case .failure(let error) = result else {
                        Issue.record("input \(i) should fail")
                        continue
                    }
                    #expect(error.input == inputs[i].name)
                } else {
                    #expect(try result.get() == model.embedImage(inputs[i]), "threads \(threads), input \(i)")
                }
            }
        }
        #expect(runs[0] == runs[1], "bit for bit")
    }

    @Test func badLabelSetsAndTemplatesAreRefused() throws {
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder("fashionclip-f32"))
        #expect(throws: FashionCLIPError.self) { try ZeroShotClassifier(model: model, labels: []) }
        #expect(throws: FashionCLIPError.self) { try ZeroShotClassifier(model: model, labels: ["dress", " "]) }
        #expect(throws: FashionCLIPError.self) { try ZeroShotClassifier(model: model, labels: ["dress", "dress"]) }
        #expect(throws: FashionCLIPError.self) { try ZeroShotClassifier(model: model, labels: ["dress"], templates: ["no placeholder"]) }
        #expect(throws: FashionCLIPError.self) { try ZeroShotClassifier(model: model, labels: ["dress"], templates: []) }
    }

    @Test func inMemoryInputsMatchFiles() throws {
        let goldens = try FacadeFixture.goldens("fashionclip-f32")
        let url = FacadeFixture.imageURL(goldens.images[0])
        let model = try FashionCLIPModel(folder: FacadeFixture.modelFolder("fashionclip-f32"))
        let fromData = try model.embedImage(.data(try Data(contentsOf: url), name: "bytes"))
        #expect(fromData == (try model.embedImage(.file(url))))
        #expect(throws: ImageEmbeddingError.self) { try model.embedImage(.data(Data(), name: "empty")) }
    }
}
