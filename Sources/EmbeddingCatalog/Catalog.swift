import Foundation

/// The rows of a product catalog, read from a folder of images, a CSV file or a JSONL file.
///
/// - Folder: every `.jpg`/`.jpeg`/`.png`/`.webp` below it (hidden files skipped); id = the path
///   relative to the folder with `/` separators; no text, no metadata.
/// - CSV (RFC 4180, see `CSVTable`) or JSONL (one JSON object per line): columns `id` and `image`
///   (a path relative to the file's folder, or absolute), optional `text`; every other column is
///   metadata. Empty CSV cells and JSON `null` are treated as absent.
public struct Catalog: Sendable {
    /// The folder or file the rows came from.
    public let source: URL
    /// Rows in file order (sorted by id for a folder).
    public let rows: [CatalogRow]

    /// File extensions recognised as images in a folder catalog (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    public init(source: URL, rows: [CatalogRow]) {
        self.source = source
        self.rows = rows
    }

    /// Reads the catalog at `url`, choosing the format from what it is: folder, `.csv`, `.jsonl`/`.ndjson`.
    /// - Parameter idFromImage: rows without an `id` take their `image` path as id (for evaluation pair
    ///   files `image,text`); indexing requires ids.
    /// - Throws: `CatalogError` naming the file, line and problem.
    public static func load(_ url: URL, idFromImage: Bool = false) throws -> Catalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CatalogError.unsupportedCatalog(path: url.path, reason: "no such file or folder")
        }
        if isDirectory.boolValue { return try loadFolder(url) }
        switch url.pathExtension.lowercased() {
        case "csv": return try loadCSV(url, idFromImage: idFromImage)
        case "jsonl", "ndjson": return try loadJSONLines(url, idFromImage: idFromImage)
        default:
            throw CatalogError.unsupportedCatalog(
                path: url.path, reason: "unknown extension '.\(url.pathExtension)'")
        }
    }

    /// Every image file below `folder`, sorted by relative path.
    public static func loadFolder(_ folder: URL) throws -> Catalog {
        let base = folder.standardizedFileURL
        let rows = imageFiles(below: base).map { relative in
            CatalogRow(id: relative, image: base.appendingPathComponent(relative))
        }
        return Catalog(source: folder, rows: rows)
    }

    /// Relative paths (with `/`) of the image files below `folder`, sorted.
    package static func imageFiles(below folder: URL) -> [String] {
        let basePath = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: basePath) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            if imageExtensions.contains((name as NSString).pathExtension.lowercased()) { found.append(relative) }
        }
        return found.sorted()
    }

    /// A CSV catalog with at least the columns `id` and `image`.
    public static func loadCSV(_ url: URL, idFromImage: Bool = false) throws -> Catalog {
        try csv(CSVTable(contentsOf: url), source: url, idFromImage: idFromImage)
    }

    /// A CSV catalog held in memory; `source` names it in errors and anchors relative image paths.
    package static func csv(data: Data, source: URL, idFromImage: Bool = false) throws -> Catalog {
        try csv(CSVTable(data: data, file: source.path), source: source, idFromImage: idFromImage)
    }

    private static func csv(_ table: CSVTable, source url: URL, idFromImage: Bool) throws -> Catalog {
        let file = url.path
        for required in idFromImage ? ["image"] : ["id", "image"] where !table.header.contains(required) {
            throw CatalogError.missingColumn(file: file, column: required, found: table.header)
        }
        let base = url.deletingLastPathComponent()
        var builder = RowBuilder(file: file, base: base, idFromImage: idFromImage)
        for record in table.records {
            var fields: [String: MetadataValue] = [:]
            for (name, value) in zip(table.header, record.fields) where !value.isEmpty {
                fields[name] = .string(value)
            }
            try builder.add(fields, line: record.line)
        }
        return Catalog(source: url, rows: builder.rows)
    }

    /// A JSONL catalog: one object per non-blank line with at least `id` and `image`.
    public static func loadJSONLines(_ url: URL, idFromImage: Bool = false) throws -> Catalog {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CatalogError.unsupportedCatalog(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try jsonLines(data: data, source: url, idFromImage: idFromImage)
    }

    /// A JSONL catalog held in memory; `source` names it in errors and anchors relative image paths.
    package static func jsonLines(data: Data, source url: URL, idFromImage: Bool = false) throws -> Catalog {
        let file = url.path
        var builder = RowBuilder(file: file, base: url.deletingLastPathComponent(), idFromImage: idFromImage)
        let decoder = JSONDecoder()
        var lineNumber = 0
        for lineBytes in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = lineBytes.filter { $0 != UInt8(ascii: "\r") }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let object: [String: JSONScalar]
            do {
                object = try decoder.decode([String: JSONScalar].self, from: Data(trimmed))
            } catch {
                throw CatalogError.malformedCatalog(
                    file: file, line: lineNumber, reason: "expected one JSON object per line: \(Self.describe(error))")
            }
            var fields: [String: MetadataValue] = [:]
            for (key, value) in object {
                if let v = value.metadataValue { fields[key] = v }
            }
            try builder.add(fields, line: lineNumber)
        }
        return Catalog(source: url, rows: builder.rows)
    }

    private static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        if case let DecodingError.typeMismatch(_, context) = error { return context.debugDescription }
        return "\(error)"
    }
}

