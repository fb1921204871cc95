import Foundation

/// What the catalog needs from a model: image and text vectors. The catalog never runs a model itself;
/// the FashionCLIP facade (or a test double) conforms to this.
public protocol CatalogEmbedder: Sendable {
    /// Identifies the weights, stored with the vectors so a store is never mixed across models.
    var modelIdentifier: String { get }
    /// Length of every vector, e.g. 512.
    var dimension: Int { get }
    /// One result per URL, in order: the image vector `[dimension]`, or why that image failed
    /// (unreadable, undecodable ...). Throws only when the whole batch cannot run.
    func embedImages(_ urls: [URL]) async throws -> [Result<[Float], Error>]
    /// One vector `[dimension]` per text, in order.
    func embedTexts(_ texts: [String]) async throws -> [[Float]]
}

extension CatalogEmbedder {
    /// The identity a store built with this embedder carries.
    public var storeIdentity: StoreIdentity { StoreIdentity(model: modelIdentifier, dimension: dimension) }
}

/// Vector helpers shared by the indexer and the search.
package enum VectorMath {
    /// `v / ‖v‖`; nil when `v` is zero or not finite.
    package static func normalized(_ v: [Float]) -> [Float]? {
        var sum: Double = 0
        for x in v { sum += Double(x) * Double(x) }
        guard sum > 0, sum.isFinite else { return nil }
        let inv = Float(1 / sum.squareRoot())
        return v.map { $0 * inv }
    }

    /// Dot product in Double, for small vectors and references.
    package static func dot(_ a: ArraySlice<Float>, _ b: [Float]) -> Double {
        var s: Double = 0
        for (x, y) in zip(a, b) { s += Double(x) * Double(y) }
        return s
    }
}
