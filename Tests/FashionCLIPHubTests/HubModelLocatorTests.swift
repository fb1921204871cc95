import FashionCLIPHub
import Foundation
import Testing

/// `ModelLocator` and `HubCache` over a Hugging Face cache built by hand.
@Suite("ModelLocator")
struct HubModelLocatorTests {
    static let commit = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"
    static let olderCommit = "1111111111222222222233333333334444444444"

    /// `models--org--clip` with refs `main` and `v1.0` → `commit`, `refs/pr/1` → `olderCommit` (stored as
    /// `refs/refs/pr/1`, as huggingface_hub does), and config.json + model.safetensors symlinked into blobs.
    func makeCache() throws -> HubTemporaryFolder {
        let temp = try HubTemporaryFolder()
        let repo = temp.url.appendingPathComponent("models--org--clip")
        let fileManager = FileManager.default
        for folder in ["blobs", "refs/refs/pr", "snapshots/\(Self.commit)", "snapshots/\(Self.olderCommit)"] {
            try fileManager.createDirectory(at: repo.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Data("{}".utf8).write(to: repo.appendingPathComponent("blobs/config-etag"))
        try Data([1, 2, 3]).write(to: repo.appendingPathComponent("blobs/weights-etag"))
        try Data(Self.commit.utf8).write(to: repo.appendingPathComponent("refs/main"))
        try Data((Self.commit + "\n").utf8).write(to: repo.appendingPathComponent("refs/v1.0"))
        try Data(Self.olderCommit.utf8).write(to: repo.appendingPathComponent("refs/refs/pr/1"))
        let snapshot = repo.appendingPathComponent("snapshots/\(Self.commit)")
        try fileManager.createSymbolicLink(atPath: snapshot.appendingPathComponent("config.json").path, withDestinationPath: "../../blobs/config-etag")
        try fileManager.createSymbolicLink(atPath: snapshot.appendingPathComponent("model.safetensors").path, withDestinationPath: "../../blobs/weights-etag")
        try fileManager.createSymbolicLink(atPath: snapshot.appendingPathComponent("vocab.json").path, withDestinationPath: "../../blobs/missing-etag")
        return temp
    }

    @Test func findsCachedModelsByIdRevisionAndCommit() throws {
        let temp = try makeCache()
        defer { temp.cleanup() }
        let locator = ModelLocator(cache: HubCache(root: temp.url))
        let snapshot = temp.url.appendingPathComponent("models--org--clip/snapshots/\(Self.commit)").standardizedFileURL
        let repo = try HubRepoID("org/clip")

        let byID = try locator.locate("org/clip")
        #expect(byID.folder.standardizedFileURL == snapshot)
        #expect(byID.source == .hubCache(repo: repo, revision: "main", commit: Self.commit))
        #expect(try locator.locate("org/clip@v1.0").source == .hubCache(repo: repo, revision: "v1.0", commit: Self.commit))
        #expect(try locator.locate("org/clip@\(Self.commit)").folder.standardizedFileURL == snapshot)
        #expect(try locator.locate("org/clip@refs/pr/1").source == .hubCache(repo: repo, revision: "refs/pr/1", commit: Self.olderCommit))
        #expect(try locator.locate(repo, revision: Self.olderCommit).source == .hubCache(repo: repo, revision: Self.olderCommit, commit: Self.olderCommit))

        let files = ModelLocator.files(in: byID.folder)
        #expect(files.present == ["config.json", "model.safetensors"])
        #expect(files.missing.first == "vocab.json")  // a dangling symlink counts as missing
        #expect(files.missing.count == ModelLocator.standardFiles.count - 2)
    }

    @Test func explainsUnknownModelsAndRevisions() throws {
        let temp = try makeCache()
        defer { temp.cleanup() }
        let locator = ModelLocator(cache: HubCache(root: temp.url))
        #expect {
            _ = try locator.locate("org/other")
        } throws: { error in
            let text = "\(error)"
            return text.contains("fashionclip download org/other") && text.contains(temp.url.appendingPathComponent("models--org--other").path)
        }
        #expect {
            _ = try locator.locate("org/clip@v2")
        } throws: { error in
            guard case HubError.revisionNotFound(_, "v2", _, let available) = error else { return false }
            return available.contains("main") && available.contains("v1.0") && available.contains("refs/pr/1")
                && "\(error)".contains("--revision v2")
        }
        #expect(throws: HubError.self) { _ = try locator.locate("org/clip@0000000000000000000000000000000000000000") }
        #expect(throws: HubError.invalidRepoID("a/b/c", reason: "expected ORG/NAME with a single '/'")) {
            _ = try locator.locate("a/b/c")
        }
    }

    @Test func acceptsDirectoriesAndRejectsFiles() throws {
        let temp = try makeCache()
        defer { temp.cleanup() }
        let locator = ModelLocator(cache: HubCache(root: temp.url))
        let folder = temp.url.appendingPathComponent("models--org--clip/snapshots/\(Self.commit)")
        #expect(try locator.locate(folder.path).source == .directory)
        #expect(throws: HubError.notADirectory(path: folder.appendingPathComponent("config.json").path)) {
            _ = try locator.locate(folder.appendingPathComponent("config.json").path)
        }
        #expect(throws: HubError.directoryNotFound(path: "./no/such/folder")) {
            _ = try locator.locate("./no/such/folder")
        }
    }

    @Test func cacheRootFollowsHuggingFaceEnvironment() {
        #expect(HubCache(environment: ["HF_HUB_CACHE": "/a", "HF_HOME": "/b", "HOME": "/h"]).root.path == "/a")
        #expect(HubCache(environment: ["HUGGINGFACE_HUB_CACHE": "/legacy", "HOME": "/h"]).root.path == "/legacy")
        #expect(HubCache(environment: ["HF_HOME": "/b", "HOME": "/h"]).root.path == "/b/hub")
        #expect(HubCache(environment: ["HF_HOME": "~/hf", "HOME": "/h"]).root.path == "/h/hf/hub")
        #expect(HubCache(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).root.path == "/x/huggingface/hub")
        #expect(HubCache(environment: ["HOME": "/h"]).root.path == "/h/.cache/huggingface/hub")
        #expect(HubCache(environment: ["HF_HUB_CACHE": "", "HOME": "/h"]).root.path == "/h/.cache/huggingface/hub")
    }

    @Test func downloaderReadsEndpointAndToken() throws {
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let fromEnvironment = HubDownloader(environment: ["HF_ENDPOINT": "http://127.0.0.1:9/", "HF_TOKEN": " tok\n", "HOME": "/h"])
        #expect(fromEnvironment.endpoint.absoluteString == "http://127.0.0.1:9")
        #expect(fromEnvironment.token == "tok")
        #expect(fromEnvironment.cache.root.path == "/h/.cache/huggingface/hub")
        try Data("file-token\n".utf8).write(to: temp.url.appendingPathComponent("token"))
        let fromFile = HubDownloader(environment: ["HF_HOME": temp.url.path])
        #expect(fromFile.token == "file-token")
        #expect(fromFile.endpoint.absoluteString == "https://huggingface.co")
        #expect(HubDownloader(environment: ["HOME": temp.url.path]).token == nil)
    }
}
