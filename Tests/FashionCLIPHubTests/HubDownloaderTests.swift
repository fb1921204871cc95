import FashionCLIPHub
import Foundation
import Testing

/// Collects progress reports from the downloader's background queue.
final class HubProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [HubDownloadProgress] = []
    func append(_ report: HubDownloadProgress) {
        lock.lock()
        reports.append(report)
        lock.unlock()
    }
    var all: [HubDownloadProgress] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}

@Suite("HubDownloader against a local fake Hub")
struct HubDownloaderTests {
    let repo = try! HubRepoID(HubFakeServer.repo)

    func downloader(_ hub: HubFakeServer, cache: URL, token: String? = nil) -> HubDownloader {
        var downloader = HubDownloader(endpoint: hub.endpoint, token: token, cache: HubCache(root: cache))
        downloader.idleTimeout = 10
        return downloader
    }

    @Test func downloadsDefaultFilesIntoTheCacheLayout() async throws {
        let hub = try HubFakeServer(.init(token: "secret"))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let progress = HubProgressLog()
        let snapshot = try await downloader(hub, cache: temp.url, token: "secret").download(repo) { progress.append($0) }

        let expected = [
            "config.json", "merges.txt", "model.safetensors", "preprocessor_config.json",
            "special_tokens_map.json", "tokenizer_config.json", "vocab.json"
        ]
        #expect(snapshot.files.map(\.path).sorted() == expected)
        #expect(snapshot.commit == HubFakeServer.commit)
        #expect(snapshot.missingStandardFiles == ["tokenizer.json"])
        #expect(snapshot.files.allSatisfy { $0.downloaded })

        let repoFolder = temp.url.appendingPathComponent("models--fashion-org--tiny-clip")
        #expect(try String(contentsOf: repoFolder.appendingPathComponent("refs/main"), encoding: .utf8) == HubFakeServer.commit)
        #expect(snapshot.folder.standardizedFileURL == repoFolder.appendingPathComponent("snapshots/\(HubFakeServer.commit)").standardizedFileURL)
        let weightsLink = try FileManager.default.destinationOfSymbolicLink(atPath: snapshot.folder.appendingPathComponent("model.safetensors").path)
        #expect(weightsLink == "../../blobs/\(HubFakeServer.sha256("model.safetensors"))")
        let configLink = try FileManager.default.destinationOfSymbolicLink(atPath: snapshot.folder.appendingPathComponent("config.json").path)
        #expect(configLink == "../../blobs/\(HubFakeServer.gitETag("config.json"))")
        for file in expected {
            #expect(try Data(contentsOf: snapshot.folder.appendingPathComponent(file)) == HubFakeServer.files[file])
        }
        let blobs = try FileManager.default.contentsOfDirectory(atPath: repoFolder.appendingPathComponent("blobs").path)
        #expect(blobs.count == expected.count && !blobs.contains { $0.hasSuffix(".incomplete") })

        // The token goes to the Hub, never to the CDN host the LFS file was redirected to.
        let cdnRequests = hub.requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(cdnRequests.count == 1 && cdnRequests.allSatisfy { $0.headers["authorization"] == nil })
        #expect(hub.requests.filter { !$0.path.hasPrefix("/cdn/") }.allSatisfy { $0.headers["authorization"] == "Bearer secret" })
        #expect(!hub.requests.contains { $0.path.contains("pytorch_model.bin") || $0.path.contains("onnx") })

        let last = try #require(progress.all.last)
        #expect(last.phase == .finished && last.overallTotal == last.overallBytes)
        #expect(last.overallTotal == Int64(expected.map { HubFakeServer.files[$0]!.count }.reduce(0, +)))

        // Second run: everything is cached, nothing is transferred.
        let again = try await downloader(hub, cache: temp.url, token: "secret").download(repo)
        #expect(again.files.allSatisfy { !$0.downloaded })
        #expect(hub.requests.filter { $0.path.hasPrefix("/cdn/") }.count == 1)

        // Asking for onnx/* adds the nested file with a deeper relative link.
        let withONNX = try await downloader(hub, cache: temp.url, token: "secret")
            .download(repo, patterns: HubDownloader.standardFilePatterns + [HubFilePattern("onnx/*")])
        #expect(withONNX.files.contains { $0.path == "onnx/model.onnx" && $0.downloaded })
        let onnxLink = try FileManager.default.destinationOfSymbolicLink(atPath: withONNX.folder.appendingPathComponent("onnx/model.onnx").path)
        #expect(onnxLink == "../../../blobs/\(HubFakeServer.sha256("onnx/model.onnx"))")

        // The locator finds the download by id, by @revision and by commit hash.
        let locator = ModelLocator(cache: HubCache(root: temp.url))
        for argument in [HubFakeServer.repo, HubFakeServer.repo + "@main", HubFakeServer.repo + "@" + HubFakeServer.commit] {
            let location = try locator.locate(argument)
            #expect(location.folder.standardizedFileURL == snapshot.folder.standardizedFileURL)
        }
        let inventory = ModelLocator.files(in: snapshot.folder)
        #expect(inventory.missing == ["tokenizer.json"])
        #expect(inventory.contains("onnx/model.onnx"))
    }

    @Test func followsSameOriginRedirectOfARenamedRepo() async throws {
        let hub = try HubFakeServer(.init(crossHostCDN: false, formerName: "old-org/old-name"))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        // The listing uses the current name; resolve URLs of the former name redirect with a relative 307.
        let former = try HubRepoID("old-org/old-name")
        let client = downloader(hub, cache: temp.url, token: "t")
        let metadata = try await client.metadata(former, commit: HubFakeServer.commit, path: "config.json")
        #expect(metadata.etag == HubFakeServer.gitETag("config.json"))
        #expect(metadata.size == Int64(HubFakeServer.files["config.json"]!.count))
        // Same-origin CDN: the token may travel there.
        let snapshot = try await client.download(repo)
        #expect(snapshot.files.count == 7)
        #expect(hub.requests.filter { $0.path.hasPrefix("/cdn/") }.allSatisfy { $0.headers["authorization"] == "Bearer t" })
    }

