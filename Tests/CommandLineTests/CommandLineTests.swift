import Foundation
import Testing

/// The commands as the README shows them, on the committed tiny model and demo catalog.
@Suite struct CommandLineTests {
    let model = CommandRunner.model
    let images = CommandRunner.catalog.appendingPathComponent("images")

    @Test func embedJSONHasTextsThenImagesInOrder() throws {
        let a = images.appendingPathComponent("dress-navy.jpg").path, b = images.appendingPathComponent("bag-navy.png").path
        let out = try CommandRunner.run([
            "embed", "--model", model, "--text", "a red dress", "--text", "white sneakers",
            "--image", a, "--image", b, "--json"
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let document = try #require(try out.json() as? [String: Any])
        #expect(document["dim"] as? Int == 24)
        #expect(document["normalized"] as? Bool == true)
        let items = try #require(document["items"] as? [[String: Any]])
        #expect(items.map { $0["kind"] as? String } == ["text", "text", "image", "image"])
        #expect(items.map { $0["input"] as? String } == ["a red dress", "white sneakers", a, b])
        for item in items {
            let vector = try #require(item["embedding"] as? [Double])
            #expect(vector.count == 24)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
    }

    @Test func embedWarnsOnTruncationAndWritesNPY() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let npy = folder.appendingPathComponent("e.npy").path
        let long = Array(repeating: "word", count: 100).joined(separator: " ")
        let out = try CommandRunner.run(["embed", "--model", model, "--text", long, "--images-dir", images.path, "--output", npy])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("truncated"))
        let data = try Data(contentsOf: URL(fileURLWithPath: npy))
        let header = String(decoding: data.prefix(128), as: UTF8.self)
        #expect(header.contains("'shape': (31, 24)") && header.contains("<f4"))
    }

    @Test func aCorruptImageIsReportedAndTheRestEmbedded() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corrupt = folder.appendingPathComponent("broken.jpg")
        try Data("not an image".utf8).write(to: corrupt)
        let good = images.appendingPathComponent("dress-navy.jpg").path
        let out = try CommandRunner.run(["embed", "--model", model, "--image", good, "--image", corrupt.path, "--json"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("broken.jpg"))
        let items = try #require((try out.json() as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items[0]["embedding"] != nil && items[1]["error"] != nil)
        let allBad = try CommandRunner.run(["embed", "--model", model, "--image", corrupt.path])
        #expect(allBad.status != 0, "nothing could be embedded: non-zero exit")
    }

    @Test func classifyJSONIsSortedProbabilities() throws {
        let out = try CommandRunner.run([
            "classify", "--model", model, "--labels", "t-shirt,dress,bag", "--top-k", "2", "--json",
            images.appendingPathComponent("dress-navy.jpg").path
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let results = try #require(try out.json() as? [[String: Any]])
        let labels = try #require(results.first?["labels"] as? [[String: Any]])
        #expect(labels.count == 2)
        let p = labels.compactMap { $0["probability"] as? Double }
        #expect(p.count == 2 && p[0] >= p[1] && p.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func badArgumentsFailWithAClearMessage() throws {
        let empty = try CommandRunner.run(["classify", "--model", model, "--labels", "", images.appendingPathComponent("dress-navy.jpg").path])
        #expect(empty.status != 0 && empty.stderr.contains("label"))
        let unknown = try CommandRunner.run(["embed", "--model", "nobody/no-such-model", "--text", "x"])
        #expect(unknown.status != 0 && unknown.stderr.contains("fashionclip download"))
        let missing = try CommandRunner.run(["embed", "--model", "/no/such/folder", "--text", "x"])
        #expect(missing.status != 0 && missing.stderr.contains("/no/such/folder"))
    }

    @Test func tokenizeReadsStdinLines() throws {
        let out = try CommandRunner.run(["tokenize", "--model", model, "--json", "-"], stdin: Data("a photo\nred dress\n".utf8))
        #expect(out.status == 0, "\(out.stderr)")
        let ids = try #require(try out.json() as? [[Int]])
        #expect(ids.count == 2 && ids.allSatisfy { $0.first == 49406 && $0.last == 49407 })
    }

    @Test func indexSearchEvaluateOnTheDemoCatalog() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("store.sqlite").path
        let csv = CommandRunner.catalog.appendingPathComponent("catalog.csv").path
        let first = try CommandRunner.run(["index", "--model", model, "--catalog", csv, "--store", store, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect((try first.json() as? [String: Any])?["added"] as? Int == 30)
        let second = try CommandRunner.run(["index", "--model", model, "--catalog", csv, "--store", store, "--json"])
        #expect((try second.json() as? [String: Any])?["unchanged"] as? Int == 30, "incremental: nothing re-embedded")

        let search = try CommandRunner.run([
            "search", "--store", store, "--model", model, "--text", "red sneakers",
            "--filter", "category=sneakers", "--top-k", "3", "--json"
        ])
        #expect(search.status == 0, "\(search.stderr)")
        let results = try #require((try search.json() as? [String: Any])?["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results.allSatisfy { ($0["metadata"] as? [String: Any])?["category"] as? String == "sneakers" })
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))

        let like = try CommandRunner.run(["search", "--store", store, "--like", "p001", "--top-k", "2", "--json"])
        #expect(like.status == 0, "\(like.stderr)")
        // The server's filter checks: a key no product has, and ordering by a text, are refused alike.
        let unknown = try CommandRunner.run(["search", "--store", store, "--like", "p001", "--filter", "colur=red"])
        #expect(
            unknown.status == 1 && unknown.stderr.contains("no product has the key 'colur'; the keys are brand, category, colour, price, id"),
            "\(unknown.stderr)")
        let text = try CommandRunner.run(["search", "--store", store, "--like", "p001", "--filter", "price<abc"])
        #expect(text.status == 1 && text.stderr.contains("'abc' is not a number"), "\(text.stderr)")

        let evaluation = try CommandRunner.run([
            "evaluate", "--model", model, "--labelled",
            CommandRunner.catalog.appendingPathComponent("labelled.csv").path, "--json",
            "--output", folder.appendingPathComponent("eval").path
        ])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let metrics = try #require(try evaluation.json() as? [String: Any])
        #expect(metrics["samples"] as? Int == 30)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("eval/confusion.png").path))
    }
}
