import CLIPImageProcessing
import Foundation

/// One image to embed: a file, encoded bytes, or pixels already decoded.
public enum ImageInput: Sendable {
    /// A JPEG, PNG or WebP file.
    case file(URL)
    /// The bytes of a JPEG, PNG or WebP file; `name` identifies it in errors.
    case data(Data, name: String)
    /// Decoded 8-bit RGB pixels; `name` identifies it in errors.
    case image(RGBImage, name: String)

    /// How errors and reports name this input (the path for files).
    public var name: String {
        switch self {
        case .file(let url): return url.path
        case .data(_, let name), .image(_, let name): return name
        }
    }
}

/// A failure to embed one image of a batch; the other images are unaffected.
public struct ImageEmbeddingError: Error, CustomStringConvertible, LocalizedError {
    /// `ImageInput.name` of the failed input.
    public let input: String
    /// What went wrong (usually an `ImageProcessingError`).
    public let underlying: any Error

    /// The underlying message alone when it already names the input (the image library's do:
    /// "image x.jpg is not an image…"), else "input: message".
    public var description: String {
        let reason = "\(underlying)"
        return reason.contains(input) ? reason : "\(input): \(reason)"
    }
    public var errorDescription: String? { description }
}
