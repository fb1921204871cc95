import EmbeddingCatalog
import Foundation

/// Temporary catalogs of fake "images" (any bytes: `DeterministicEmbedder` hashes them).
enum TestCatalogs {
    /// A fresh empty folder under the system temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("catalog-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `count` image files and a CSV catalog `catalog.csv` in `folder`; every third row has no
    /// text; rows in `bad` get an undecodable image. Returns the catalog file.
    @discardableResult
    static func writeCSV(in folder: URL, count: Int, bad: Set<Int> = [], seed: String = "") throws -> URL {
        let images = folder.appendingPathComponent("images", isDirectory: true)
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        var lines = ["id,image,text,brand,price,category"]
        let brands = ["Armani", "Gucci", "Prada", "Zara, Inc."]
        for i in 0..<count {
            let name = String(format: "item%04d.jpg", i)
            let bytes = bad.contains(i) ? "BAD image \(i)" : "image bytes \(i) \(seed)"
            try Data(bytes.utf8).write(to: images.appendingPathComponent(name))
            let text = i % 3 == 2 ? "" : "\"stripes, long sleeves, item \(i) — 80s style\""
            let brand = brands[i % brands.count]
            lines.append("p\(String(format: "%04d", i)),images/\(name),\(text),\"\(brand)\",\(i % 150),cat\(i % 5)")
        }
        let url = folder.appendingPathComponent("catalog.csv")
        try lines.joined(separator: "\r\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
