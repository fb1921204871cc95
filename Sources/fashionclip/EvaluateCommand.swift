import ArgumentParser
import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import FashionCLIPEvaluation
import Foundation

/// `fashionclip evaluate`: zero-shot classification metrics, or paired retrieval metrics.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate zero-shot classification (accuracy, macro and weighted F1) or text↔image retrieval (HITS@k, MRR).",
        discussion: """
            --labelled takes a folder with one sub-folder per class, or a CSV with columns image,label: each image \
            is classified as the class whose prompt is closest (metrics as scikit-learn defines them; weighted F1 \
            is the FashionCLIP model card's). --pairs takes a CSV/JSONL with image and text columns: text → image \
            and image → text HITS@1/5/10 and MRR, as in the FashionCLIP paper.
            """
    )

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, help: ArgumentHelp("A labelled set: a folder per class, or a CSV image,label.", valueName: "path"))
    var labelled: String?

    @Option(name: .long, help: ArgumentHelp("Paired (image, text) rows: a CSV or JSONL file.", valueName: "file"))
    var pairs: String?

    @Option(name: .long, help: ArgumentHelp("The prompt template for class names ({} = the class).", valueName: "text"))
    var template = ZeroShotClassifier.defaultTemplate

    @Option(name: .long, help: ArgumentHelp("Write confusion.csv, per_class.csv and confusion.png here.", valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: "Print the metrics as JSON on stdout.")
    var json = false

    func validate() throws {
        guard (labelled == nil) != (pairs == nil) else { throw ValidationError("give exactly one of --labelled or --pairs") }
        guard template.contains("{}") else { throw ValidationError("--template must contain {} where the class name goes") }
    }

    func run() async throws {
        let evaluator = Evaluator(embedder: ModelCatalogEmbedder(model: try modelArguments.open()), batchSize: modelArguments.batchSize)
        do {
            if let labelled {
                let set = try LabelledSet.load(URL(fileURLWithPath: labelled))
                let counting = ProgressBar(total: set.samples.count, label: "images")
                let result = try await evaluator.zeroShot(set, promptTemplate: template) { done, _ in counting.update(done) }
                counting.finish()
                for failure in result.failures { Terminal.printError("failed: \(failure)") }
                if let output {
                    let files = try result.writeOutputs(to: URL(fileURLWithPath: output))
                    Terminal.printError("wrote " + files.map(\.path).joined(separator: ", "))
                }
                if json {
                    Terminal.printData(try JSONEncoder().encode(ZeroShotDocument(result)))
                } else {
                    print(result.report.table())
                }
            } else if let pairs {
                let catalog = try Catalog.load(URL(fileURLWithPath: pairs), idFromImage: true)
                let result = try await evaluator.retrieval(catalog)
                for failure in result.failures { Terminal.printError("failed: \(failure)") }
                if json {
                    Terminal.printData(try JSONEncoder().encode(RetrievalDocument(result.report)))
                } else {
                    print(result.report.table())
                }
            }
        } catch {
            Terminal.printError("Error: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `evaluate --labelled --json`'s document.
struct ZeroShotDocument: Encodable {
    struct ClassRow: Encodable {
        let label: String
        let precision, recall, f1: Double
        let support: Int
    }
    let samples: Int
    let accuracy, macroF1, weightedF1, macroPrecision, macroRecall, weightedPrecision, weightedRecall: Double
    let classes: [ClassRow]
    let confusion: [[Int]]
    let failures: [[String: String]]

    init(_ result: Evaluator.ZeroShotResult) {
        let r = result.report
        samples = result.predictions.count
        accuracy = r.accuracy
        macroF1 = r.macroF1
        weightedF1 = r.weightedF1
        macroPrecision = r.macroPrecision
        macroRecall = r.macroRecall
        weightedPrecision = r.weightedPrecision
        weightedRecall = r.weightedRecall
        classes = r.labels.indices.map { ClassRow(label: r.labels[$0], precision: r.precision[$0], recall: r.recall[$0], f1: r.f1[$0], support: r.support[$0]) }
        confusion = r.confusion
        failures = result.failures.map { ["id": $0.id, "reason": $0.reason] }
    }
}

/// `evaluate --pairs --json`'s document.
struct RetrievalDocument: Encodable {
    struct Direction: Encodable {
        let hits: [String: Double]
        let mrr: Double
    }
    let pairs: Int
    let textToImage, imageToText: Direction

    init(_ report: RetrievalReport) {
        pairs = report.pairs
        func direction(_ d: RetrievalReport.Direction) -> Direction {
            Direction(hits: Dictionary(uniqueKeysWithValues: d.hits.map { ("\($0.key)", $0.value) }), mrr: d.meanReciprocalRank)
        }
        textToImage = direction(report.textToImage)
        imageToText = direction(report.imageToText)
    }
}
