import FashionCLIPHub
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `fashionclip download` killed with SIGKILL in the middle of a file (issue 19, faults): the next
/// run resumes the file from the bytes already on disk and ends with the published bytes.
@Suite struct DownloadKillTests {
    /// The `fashionclip` binary built beside this test bundle.
    static func executable() throws -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let url = dir.appendingPathComponent("fashionclip")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            dir.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "fashionclip beside \(CommandLine.arguments[0])"])
    }

    static func download(_ hub: HubFakeServer, cache: URL) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["download", HubFakeServer.repo, "--cache-dir", cache.path]
        process.environment = ["HF_ENDPOINT": hub.endpoint.absoluteString, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func aKilledDownloadResumesWhereTheBytesOnDiskEnd() throws {
        let partial = 100_000
        let hub = try HubFakeServer(.init(stallFirstTransferAfter: partial))
        let temp = try HubTemporaryFolder()
        defer { temp.cleanup() }
        let repo = try HubRepoID(HubFakeServer.repo)
        let blob = HubCache(root: temp.url).blobFile(repo, etag: HubFakeServer.sha256("model.safetensors"))
        let incomplete = URL(fileURLWithPath: blob.path + ".incomplete")

        let first = try Self.download(hub, cache: temp.url)
        let deadline = Date().addingTimeInterval(60)
        while (HubDownloader.regularFileSize(incomplete) ?? 0) < Int64(partial) && Date() < deadline && first.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(HubDownloader.regularFileSize(incomplete) == Int64(partial), "the first run never got \(partial) bytes on disk")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: blob.path), "a killed transfer left a complete-looking blob")

        let second = try Self.download(hub, cache: temp.url)
        let limit = Date().addingTimeInterval(120)
        while second.isRunning && Date() < limit { Thread.sleep(forTimeInterval: 0.05) }
        if second.isRunning { second.terminate() }
        second.waitUntilExit()
        #expect(second.terminationReason == .exit && second.terminationStatus == 0)
        #expect(try Data(contentsOf: blob) == HubFakeServer.files["model.safetensors"])
        let ranges = hub.requests.filter { $0.path.hasPrefix("/cdn/") && $0.method == "GET" }.map { $0.headers["range"] }
        #expect(ranges.last == "bytes=\(partial)-", "\(ranges)")
    }
}
