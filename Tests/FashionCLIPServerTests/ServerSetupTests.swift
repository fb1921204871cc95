import EmbeddingCatalog
import FashionCLIP
import FashionCLIPServer
import Foundation
import Testing

/// Setting a server up: what it refuses to serve, and the gate that keeps model calls off the loops.
@Suite struct ServerSetupTests {
    @Test("nothing to serve, a store built by another model, bad configuration values")
    func refusals() async throws {
        #expect(throws: ServerSetupError.nothingToServe) { try ServerResources(model: nil, store: nil) }
        let loaded = try await ServerFixture.loaded()
        let other = try FashionCLIPModel(folder: ServerFixture.root.appendingPathComponent("Fixtures/models/laion-f16"))
        #expect {
            try ServerResources(model: other, store: loaded.store)
        } throws: { error in
            guard case ServerSetupError.modelMismatch(_, let storeModel, let model)? = error as? ServerSetupError else { return false }
            return storeModel.hasPrefix("fashionclip-f32") && model.hasPrefix("laion-f16")
        }
        #expect(throws: ServerSetupError.missingStore(path: "/no/such/store.sqlite")) {
            try ServerResources(model: nil, store: URL(fileURLWithPath: "/no/such/store.sqlite"))
        }
        #expect(throws: ServerSetupError.invalidConfiguration(name: "port", expected: "0 ... 65535", found: "70000")) {
            try ServerConfiguration(port: 70000).validate()
        }
        #expect(throws: ServerSetupError.invalidConfiguration(name: "maxTopK", expected: "at least 1", found: "0")) {
            try ServerConfiguration(maxTopK: 0).validate()
        }
        // A store without a model serves "more like this" searches.
        let searchOnly = try ServerResources(model: nil, store: loaded.store)
        #expect(searchOnly.searcher?.snapshot.count == 30 && searchOnly.model == nil)
    }

    @Test("the gate runs at most its places at once, queues in order, refuses past the queue")
    func gate() async throws {
        let gate = ComputeGate(concurrent: 1, queued: 1)
        let release = DispatchSemaphore(value: 0)
        let first = Task {
            try await gate.run {
                release.wait()
                return 1
            }
        }
        while await gate.load.running == 0 { await Task.yield() }
        let second = Task { try await gate.run { 2 } }
        while await gate.load.waiting == 0 { await Task.yield() }
        await #expect(throws: (any Error).self) { try await gate.run { 3 } }
        release.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(await gate.load == (0, 0))
        await #expect(throws: ServerTestError.self) { try await gate.run { () throws -> Int in throw ServerTestError("inside") } }
        #expect(await gate.load == (0, 0))
    }
}

/// The classifier cache builds a label set once and forgets the least recently used past its capacity.
@Suite struct ClassifierCacheTests {
    @Test func buildsOnceAndEvictsTheLeastRecentlyUsed() async throws {
        let model = try await ServerFixture.loaded().model
        let cache = ClassifierCache(capacity: 2)
        let builds = Counter()
        func get(_ labels: [String]) async throws -> ZeroShotClassifier {
            try await cache.classifier(labels: labels, templates: [ZeroShotClassifier.defaultTemplate]) {
                await builds.increment()
                return try ZeroShotClassifier(model: model, labels: labels)
            }
        }
        let first = try await get(["dress", "bag"])
        #expect(try await get(["dress", "bag"]).labelEmbeddings == first.labelEmbeddings)
        #expect(await builds.value == 1)
        _ = try await get(["sneakers", "bag"])
        _ = try await get(["dress", "bag"])  // most recent again
        _ = try await get(["t-shirt", "trousers"])  // evicts ["sneakers", "bag"]
        let (built, held) = (await builds.value, await cache.count)
        #expect(built == 3 && held == 2)
        _ = try await get(["dress", "bag"])
        #expect(await builds.value == 3)
        _ = try await get(["sneakers", "bag"])
        #expect(await builds.value == 4)
        // A failed build stores nothing.
        await #expect(throws: FashionCLIPError.self) { _ = try await get([]) }
        #expect(await cache.count == 2)
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
