import Foundation

/// Scratch folders and fake "images" for the evaluation tests: `EchoEmbedder` embeds a file's text.
enum EvaluationFixtures {
    /// A fresh empty folder under the system temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes each (file name, content) into `folder`.
    static func write(_ files: [(name: String, content: String)], in folder: URL) throws {
        for (name, content) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }
}
