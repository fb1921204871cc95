import EmbeddingCatalog
import FashionCLIP
import FashionCLIPCatalog
import FashionCLIPServer
import Foundation
import Testing

/// A store remembers the weights, not only the folder's name and size: other weights of the same
/// size under the same name must re-embed, not count as "unchanged" (issue 19, item 14).
@Suite struct ModelIdentityTests {
    /// A copy of the fixture model in `parent/fashionclip-f32`, its tokenizer links resolved.
    static func copy(into parent: URL) throws -> URL {
        let source = ServerFixture.root.appendingPathComponent("Fixtures/models/fashionclip-f32")
        let folder = parent.appendingPathComponent("fashionclip-f32")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name).resolvingSymlinksInPath(),
                to: folder.appendingPathComponent(name))
        }
        return folder
    }

    @Test func sameNameAndSizeButOtherWeightsIsAnotherModel() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let a = try Self.copy(into: base.appendingPathComponent("a"))
        let b = try Self.copy(into: base.appendingPathComponent("b"))
        let c = try Self.copy(into: base.appendingPathComponent("c"))
        // b: weights nudged all over the data, as a fine-tune of the same shapes leaves them (the
        // header, in the first 64 KiB, untouched); c: untouched.
        let weights = b.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: weights)
        for i in stride(from: 70_000, to: bytes.count, by: 997) { bytes[i] ^= 0x01 }
        try bytes.write(to: weights)
        #expect(try Data(contentsOf: weights).count == Data(contentsOf: a.appendingPathComponent("model.safetensors")).count)
        let identity = { (folder: URL) in ModelCatalogEmbedder(model: try FashionCLIPModel(folder: folder)).storeIdentity }
        let (ia, ib, ic) = (try identity(a), try identity(b), try identity(c))
        #expect(ia == ic, "identical weights, identical identity")
        #expect(ia != ib, "\(ia.model) vs \(ib.model)")
        // A store written with a's weights refuses b's, as it refuses any other model.
        let store = base.appendingPathComponent("store.sqlite")
        _ = try SQLiteVectorStore(url: store, identity: ia)
        #expect(throws: CatalogError.self) { _ = try SQLiteVectorStore(url: store, identity: ib) }
        _ = try SQLiteVectorStore(url: store, identity: ic)
    }
}
