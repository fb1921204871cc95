import Foundation

/// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over bytes.
///
/// Not cryptographic: it only tells the indexer whether an image, a text or a metadata set changed
/// since the last run. Strings are hashed as their UTF-8 bytes preceded by their byte count so that
/// field boundaries cannot be confused.
public struct ContentHash: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Mixes `bytes` into the hash.
    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        var h = value
        for b in bytes {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        value = h
    }

    /// Mixes the 8 little-endian bytes of `n`.
    public mutating func combine(_ n: UInt64) {
        combine(bytes: (0..<8).lazy.map { UInt8(truncatingIfNeeded: n >> (8 * $0)) })
    }

    /// Mixes the byte count, then the UTF-8 bytes of `s`.
    public mutating func combine(_ s: String) {
        let utf8 = Array(s.utf8)
        combine(UInt64(utf8.count))
        combine(bytes: utf8)
    }

    /// The hash of `bytes` alone.
    public static func of(bytes: Data) -> UInt64 {
        var h = ContentHash()
        h.combine(bytes: [UInt8](bytes))  // one memcpy; an array iterates faster than Data
        return h.value
    }

    /// The hash of a text.
    public static func of(text: String) -> UInt64 {
        var h = ContentHash()
        h.combine(text)
        return h.value
    }

    /// The hash of a metadata set, independent of key order: keys sorted, each value tagged with its type.
    public static func of(metadata: Metadata) -> UInt64 {
        var h = ContentHash()
        h.combine(UInt64(metadata.count))
        for key in metadata.keys.sorted() {
            h.combine(key)
            switch metadata[key]! {
            case let .string(s):
                h.combine(1)
                h.combine(s)
            case let .number(d):
                h.combine(2)
                h.combine(d.bitPattern)
            case let .bool(b):
                h.combine(3)
                h.combine(b ? 1 : 0)
            }
        }
        return h.value
    }
}

/// What the indexer compares between a catalog row and its stored version.
public struct RowFingerprint: Sendable, Equatable {
    /// FNV-1a 64 of the image file's bytes.
    public var image: UInt64
    /// FNV-1a 64 of the text, `nil` when the row has none.
    public var text: UInt64?
    /// FNV-1a 64 of the metadata (key order independent).
    public var metadata: UInt64

    public init(image: UInt64, text: UInt64?, metadata: UInt64) {
        self.image = image
        self.text = text
        self.metadata = metadata
    }

    /// One hash over the three parts (image bytes + text + metadata).
    public var combined: UInt64 {
        var h = ContentHash()
        h.combine(image)
        h.combine(text ?? 0)
        h.combine(text == nil ? 0 : 1)
        h.combine(metadata)
        return h.value
    }
}
