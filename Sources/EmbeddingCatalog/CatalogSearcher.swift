import Foundation
import TensorKernels

/// Exact (or int8-compressed, re-ranked) top-k search over a snapshot, with metadata filters applied
/// before ranking.
///
/// Scores are dot products of L2-normalised vectors (cosine). Ties rank the smaller id first.
public final class CatalogSearcher: Sendable {
    public let snapshot: CatalogSnapshot
    /// int8 copies for `.compressed` scans, present when built with `compressed: true`.
    public let quantizedImages: QuantizedMatrix?
    public let quantizedTexts: QuantizedMatrix?

    /// - Parameter compressed: also build int8 copies of the matrices (a quarter of their size) for
    ///   `ScanMode.compressed`.
    public init(snapshot: CatalogSnapshot, compressed: Bool = false) {
        self.snapshot = snapshot
        let n = snapshot.count, d = snapshot.identity.dimension
        quantizedImages = compressed ? QuantizedMatrix(snapshot.imageVectors, rows: n, dimension: d) : nil
        quantizedTexts =
            compressed && snapshot.hasText.contains(true)
            ? QuantizedMatrix(snapshot.textVectors, rows: n, dimension: d) : nil
    }

    /// The instruction set of the scan kernels ("avx512", "avx2" or "portable").
    public static var kernelISA: String { Kernels.instructionSet }

    /// Embeds and combines `terms` into one normalised query vector: `normalise(Σ wᵢ · normalise(vᵢ))`.
    /// - Parameter embedder: needed for `.text` and `.image` terms; must be the store's model.
    /// - Throws: `CatalogError.invalidQuery`, `.unknownID`, `.modelMismatch`, `.dimensionMismatch`.
    public func queryVector(_ terms: [WeightedTerm], embedder: (any CatalogEmbedder)?) async throws -> [Float] {
        guard !terms.isEmpty else { throw CatalogError.invalidQuery("no query terms; give a text, an image or an id") }
        let d = snapshot.identity.dimension
        if let embedder, embedder.storeIdentity != snapshot.identity {
            throw CatalogError.modelMismatch(path: "query", expected: embedder.storeIdentity, found: snapshot.identity)
        }
        var sum = [Float](repeating: 0, count: d)
        for term in terms {
            guard term.weight.isFinite, term.weight != 0 else {
                throw CatalogError.invalidQuery("weight \(term.weight) of \(term.term); weights must be finite and non-zero")
            }
            let v: [Float]
            switch term.term {
            case let .vector(given): v = given
            case let .like(id): v = try snapshot.imageVector(id: id)
            case let .text(text):
                guard let embedder else { throw CatalogError.invalidQuery("a text query needs a model") }
                guard let first = try await embedder.embedTexts([text]).first else {
                    throw CatalogError.embedderContract(expected: 1, found: 0)
                }
                v = first
            case let .image(url):
                guard let embedder else { throw CatalogError.invalidQuery("an image query needs a model") }
                guard let first = try await embedder.embedImages([url]).first else {
                    throw CatalogError.embedderContract(expected: 1, found: 0)
                }
                v = try first.get()
            }
            guard v.count == d else { throw CatalogError.dimensionMismatch(what: "query \(term.term)", expected: d, found: v.count) }
            guard let unit = VectorMath.normalized(v) else { throw CatalogError.nonFiniteVector(what: "query \(term.term) (zero or not finite)") }
            for j in 0..<d { sum[j] += term.weight * unit[j] }
        }
        guard let query = VectorMath.normalized(sum) else {
            throw CatalogError.invalidQuery("the weighted terms cancel out (zero vector)")
        }
        return query
    }

    /// Resolves `terms` (see `queryVector`) and searches; `.like` items are left out when
    /// `options.excludeQueryItems`.
    public func search(
        _ terms: [WeightedTerm], options: SearchOptions = SearchOptions(),
        embedder: (any CatalogEmbedder)? = nil
    ) async throws -> [SearchResult] {
        let query = try await queryVector(terms, embedder: embedder)
        var excluded: Set<String> = []
        if options.excludeQueryItems {
            for term in terms { if case let .like(id) = term.term { excluded.insert(id) } }
        }
        return try search(vector: query, options: options, excluding: excluded)
    }

    /// The top `options.topK` rows for a normalised query vector `[dimension]`, best first.
    /// - Complexity: O(n · dimension) for the scan (a quarter of the bytes when compressed) plus
    ///   O(n log k) selection; O(n · filters) to evaluate filters.
    public func search(
        vector query: [Float], options: SearchOptions = SearchOptions(),
        excluding excluded: Set<String> = []
    ) throws -> [SearchResult] {
        let d = snapshot.identity.dimension
        try options.check(query: query, dimension: d)
        // Without any text vector the blend (1−w)·s + w·s is the image score itself.
        let w = snapshot.textVectors.isEmpty ? 0 : options.productTextWeight
        // No more results than rows: a top-k of 10¹⁰ would otherwise reserve room for 10¹⁰ hits.
        let k = min(options.topK, snapshot.count)
        guard k > 0 else { return [] }
        let selection = try select(filters: options.filters, excluding: excluded)
        let hits: [(score: Float, row: Int)]
        switch (options.mode, selection) {
        case let (.compressed(candidates), .all), let (.compressed(candidates), .mask):
            guard let quantizedImages else {
                throw CatalogError.invalidQuery("compressed scan asked of a searcher built without compressed: true")
            }
            let count = min(snapshot.count, max(k, candidates ?? max(100, 10 * k)))
            let rough = compressedScan(query, k: count, weight: w, selection: selection, images: quantizedImages)
            let rows = rough.map { Int32($0.row) }.sorted()
            hits = exactScan(query, k: k, weight: w, selection: .subset(rows))
        default:
            hits = exactScan(query, k: k, weight: w, selection: selection)
        }
        return hits.map { SearchResult(id: snapshot.ids[$0.row], score: $0.score, metadata: snapshot.metadata[$0.row]) }
    }

    /// Rows passing every filter and not excluded: all, a mask, or (when under a quarter pass) a subset.
    private func select(filters: [MetadataFilter], excluding excluded: Set<String>) throws -> RowScan.Selection {
        if filters.isEmpty && excluded.isEmpty { return .all }
        var subset: [Int32] = []
        var mask = [Bool](repeating: false, count: snapshot.count)
        for r in 0..<snapshot.count {
            let id = snapshot.ids[r]
            if excluded.contains(id) { continue }
            if !filters.allSatisfy({ $0.matches(id: id, metadata: snapshot.metadata[r]) }) { continue }
            mask[r] = true
            subset.append(Int32(r))
        }
        return subset.count * 4 < snapshot.count ? .subset(subset) : .mask(mask)
    }
}
