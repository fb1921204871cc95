import EmbeddingCatalog
import Foundation
import PostgresCatalog
import Synchronization
import Testing

/// What every `VectorStore` must do, checked through the protocol alone, so a new backend runs the same
/// checks by adding its kind to `kinds` (SQLite, and PostgreSQL when a test server is given).
@Suite struct VectorStoreContractTests {
    /// A way to make a fresh, empty store for an identity, and to reopen it.
    struct Kind: Sendable, CustomStringConvertible {
        let description: String
        let make: @Sendable (StoreIdentity) throws -> (store: any VectorStore, reopen: @Sendable (StoreIdentity?) throws -> any VectorStore)
    }

    static let kinds =
        [
            Kind(description: "SQLite") { identity in
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString).sqlite")
                return (try SQLiteVectorStore(url: url, identity: identity), { try SQLiteVectorStore(url: url, identity: $0) })
            }
        ]
        + (PostgresTestDatabase.url == nil
            ? []
            : [
                Kind(description: "PostgreSQL") { identity in
                    let location = try PostgresTestDatabase.freshLocation()
                    return (
                        try PostgresVectorStore(address: location, identity: identity), { try PostgresVectorStore(address: location, identity: $0) }
                    )
                }
            ])

    static let identity = StoreIdentity(model: "contract-model", dimension: 4)

    static func update(_ id: String, _ v: [Float], text: [Float]? = nil, brand: String = "a") -> ItemUpdate {
        ItemUpdate(
            id: id, fingerprint: RowFingerprint(image: UInt64(v.count) &+ UInt64(id.utf8.count), text: text == nil ? nil : 7, metadata: 9),
            text: text == nil ? nil : "text of \(id)", metadata: ["brand": .string(brand)],
            imageVector: v, textVector: text.map { .set($0) } ?? .keep)
    }

    @Test("identity, schema version, batches, pruning, snapshot order", arguments: kinds)
    func storeKeepsTheContract(kind: Kind) throws {
        let (store, reopen) = try kind.make(Self.identity)
        #expect(store.identity == Self.identity && store.schemaVersion >= 1 && !store.location.isEmpty)
        try store.commit(updates: [Self.update("b", [0, 1, 0, 0], text: [1, 0, 0, 0]), Self.update("a", [1, 0, 0, 0])], deletions: [])
        #expect(try store.count() == 2)
        #expect(try store.fingerprints()["b"] == Self.update("b", [0, 1, 0, 0], text: [1, 0, 0, 0]).fingerprint)
        // A batch with one bad vector writes nothing of it.
        #expect(throws: CatalogError.self) {
            try store.commit(updates: [Self.update("c", [0, 0, 1, 0]), Self.update("d", [0, 0, 1])], deletions: ["a"])
        }
        #expect(try store.count() == 2)
        #expect(throws: CatalogError.self) { try store.commit(updates: [Self.update("e", [0, .nan, 1, 0])], deletions: []) }
        // Upserts and pruning in one commit.
        try store.commit(updates: [Self.update("c", [0, 0, 1, 0], brand: "z")], deletions: ["a"])
        let snapshot = try reopen(nil).loadSnapshot()
        #expect(snapshot.identity == Self.identity)
        #expect(snapshot.ids == ["b", "c"])
        #expect(snapshot.imageVector(row: 0) == [0, 1, 0, 0] && snapshot.textVector(row: 0) == [1, 0, 0, 0])
        #expect(snapshot.textVector(row: 1) == nil && snapshot.metadata[1]["brand"] == .string("z"))
        // Another model's vectors never join.
        #expect(throws: CatalogError.self) { try reopen(StoreIdentity(model: "other", dimension: 4)) }
        #expect(throws: CatalogError.self) { try reopen(StoreIdentity(model: "contract-model", dimension: 8)) }
    }

    final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    @Test("one writer at a time: a second waits until the first lets go", arguments: kinds)
    func writersExcludeEachOther(kind: Kind) async throws {
        let (store, reopen) = try kind.make(Self.identity)
        let other = try reopen(nil), waited = Flag()
        var first: AnyObject? = try store.lockForWriting { Issue.record("the first writer waited") }
        // The second writer blocks, so it waits on a thread of its own, not one of the cooperative pool's.
        let acquired = Flag()
        Thread {
            let lock = try? other.lockForWriting { waited.raised.store(true, ordering: .relaxed) }
            acquired.raised.store(lock != nil, ordering: .relaxed)
        }.start()
        try await Task.sleep(for: .milliseconds(300))
        let told = waited.raised.load(ordering: .relaxed)
        #expect(told, "the second writer was told it waits")
        #expect(first != nil)  // held until here
        let early = acquired.raised.load(ordering: .relaxed)
        #expect(!early, "the second writer got the lock while the first held it")
        first = nil
        for _ in 0..<500 where !acquired.raised.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        let late = acquired.raised.load(ordering: .relaxed)
        #expect(late, "the second writer never got the lock")
    }
}
