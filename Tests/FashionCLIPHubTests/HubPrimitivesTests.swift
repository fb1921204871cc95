import FashionCLIPHub
import Foundation
import Testing

@Suite("Hub primitives: SHA-256, repo ids, file patterns, URLs")
struct HubPrimitivesTests {
    /// FIPS 180-4 / NIST CAVP example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        )
    ])
    func sha256MatchesKnownVectors(message: String, digest: String) {
        #expect(HubSHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test func sha256OfAMillionAsInOddChunks() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = HubSHA256()
        var offset = 0
        var chunk = 1
        while offset < message.count {
            let end = min(message.count, offset + chunk)
            hasher.update(message[offset..<end])
            offset = end
            chunk = chunk * 3 % 997 + 1  // 1, 4, 13, 40, ... exercises partial blocks
        }
        #expect(HubSHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func parsesRepoReferences() throws {
        let (repo, revision) = try HubRepoID.parse(reference: "patrickjohncyh/fashion-clip@refs/pr/3")
        #expect(repo.namespace == "patrickjohncyh" && repo.name == "fashion-clip" && revision == "refs/pr/3")
        #expect(repo.cacheFolderName == "models--patrickjohncyh--fashion-clip")
        #expect(try HubRepoID.parse(reference: "openai/clip-vit-base-patch32").revision == nil)
        #expect(try HubRepoID("gpt2").cacheFolderName == "models--gpt2")
        for bad in ["", "a/b/c", "org/", "/name", "org/na--me", "org/-name", "org/name.", "org/na me", "org/n..m", "org/name@"] {
            #expect(throws: HubError.self, "\(bad)") { _ = try HubRepoID.parse(reference: bad) }
        }
        #expect(HubRepoID.isCommitHash("0123456789abcdef0123456789abcdef01234567"))
        #expect(!HubRepoID.isCommitHash("main") && !HubRepoID.isCommitHash("0123456789ABCDEF0123456789abcdef01234567"))
    }

    @Test func patternsFollowFnmatch() {
        let cases: [(String, String, Bool)] = [
            ("config.json", "config.json", true),
            ("config.json", "configXjson", false),
            ("*.json", "config.json", true),
            ("*.json", "onnx/config.json", true),  // `*` crosses `/`, as in fnmatch
            ("onnx/*", "onnx/model.onnx", true),
            ("onnx/*", "model.onnx", false),
            ("onnx/", "onnx/model.onnx", true),
            ("model.?afetensors", "model.safetensors", true),
            ("[mp]*.bin", "pytorch_model.bin", true),
            ("[!p]*.bin", "pytorch_model.bin", false),
            ("[a-c]onfig.json", "config.json", true),
            ("*", "anything/at/all", true),
            ("*model*", "onnx/model.onnx", true),
            ("a*b*c", "abXbYc", true),
            ("a*b*c", "abXbY", false),
            ("[", "[", true)
        ]
        for (pattern, path, expected) in cases {
            #expect(HubFilePattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
        }
        let defaults = HubDownloader.standardFilePatterns
        #expect(defaults.count == 8)
        #expect(!defaults.contains { $0.matches("pytorch_model.bin") || $0.matches("onnx/model.onnx") || $0.matches("flax_model.msgpack") })
    }

    @Test func buildsHubURLsAsHuggingFaceHub() throws {
        let downloader = HubDownloader(endpoint: URL(string: "https://hub.example/")!, cache: HubCache(root: URL(fileURLWithPath: "/tmp")))
        let url = downloader.resolveURL(try HubRepoID("org/name"), revision: "refs/pr/1", path: "onnx/model file.onnx")
        #expect(url.absoluteString == "https://hub.example/org/name/resolve/refs%2Fpr%2F1/onnx/model%20file.onnx")
        #expect(HubDownloader.normalizeETag("W/\"abc\"") == "abc" && HubDownloader.normalizeETag("\"abc\"") == "abc")
        #expect(HubDownloader.origin(URL(string: "https://HF.co/x")!) == HubDownloader.origin(URL(string: "https://hf.co:443/y")!))
        #expect(HubDownloader.origin(URL(string: "http://127.0.0.1:80/")!) != HubDownloader.origin(URL(string: "http://localhost/")!))
    }
}
