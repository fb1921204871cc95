import EmbeddingCatalog
import Foundation

/// Images with class labels for zero-shot evaluation: a folder with one sub-folder per class, or a CSV
/// with columns `image` (relative to the file's folder) and `label`.
public struct LabelledSet: Sendable {
    public struct Sample: Sendable, Equatable {
        public var image: URL
        public var label: String
    }

    public let source: URL
    public let samples: [Sample]
    /// Class names: sub-folder names (sorted, empty ones included) or the distinct CSV labels (sorted).
    public let classes: [String]

    public init(source: URL, samples: [Sample], classes: [String]) {
        self.source = source
        self.samples = samples
        self.classes = classes
    }

    /// Reads a folder of class folders or a CSV `image,label`.
    /// - Throws: `EvaluationError` naming the path, line and problem (`.invalidInput` for a set without
    ///   images); `CatalogError.malformedCatalog` for CSV syntax.
    public static func load(_ url: URL) throws -> LabelledSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw EvaluationError.missingSet(path: url.path)
        }
        let set = isDirectory.boolValue ? try loadFolder(url) : try loadCSV(url)
        guard !set.samples.isEmpty else {
            throw EvaluationError.invalidInput("\(url.path) holds no labelled images")
        }
        return set
    }

    private static func loadFolder(_ url: URL) throws -> LabelledSet {
        let base = url.standardizedFileURL
        let entries = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
        var classes: [String] = []
        var samples: [Sample] = []
        for name in entries where !name.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let folder = base.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            classes.append(name)
            for relative in Catalog.imageFiles(below: folder) {
                samples.append(Sample(image: folder.appendingPathComponent(relative), label: name))
            }
        }
        return LabelledSet(source: url, samples: samples, classes: classes)
    }

    private static func loadCSV(_ url: URL) throws -> LabelledSet {
        let table = try CSVTable(contentsOf: url)
        for required in ["image", "label"] where !table.header.contains(required) {
            throw EvaluationError.missingColumn(file: url.path, column: required, found: table.header)
        }
        let imageColumn = table.header.firstIndex(of: "image")!, labelColumn = table.header.firstIndex(of: "label")!
        let base = url.deletingLastPathComponent()
        var samples: [Sample] = []
        for record in table.records {
            let path = record.fields[imageColumn], label = record.fields[labelColumn]
            guard !path.isEmpty, !label.isEmpty else {
                throw EvaluationError.malformedSet(file: url.path, line: record.line, reason: "empty 'image' or 'label'")
            }
            let image = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
            samples.append(Sample(image: image.standardizedFileURL, label: label))
        }
        return LabelledSet(source: url, samples: samples, classes: Array(Set(samples.map(\.label))).sorted())
    }
}
