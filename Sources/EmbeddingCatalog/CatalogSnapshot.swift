import Foundation

/// Every stored row in memory, vectors in contiguous row-major matrices so that a search scans once.
///
/// Rows are ordered by id; row `r`'s image vector is `imageVectors[r·dim ..< (r+1)·dim]`. Rows without
/// text have a zero text vector and `hasText[r] == false`; when no row has text, `textVectors` is empty.
public struct CatalogSnapshot: Sendable {
    public let identity: StoreIdentity
    /// `[n]`, ascending.
    public let ids: [String]
    /// `[n, dimension]`, L2-normalised as stored.
    public let imageVectors: [Float]
    /// `[n, dimension]`, zero rows where `hasText` is false; empty when no row has text.
    public let textVectors: [Float]
    /// `[n]`
    public let hasText: [Bool]
    /// `[n]`
    public let texts: [String?]
    /// `[n]`
    public let metadata: [Metadata]
    /// id → row.
    public let rowOfID: [String: Int]

    /// - Precondition: array lengths agree with `ids.count` and `identity.dimension`; ids are unique.
    public init(
        identity: StoreIdentity, ids: [String], imageVectors: [Float], textVectors: [Float],
        hasText: [Bool], texts: [String?], metadata: [Metadata]
    ) {
        let n = ids.count, d = identity.dimension
        precondition(imageVectors.count == n * d, "CatalogSnapshot: image matrix shape")
        precondition(
            textVectors.count == n * d || (textVectors.isEmpty && !hasText.contains(true)),
            "CatalogSnapshot: text matrix shape")
        precondition(hasText.count == n && texts.count == n && metadata.count == n, "CatalogSnapshot: column length")
        self.identity = identity
        self.ids = ids
        self.imageVectors = imageVectors
        self.textVectors = textVectors
        self.hasText = hasText
        self.texts = texts
        self.metadata = metadata
        var map: [String: Int] = [:]
        map.reserveCapacity(n)
        for (r, id) in ids.enumerated() { map[id] = r }
        precondition(map.count == n, "CatalogSnapshot: duplicate ids")
        rowOfID = map
    }

    /// Number of rows.
    public var count: Int { ids.count }

    /// The image vector of row `r`, `[dimension]`.
    public func imageVector(row r: Int) -> [Float] {
        let d = identity.dimension
        return Array(imageVectors[r * d..<(r + 1) * d])
    }

    /// The text vector of row `r`, or nil when it has no text.
    public func textVector(row r: Int) -> [Float]? {
        guard hasText[r] else { return nil }
        let d = identity.dimension
        return Array(textVectors[r * d..<(r + 1) * d])
    }

    /// The image vector of the item `id`.
    /// - Throws: `CatalogError.unknownID`.
    public func imageVector(id: String) throws -> [Float] {
        guard let r = rowOfID[id] else { throw CatalogError.unknownID(id) }
        return imageVector(row: r)
    }
}
