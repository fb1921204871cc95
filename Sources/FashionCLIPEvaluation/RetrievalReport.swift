import EmbeddingCatalog
import Foundation
import TensorKernels

/// Retrieval metrics on paired (image, text) embeddings, as in the FashionCLIP paper: HITS@k and MRR
/// in both directions.
///
/// Pair `i` is text `i` with image `i`; nothing else is relevant. For a query, the rank of its partner
/// is `1 + #{other candidates scoring ≥ the partner}` — ties count against the query (pessimistic), so
/// a constant model scores the worst, not the best. With this rank, MRR equals scikit-learn's
/// `label_ranking_average_precision_score` with one relevant label per query.
/// HITS@k = fraction of queries whose partner's rank ≤ k. MRR = mean of 1 / rank (no cut-off).
public struct RetrievalReport: Sendable, Equatable {
    public struct Direction: Sendable, Equatable {
        /// k → HITS@k.
        public let hits: [Int: Double]
        public let meanReciprocalRank: Double
        /// `[queries]`, 1-based.
        public let ranks: [Int]

        /// Metrics from the partner ranks.
        init(ranks: [Int], ks: [Int]) {
            self.ranks = ranks
            let n = Double(ranks.count)
            hits = Dictionary(uniqueKeysWithValues: ks.map { k in (k, Double(ranks.filter { $0 <= k }.count) / n) })
            meanReciprocalRank = ranks.reduce(0) { $0 + 1 / Double($1) } / n
        }
    }

    public let pairs: Int
    /// Texts as queries, images as candidates (the paper's task).
    public let textToImage: Direction
    public let imageToText: Direction

    /// - Parameters:
    ///   - similarity: `[pairs, pairs]`, `similarity[t][i]` = score of text `t` with image `i`.
    ///   - ks: cut-offs, default 1, 5, 10.
    /// - Throws: `EvaluationError.invalidInput` when the matrix is empty or not square.
    public init(similarity: [[Float]], ks: [Int] = [1, 5, 10]) throws {
        let n = similarity.count
        guard n > 0, similarity.allSatisfy({ $0.count == n }) else {
            throw EvaluationError.invalidInput("similarity must be a non-empty square matrix, got \(n) rows of \(similarity.map(\.count))")
        }
        self.init(flat: similarity.flatMap { $0 }, pairs: n, ks: ks)
    }

    /// Cosine similarities of `textVectors` and `imageVectors` (each `[pairs][dimension]`, normalised here).
    /// - Throws: `EvaluationError.invalidInput` for unequal or zero counts or lengths, or a vector that
    ///   is zero or not finite.
    /// - Complexity: O(pairs² · dimension) time through the scan kernels, O(pairs²) memory.
    public init(textVectors: [[Float]], imageVectors: [[Float]], ks: [Int] = [1, 5, 10]) throws {
        guard textVectors.count == imageVectors.count, !textVectors.isEmpty else {
            throw EvaluationError.invalidInput("\(textVectors.count) texts but \(imageVectors.count) images (need equal, non-zero counts)")
        }
        let d = textVectors[0].count
        guard d > 0, (textVectors + imageVectors).allSatisfy({ $0.count == d }) else {
            throw EvaluationError.invalidInput("text and image vectors differ in length")
        }
        let texts = try textVectors.flatMap { try Self.unit($0, "text") }
        let images = try imageVectors.flatMap { try Self.unit($0, "image") }
        let n = textVectors.count
        var flat: [Float] = []
        flat.reserveCapacity(n * n)
        for t in 0..<n { flat += RowScan.dotRows(images, query: Array(texts[t * d..<(t + 1) * d])) }
        self.init(flat: flat, pairs: n, ks: ks)
    }

    /// From a row-major `[pairs, pairs]` similarity matrix (rows: texts, columns: images).
    private init(flat: [Float], pairs n: Int, ks: [Int]) {
        pairs = n
        textToImage = Direction(ranks: (0..<n).map { t in Self.rank(of: t, count: n) { flat[t * n + $0] } }, ks: ks)
        imageToText = Direction(ranks: (0..<n).map { i in Self.rank(of: i, count: n) { flat[$0 * n + i] } }, ks: ks)
    }

    /// `1 + #{j ≠ target : score(j) ≥ score(target)}`.
    static func rank(of target: Int, count: Int, score: (Int) -> Float) -> Int {
        let s = score(target)
        var rank = 1
        for j in 0..<count where j != target && score(j) >= s { rank += 1 }
        return rank
    }

    private static func unit(_ v: [Float], _ what: String) throws -> [Float] {
        guard let u = VectorMath.normalized(v) else { throw EvaluationError.invalidInput("\(what) vector: zero or holds NaN or infinity") }
        return u
    }
}

extension RetrievalReport {
    /// A small table: direction, HITS@k for each k, MRR.
    public func table() -> String {
        let ks = textToImage.hits.keys.sorted()
        var lines = ["direction      " + ks.map { String(format: "HITS@%-3d", $0) }.joined(separator: " ") + "   MRR"]
        for (name, d) in [("text → image", textToImage), ("image → text", imageToText)] {
            lines.append(
                name.padding(toLength: 15, withPad: " ", startingAt: 0)
                    + ks.map { String(format: "%-8.4f", d.hits[$0]!) }.joined(separator: " ")
                    + String(format: "  %.4f", d.meanReciprocalRank))
        }
        return lines.joined(separator: "\n") + "\n(\(pairs) pairs)"
    }
}
