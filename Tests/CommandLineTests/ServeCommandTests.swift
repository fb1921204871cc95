import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `fashionclip serve` as a user runs it: the port it prints, a request, a clean stop on SIGTERM.
@Suite struct ServeCommandTests {
    @Test func servesUntilSIGTERMThenExitsCleanly() async throws {
        let folder = try CommandRunner.temporaryFolder()
        let store = folder.appendingPathComponent("catalog.sqlite").path
        let catalog = CommandRunner.catalog.appendingPathComponent("catalog.csv").path
        let index = try CommandRunner.run(["index", "--model", CommandRunner.model, "--catalog", catalog, "--store", store])
        #expect(index.status == 0, "\(index.stderr)")

        let served = try ServedProcess.start(["--model", CommandRunner.model, "--store", store, "--catalog", catalog])
        defer { served.stop() }
        let process = served.process, address = served.address, text = served.banner
        #expect(text.contains("30 products"))
        let (body, response) = try await URLSession.shared.data(from: URL(string: address + "api/search?like=p010&topK=2")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let results = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["results"] as? [Any])
        #expect(results.count == 2)
        process.terminate()  // SIGTERM: a graceful shutdown
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func badServeArgumentsFailWithAClearMessage() throws {
        let port = try CommandRunner.run(["serve", "--model", CommandRunner.model, "--port", "70000"])
        #expect(port.status != 0 && port.stderr.contains("--port must be in 0 ... 65535"))
        let catalog = try CommandRunner.run(["serve", "--model", CommandRunner.model, "--catalog", "x.csv"])
        #expect(catalog.status != 0 && catalog.stderr.contains("--catalog needs --store"))
        let keyFile = try CommandRunner.temporaryFolder().appendingPathComponent("key.txt")
        try Data("short\n".utf8).write(to: keyFile)
        let key = try CommandRunner.run(["serve", "--model", CommandRunner.model, "--api-key-file", keyFile.path, "--port", "0"])
        #expect(key.status != 0 && key.stderr.contains("apiKey: expected at least 8 characters"), "\(key.stderr)")
        // An empty key in the environment is refused, as an empty key file is, instead of serving with no key.
        for empty in ["", "  "] {
            let open = try CommandRunner.run(
                ["serve", "--model", CommandRunner.model, "--port", "0"],
                environment: ["FASHIONCLIP_API_KEY": empty])
            #expect(open.status != 0 && open.stderr.contains("FASHIONCLIP_API_KEY is set but empty"), "\(open.stderr)")
        }
        let store = try CommandRunner.run(["serve", "--model", CommandRunner.model, "--store", "/no/such/store.sqlite", "--port", "0"])
        #expect(store.status != 0 && store.stderr.contains("/no/such/store.sqlite"), "\(store.stderr)")
    }
}
