import Foundation

/// The product images a server may send: the files the catalog names, confined to one folder.
///
/// A catalog row names its image by path, and a catalog is data: a row whose `image` is
/// `../../etc/passwd`, `/proc/self/environ` or a link out of the folder must not make the server a
/// file reader. A file is served only when its real path (links resolved, `..` collapsed) lies inside
/// the root's real path (by default the catalog's own folder; an operator may name another with
/// `serve --image-root`), it is a regular file, and its first bytes are those of an image format the
/// server decodes (JPEG, PNG, GIF, WebP). Checked at each request, so a file swapped for a link later
/// is refused too.
struct ProductImageFiles: Sendable {
    /// Product id → the image file its catalog row names.
    let files: [String: URL]
    /// The folder images must lie in (its real path).
    let root: URL?

    /// Why a product's image is not served (the message names no server path).
    enum Refusal: Error, Equatable {
        case unknown, outsideRoot, notARegularFile, unreadable, notAnImage
    }

    /// The root for `catalog`: the catalog itself when it is a folder, else the folder holding it.
    static func defaultRoot(for catalog: URL) -> URL {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: catalog.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? catalog : catalog.deletingLastPathComponent()
    }

    init(files: [String: URL], root: URL?) {
        self.files = files
        self.root = root.map { $0.standardizedFileURL.resolvingSymlinksInPath() }
    }

    /// The bytes of product `id`'s image and its media type's file extension.
    func image(of id: String) -> Result<(data: Data, format: String), Refusal> {
        guard let file = files[id], let root else { return .failure(.unknown) }
        let real = file.standardizedFileURL.resolvingSymlinksInPath()
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard real.path.hasPrefix(rootPath) else { return .failure(.outsideRoot) }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real.path) else { return .failure(.unreadable) }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { return .failure(.notARegularFile) }
        // An empty file is no image; and Foundation's Data(contentsOf:) leaks 4 KB on each read of one.
        guard (attributes[.size] as? Int ?? 0) > 0 else { return .failure(.notAnImage) }
        guard let data = try? Data(contentsOf: real, options: .mappedIfSafe) else { return .failure(.unreadable) }
        guard let format = Self.imageFormat(data) else { return .failure(.notAnImage) }
        return .success((data, format))
    }

    /// The image format whose signature `data` starts with: "jpg", "png", "gif" or "webp"; nil for anything else.
    static func imageFormat(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return "gif" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return "webp" }
        return nil
    }
}