    @Test func resumesWithinOneCallAfterADroppedConnection() async throws {
        let hub = try HubFakeServer(.init(dropFirstTransferAfter: 100_000))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let snapshot = try await downloader(hub, cache: temp.url).download(repo)
        let weights = try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors"))
        #expect(weights == HubFakeServer.files["model.safetensors"])
        let ranges = hub.requests.filter { $0.path.hasPrefix("/cdn/") }.map { $0.headers["range"] }
        #expect(ranges == [nil, "bytes=100000-"])
    }

    @Test func resumesAPartialFileFromAnEarlierRun() async throws {
        let hub = try HubFakeServer(.init(dropFirstTransferAfter: 100_000))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        var once = downloader(hub, cache: temp.url)
        once.maxAttempts = 1
        await #expect {
            _ = try await once.download(repo)
        } throws: { error in
            if case HubError.network = error { return true } else { return false }
        }
        let blob = HubCache(root: temp.url).blobFile(repo, etag: HubFakeServer.sha256("model.safetensors"))
        #expect(HubDownloader.regularFileSize(URL(fileURLWithPath: blob.path + ".incomplete")) == 100_000)

        let snapshot = try await downloader(hub, cache: temp.url).download(repo)
        let weights = try #require(snapshot.files.first { $0.path == "model.safetensors" })
        #expect(weights.resumedBytes == 100_000 && weights.downloaded)
        #expect(try Data(contentsOf: blob) == HubFakeServer.files["model.safetensors"])
        #expect(hub.requests.last { $0.path.hasPrefix("/cdn/") }?.headers["range"] == "bytes=100000-")
    }

    @Test func restartsWhenTheServerIgnoresRange() async throws {
        let hub = try HubFakeServer(.init(ignoreRange: true))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let blob = HubCache(root: temp.url).blobFile(repo, etag: HubFakeServer.sha256("model.safetensors"))
        try FileManager.default.createDirectory(at: blob.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: 7, count: 1_000).write(to: URL(fileURLWithPath: blob.path + ".incomplete"))
        let snapshot = try await downloader(hub, cache: temp.url).download(repo)
        #expect(try Data(contentsOf: snapshot.folder.appendingPathComponent("model.safetensors")) == HubFakeServer.files["model.safetensors"])
        #expect(hub.requests.last { $0.path.hasPrefix("/cdn/") }?.headers["range"] == "bytes=1000-")
    }

    @Test func rejectsAnLFSFileWithTheWrongSHA256() async throws {
        let hub = try HubFakeServer(.init(corruptLFS: true))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let sha = HubFakeServer.sha256("model.safetensors")
        await #expect {
            _ = try await downloader(hub, cache: temp.url).download(repo)
        } throws: { error in
            guard case HubError.checksumMismatch(let file, let expected, let found) = error else { return false }
            return file == "model.safetensors" && expected == sha && found != sha
        }
        let blob = HubCache(root: temp.url).blobFile(repo, etag: sha)
        #expect(!FileManager.default.fileExists(atPath: blob.path))
        #expect(!FileManager.default.fileExists(atPath: blob.path + ".incomplete"))
    }

    @Test func blamesTheDownloadHostNotTheTokenForCDNRefusals() async throws {
        let hub = try HubFakeServer(.init(token: "secret", cdnStatus: 403))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        await #expect {
            _ = try await downloader(hub, cache: temp.url, token: "secret").download(repo)
        } throws: { error in
            guard case HubError.httpStatus(let url, 403, _) = error else { return false }
            return url.contains("localhost") && "\(error)".contains("fresh link")
        }
    }

    @Test func mapsAuthAndNotFoundErrors() async throws {
        let hub = try HubFakeServer(.init(token: "secret"))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        await #expect {
            _ = try await downloader(hub, cache: temp.url).download(repo)
        } throws: { error in
            guard case HubError.accessDenied(_, _, 401, false, _) = error else { return false }
            return "\(error)".contains("HF_TOKEN")
        }
        await #expect(throws: HubError.self) {
            _ = try await downloader(hub, cache: temp.url, token: "wrong").download(repo)
        }
        let authorized = downloader(hub, cache: temp.url, token: "secret")
        await #expect {
            _ = try await authorized.download(try HubRepoID("fashion-org/missing"))
        } throws: { error in
            guard case HubError.remoteNotFound(.repository, "fashion-org/missing", _) = error else { return false }
            return true
        }
        await #expect {
            _ = try await authorized.download(repo, revision: "v9")
        } throws: { error in
            guard case HubError.remoteNotFound(.revision("v9"), _, _) = error else { return false }
            return true
        }
        await #expect {
            _ = try await authorized.metadata(repo, commit: "main", path: "nope.bin")
        } throws: { error in
            guard case HubError.remoteNotFound(.file("nope.bin"), _, _) = error else { return false }
            return true
        }
    }

    @Test func reportsNetworkFailures() async throws {
        let closedPort: URL
        do {
            let server = try LocalHTTPServer { _ in .init(status: 200) }
            closedPort = server.baseURL
            server.stop()
        }
        try await Task.sleep(nanoseconds: 300_000_000)  // the accept loop closes the listener within 100 ms
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let downloader = HubDownloader(endpoint: closedPort, cache: HubCache(root: temp.url))
        await #expect {
            _ = try await downloader.download(repo)
        } throws: { error in
            if case HubError.network = error { return true } else { return false }
        }
    }
}
