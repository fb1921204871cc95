import Foundation

/// One product of a catalog: an id, an image, an optional text and free-form metadata.
public struct CatalogRow: Sendable, Equatable {
    /// Unique within the catalog: the relative path for a folder, the `id` column otherwise.
    public var id: String
    /// The image file, resolved against the catalog file's folder.
    public var image: URL
    /// Highlights + short description (`"stripes, long sleeves, Armani — 80s style t-shirt"`), if any.
    public var text: String?
    /// Every other column (brand, category, price ...).
    public var metadata: Metadata
    /// 1-based line of the row in its catalog file (0 for a folder catalog), for error messages.
    public var line: Int

    public init(id: String, image: URL, text: String? = nil, metadata: Metadata = [:], line: Int = 0) {
        self.id = id
        self.image = image
        self.text = text
        self.metadata = metadata
        self.line = line
    }
}
