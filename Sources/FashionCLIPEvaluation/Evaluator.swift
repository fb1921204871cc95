import EmbeddingCatalog
import Foundation

/// Zero-shot classification and paired retrieval evaluation through a `CatalogEmbedder`.
///
/// An embedder that breaks its contract (a wrong number of results, a vector of the wrong length,
/// zero or not finite) fails the run with `CatalogError`, as it fails indexing; evaluation's own
/// failures are `EvaluationError`.
public struct Evaluator: Sendable {
    public let embedder: any CatalogEmbedder
    /// Images per embedding call.
    public var batchSize: Int

    public init(embedder: any CatalogEmbedder, batchSize: Int = 32) {
        precondition(batchSize > 0, "Evaluator: batchSize must be positive")
        self.embedder = embedder
        self.batchSize = batchSize
    }

    /// The result of a zero-shot run.
    public struct ZeroShotResult: Sendable {
        /// Metrics over the images that could be embedded (labels: sklearn's default, the union of
        /// true and predicted labels).
        public let report: ClassificationReport
        /// `[samples]` predicted class per evaluated image, in set order.
        public let predictions: [(image: URL, truth: String, predicted: String)]
        /// Images that failed (path + reason); they are left out of the metrics.
        public let failures: [IndexFailure]
    }

    /// Classifies each image as the class whose prompt (`promptTemplate` with `{}` replaced by the class
    /// name) has the highest cosine similarity; ties go to the first class in `set.classes`.
    /// - Parameter progress: (images done, images total) after each batch.
    public func zeroShot(
        _ set: LabelledSet, promptTemplate: String = "a photo of a {}",
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ZeroShotResult {
        let prompts = set.classes.map { promptTemplate.replacingOccurrences(of: "{}", with: $0) }
        let classVectors = try await embedder.embedTexts(prompts).map { try unit($0, "class prompt") }
        guard classVectors.count == prompts.count else { throw CatalogError.embedderContract(expected: prompts.count, found: classVectors.count) }
        var predictions: [(image: URL, truth: String, predicted: String)] = []
        var failures: [IndexFailure] = []
        let (vectors, failed) = try await embedImages(set.samples.map(\.image), progress: progress)
        failures = failed
        for (sample, vector) in zip(set.samples, vectors) {
            guard let vector else { continue }
            var best = 0
            var bestScore = -Double.infinity
            for (c, cv) in classVectors.enumerated() {
                let s = VectorMath.dot(vector[...], cv)
                if s > bestScore {
                    bestScore = s
                    best = c
                }
            }
            predictions.append((sample.image, sample.label, set.classes[best]))
        }
        guard !predictions.isEmpty else { throw EvaluationError.invalidInput("no image of \(set.source.path) could be embedded") }
        let report = try ClassificationReport(trueLabels: predictions.map(\.truth), predictedLabels: predictions.map(\.predicted))
        return ZeroShotResult(report: report, predictions: predictions, failures: failures)
    }

    /// The result of a retrieval run.
    public struct RetrievalResult: Sendable {
        public let report: RetrievalReport
        /// Ids of the evaluated pairs, in order.
        public let ids: [String]
        public let failures: [IndexFailure]
    }

    /// Text→image and image→text HITS@k and MRR over the catalog rows that have a text (load pair files
    /// without ids with `Catalog.load(url, idFromImage: true)`).
    public func retrieval(
        _ catalog: Catalog, ks: [Int] = [1, 5, 10],
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> RetrievalResult {
        let rows = catalog.rows.filter { $0.text != nil }
        guard !rows.isEmpty else { throw EvaluationError.invalidInput("\(catalog.source.path) has no rows with text") }
        let (images, failures) = try await embedImages(rows.map(\.image), progress: progress)
        let kept = rows.indices.filter { images[$0] != nil }
        guard !kept.isEmpty else { throw EvaluationError.invalidInput("no image of \(catalog.source.path) could be embedded") }
        var texts: [[Float]] = []
        for start in stride(from: 0, to: kept.count, by: batchSize) {
            let batch = kept[start..<min(start + batchSize, kept.count)].map { rows[$0].text! }
            let vectors = try await embedder.embedTexts(batch)
            guard vectors.count == batch.count else { throw CatalogError.embedderContract(expected: batch.count, found: vectors.count) }
            texts += vectors
        }
        let report = try RetrievalReport(textVectors: texts, imageVectors: kept.map { images[$0]! }, ks: ks)
        let namedFailures = failures.map { f in IndexFailure(id: rows.first { $0.image.path == f.id }?.id ?? f.id, reason: f.reason) }
        return RetrievalResult(report: report, ids: kept.map { rows[$0].id }, failures: namedFailures)
    }

    /// Unit image vectors in batches; nil (and a failure named by path) where an image failed.
    private func embedImages(_ urls: [URL], progress: @Sendable (Int, Int) -> Void) async throws -> ([[Float]?], [IndexFailure]) {
        var vectors: [[Float]?] = []
        var failures: [IndexFailure] = []
        for start in stride(from: 0, to: urls.count, by: batchSize) {
            let batch = Array(urls[start..<min(start + batchSize, urls.count)])
            let results = try await embedder.embedImages(batch)
            guard results.count == batch.count else { throw CatalogError.embedderContract(expected: batch.count, found: results.count) }
            for (url, result) in zip(batch, results) {
                switch result {
                case let .success(v):
                    vectors.append(try unit(v, "image vector of \(url.path)"))
                case let .failure(error):
                    vectors.append(nil)
                    failures.append(IndexFailure(id: url.path, reason: error.localizedDescription))
                }
            }
            progress(vectors.count, urls.count)
        }
        return (vectors, failures)
    }

    private func unit(_ v: [Float], _ what: String) throws -> [Float] {
        guard v.count == embedder.dimension else { throw CatalogError.dimensionMismatch(what: what, expected: embedder.dimension, found: v.count) }
        guard let u = VectorMath.normalized(v) else { throw CatalogError.nonFiniteVector(what: what) }
        return u
    }
}

extension Evaluator.ZeroShotResult {
    /// Writes `confusion.csv`, `per_class.csv` and `confusion.png` into `folder` (created if needed);
    /// returns the files written.
    @discardableResult
    public func writeOutputs(to folder: URL) throws -> [URL] {
        let files: [(String, Data)] = [
            ("confusion.csv", Data(report.confusionCSV().utf8)),
            ("per_class.csv", Data(report.perClassCSV().utf8)),
            ("confusion.png", try report.confusionHeatMapPNG())
        ]
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw EvaluationError.writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        return try files.map { name, data in
            let url = folder.appendingPathComponent(name)
            do { try data.write(to: url, options: .atomic) } catch {
                throw EvaluationError.writeFailed(path: url.path, reason: error.localizedDescription)
            }
            return url
        }
    }
}