/// Turns the fields of one CSV or JSONL record into a `CatalogRow`, checking ids.
private struct RowBuilder {
    let file: String
    let base: URL
    let idFromImage: Bool
    var rows: [CatalogRow] = []
    var lineOfID: [String: Int] = [:]

    init(file: String, base: URL, idFromImage: Bool) {
        self.file = file
        self.base = base
        self.idFromImage = idFromImage
    }

    mutating func add(_ fields: [String: MetadataValue], line: Int) throws {
        var fields = fields
        guard let idValue = fields.removeValue(forKey: "id") ?? (idFromImage ? fields["image"] : nil) else {
            throw CatalogError.malformedCatalog(file: file, line: line, reason: "row has no 'id'")
        }
        guard case let .string(imagePath)? = fields.removeValue(forKey: "image"), !imagePath.isEmpty else {
            throw CatalogError.malformedCatalog(
                file: file, line: line, reason: "row '\(idValue)' has no 'image' path (a string)")
        }
        let id = idValue.description
        // An id with a control character would not survive the store (SQLite's text ends at NUL, so
        // "a\0x" became "a" and every run re-added it): refuse it, naming the line.
        if let control = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            let code = "U+" + String(control.value, radix: 16, uppercase: true).leftPadded(to: 4)
            throw CatalogError.malformedCatalog(
                file: file, line: line, reason: "id \(id.debugDescription) contains the control character \(code); ids must be printable text")
        }
        guard !id.isEmpty else { throw CatalogError.malformedCatalog(file: file, line: line, reason: "the row's 'id' is empty") }
        if let first = lineOfID[id] {
            throw CatalogError.duplicateID(file: file, id: id, firstLine: first, secondLine: line)
        }
        lineOfID[id] = line
        var text: String?
        if let t = fields.removeValue(forKey: "text") {
            guard case let .string(s) = t else {
                throw CatalogError.malformedCatalog(file: file, line: line, reason: "'text' of row '\(id)' is not a string")
            }
            text = s.isEmpty ? nil : s
        }
        let image = imagePath.hasPrefix("/") ? URL(fileURLWithPath: imagePath) : base.appendingPathComponent(imagePath)
        rows.append(CatalogRow(id: id, image: image.standardizedFileURL, text: text, metadata: fields, line: line))
    }
}

/// A JSON value of a JSONL catalog line: scalars map to `MetadataValue`; `null` means absent;
/// arrays and objects are rejected by decoding (catalog metadata is flat).
private enum JSONScalar: Decodable {
    case value(MetadataValue)
    case null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null } else { self = .value(try MetadataValue(from: decoder)) }
    }

    var metadataValue: MetadataValue? {
        if case let .value(v) = self { return v }
        return nil
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
