import FashionCLIPServer
import Foundation
import Testing

/// `/api/product/image` serves only images inside the catalog's folder (or `imageRoot`): a catalog row
/// is data, and one naming `../../etc/passwd`, `/proc/self/environ`, a link out of the folder or a
/// non-image must not turn the server into a file reader (issue 19, item 2).
@Suite struct ProductImageConfinementTests {
    @Test func hostileCatalogRowsAreRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confine-\(UUID().uuidString)")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).jpg")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: outside)
        }
        let demo = ServerFixture.catalogFile.deletingLastPathComponent()
        let jpeg = try Data(contentsOf: demo.appendingPathComponent("images/t-shirt-beige.jpg"))
        try jpeg.write(to: folder.appendingPathComponent("images/good.jpg"))
        try jpeg.write(to: outside)  // a real JPEG, but outside the folder
        try Data("not an image\n".utf8).write(to: folder.appendingPathComponent("images/notes.jpg"))
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("images/link.jpg"),
            withDestinationURL: URL(fileURLWithPath: "/etc/passwd"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("images/out.jpg"), withDestinationURL: outside)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images/dir.jpg"), withIntermediateDirectories: true)
        let rows: [(String, String)] = [
            ("p001", "images/good.jpg"), ("p002", "../../../../../../etc/passwd"), ("p003", "/proc/self/environ"),
            ("p004", "images/link.jpg"), ("p005", "images/notes.jpg"), ("p006", outside.path), ("p007", "images/out.jpg"),
            ("p008", "images/../../\(outside.lastPathComponent)"), ("p009", "images/dir.jpg")
        ]
        let csv = "id,image,text\n" + rows.map { "\($0.0),\($0.1),product \($0.0)" }.joined(separator: "\n") + "\n"
        let catalog = folder.appendingPathComponent("catalog.csv")
        try Data(csv.utf8).write(to: catalog)
        let loaded = try await ServerFixture.loaded()
        let resources = try ServerResources(model: loaded.model, store: loaded.store, catalog: catalog)
        try await LiveServer.with(resources) { server in
            let good = try await server.send("GET", "/api/product/image?id=p001")
            #expect(good.status == 200 && good.headers["content-type"] == "image/jpeg" && good.body == jpeg)
            for id in ["p002", "p003", "p004", "p005", "p006", "p007", "p008", "p009"] {
                // The catalog row was read (the product lists an image): the refusal is the confinement's.
                let product = try await server.json("GET", "/api/product?id=\(id)")
                #expect(product.status == 200 && product.object["image"] != nil, "\(id): \(product.object)")
                let answer = try await server.send("GET", "/api/product/image?id=\(id)")
                #expect(answer.status == 404, "\(id) answered \(answer.status)")
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(!text.contains("root:") && !text.contains("PATH=") && !text.contains(folder.path), "\(id): \(text)")
            }
        }
        // An operator may name another root: the file outside the catalog folder is then served.
        let wider = try ServerResources(
            model: loaded.model, store: loaded.store, catalog: catalog,
            imageRoot: outside.deletingLastPathComponent())
        try await LiveServer.with(wider) { server in
            let inside = try await server.send("GET", "/api/product/image?id=p006")
            let escaped = try await server.send("GET", "/api/product/image?id=p002")
            #expect(inside.status == 200)
            #expect(escaped.status == 404)
        }
    }
}
