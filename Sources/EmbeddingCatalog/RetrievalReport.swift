import Foundation

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
    /// - Throws: `CatalogError.invalidEvaluation` when the matrix is empty or not square.
    public init(similarity: [[Float]], ks: [Int] = [1, 5, 10]) throws {
        let n = similarity.count
        guard n > 0, similarity.allSatisfy({ $0.count == n }) else {
            throw CatalogError.invalidEvaluation("similarity must be a non-empty square matrix, got \(n) rows of \(similarity.map(\.count))")
        }
        pairs = n
        textToImage = Direction(ranks: (0..<n).map { t in Self.rank(of: t, among: similarity[t]) }, ks: ks)
        imageToText = Direction(ranks: (0..<n).map { i in Self.rank(of: i, among: similarity.map { $0[i] }) }, ks: ks)
    }

    /// Embeds nothing: cosine similarities of L2-normalised `texts` and `images`, each `[pairs][dimension]`.
    public init(textVectors: [[Float]], imageVectors: [[Float]], ks: [Int] = [1, 5, 10]) throws {
        guard textVectors.count == imageVectors.count else {
            throw CatalogError.invalidEvaluation("\(textVectors.count) texts but \(imageVectors.count) images")
        }
        let t = try textVectors.map { try Self.unit($0, "text") }
        let i = try imageVectors.map { try Self.unit($0, "image") }
        let similarity = t.map { tv in i.map { iv in Float(VectorMath.dot(tv[...], iv)) } }
        try self.init(similarity: similarity, ks: ks)
    }

    /// `1 + #{j ≠ target : scores[j] ≥ scores[target]}`.
    static func rank(of target: Int, among scores: [Float]) -> Int {
        let s = scores[target]
        var rank = 1
        for (j, x) in scores.enumerated() where j != target && x >= s { rank += 1 }
        return rank
    }

    private static func unit(_ v: [Float], _ what: String) throws -> [Float] {
        guard let u = VectorMath.normalized(v) else { throw CatalogError.nonFiniteVector(what: "\(what) vector (zero or not finite)") }
        return u
    }
}
