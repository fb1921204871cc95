import CLIPImageProcessing
import EmbeddingCatalog
import FashionCLIP
import FashionCLIPServer
import Foundation
import Testing

/// The API over a live server on loopback, against the library's own answers for the same inputs.
@Suite(.serialized) struct ServerAPITests {
    static let image = ServerFixture.root.appendingPathComponent("Demo/catalog/images/dress-navy.jpg")

    @Test("health, the page, its script and info")
    func pageAndInfo() async throws {
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let health = try await server.json("GET", "/health")
            #expect(health.status == 200 && health.object["status"] as? String == "ok")
            let probe = try await server.send("HEAD", "/health")
            #expect(probe.status == 200 && probe.body.isEmpty, "HEAD /health: \(probe.status)")
            #expect(probe.headers["content-type"]?.hasPrefix("application/json") == true)
            let page = try await server.send("GET", "/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
            #expect(String(decoding: page.body, as: UTF8.self).contains(#"<script src="/app.js"></script>"#))
            let script = try await server.send("GET", "/app.js")
            #expect(script.status == 200 && script.headers["content-type"]?.hasPrefix("text/javascript") == true)
            #expect(String(decoding: script.body, as: UTF8.self).contains("/api/search"))
            let info = try await server.json("GET", "/api/info")
            let model = try #require(info.object["model"] as? [String: Any])
            let store = try #require(info.object["store"] as? [String: Any])
            let dimension = try await ServerFixture.loaded().model.embeddingDimension
            #expect(model["dimension"] as? Int == dimension && model["zeroShot"] as? Bool == true)
            #expect(store["products"] as? Int == 30 && store["productsWithImages"] as? Int == 30)
            #expect((store["metadataKeys"] as? [String: Int])?["brand"] == 30)
            #expect(try await server.send("GET", "/no/such/page").status == 404)
        }
    }

    @Test("embed: texts and images as the model embeds them; a bad image fails alone")
    func embed() async throws {
        let model = try await ServerFixture.loaded().model
        let bytes = try Data(contentsOf: Self.image)
        try await LiveServer.with(try await ServerFixture.resources(store: false)) { server in
            let answer = try await server.json(
                "POST", "/api/embed",
                object: [
                    "texts": ["a navy dress", "red sneakers"],
                    "images": [bytes.base64EncodedString(), "data:image/png;base64," + Data("not an image".utf8).base64EncodedString()]
                ])
            #expect(answer.status == 200)
            let texts = try #require(answer.object["texts"] as? [Any])
            let expected = try model.embedTexts(["a navy dress", "red sneakers"])
            #expect(texts.count == 2 && floats(texts[0]) == expected[0] && floats(texts[1]) == expected[1])
            let images = try #require(answer.object["images"] as? [[String: Any]])
            #expect(floats(images[0]["embedding"]) == (try model.embedImage(.file(Self.image))))
            #expect((images[1]["error"] as? String)?.contains("images[1]") == true)
            let raw = try await server.json("POST", "/api/embed/image?normalized=false", body: bytes, contentType: "image/jpeg")
            #expect(raw.status == 200)
            #expect(floats(raw.object["embedding"]) == (try model.embedImage(.file(Self.image), normalized: false)))
            let corrupt = try await server.json("POST", "/api/embed/image", body: Data(bytes.prefix(200)), contentType: "image/jpeg")
            #expect(corrupt.status == 422, "\(errorMessage(corrupt.object))")
            let badBase64 = try await server.json("POST", "/api/embed", object: ["images": ["%%%"]])
            #expect(badBase64.status == 400 && errorMessage(badBase64.object).contains("images[0]"))
            let empty = try await server.json("POST", "/api/embed", object: [:])
            #expect(empty.status == 400)
            let wrongType = try await server.json("POST", "/api/embed", object: ["texts": "one text"])
            #expect(wrongType.status == 400 && errorMessage(wrongType.object).contains("texts"))
            let notJSON = try await server.json("POST", "/api/embed", body: Data("{".utf8))
            #expect(notJSON.status == 400)
        }
    }

    @Test("classify: the model's probabilities, by JSON and by upload")
    func classify() async throws {
        let model = try await ServerFixture.loaded().model
        let labels = ["dress", "sneakers", "bag"]
        let expected = try model.classify([.file(Self.image)], labels: labels)[0].get()
        let bytes = try Data(contentsOf: Self.image)
        try await LiveServer.with(try await ServerFixture.resources(store: false)) { server in
            let upload = try await server.json(
                "POST", "/api/classify/image?labels=dress,%20sneakers,bag", body: bytes,
                contentType: "image/jpeg")
            #expect(upload.status == 200)
            let scores = try #require(upload.object["labels"] as? [[String: Any]])
            #expect(scores.map { $0["label"] as? String } == expected.map(\.label))
            #expect(zip(scores, expected).allSatisfy { abs(($0["probability"] as? Double ?? -1) - $1.probability) < 1e-12 })
            let json = try await server.json(
                "POST", "/api/classify",
                object: [
                    "images": [bytes.base64EncodedString()], "labels": labels, "topK": 2
                ])
            let first = try #require((json.object["results"] as? [[String: Any]])?.first?["labels"] as? [[String: Any]])
            #expect(first.count == 2 && first[0]["label"] as? String == expected[0].label)
            let noLabels = try await server.json("POST", "/api/classify/image", body: bytes, contentType: "image/jpeg")
            #expect(noLabels.status == 400)
            let duplicate = try await server.json("POST", "/api/classify/image?labels=bag,bag", body: bytes, contentType: "image/jpeg")
            #expect(duplicate.status == 400 && errorMessage(duplicate.object).contains("twice"))
            let noTemplateSlot = try await server.json(
                "POST", "/api/classify",
                object: [
                    "images": [bytes.base64EncodedString()], "labels": labels, "templates": ["a photo"]
                ])
            #expect(noTemplateSlot.status == 400)
        }
    }

    @Test("limits: a body over the limit is 413, too many texts 400")
    func limits() async throws {
        let configuration = ServerConfiguration(port: 0, maxRequestBytes: 4096, maxTexts: 2)
        let bytes = try Data(contentsOf: Self.image)
        try await LiveServer.with(try await ServerFixture.resources(store: false), configuration: configuration) { server in
            let large = try await server.json("POST", "/api/embed/image", body: bytes, contentType: "image/jpeg")
            #expect(bytes.count > 4096 && large.status == 413, "\(errorMessage(large.object))")
            let many = try await server.json("POST", "/api/embed", object: ["texts": ["a", "b", "c"]])
            #expect(many.status == 400 && errorMessage(many.object).contains("at most 2"))
            let noStore = try await server.json("GET", "/api/search?text=dress")
            #expect(noStore.status == 503 && errorMessage(noStore.object).contains("catalog store"))
        }
    }

    /// One huge text held a model slot for seconds (15 MB: 7.3 s): every text of a request is bounded
    /// in bytes, 413 past it, naming the field (issue 19, item 7).
    @Test("a text over maxTextBytes is 413 in embed, classify and search; one at the limit is embedded")
    func textLimit() async throws {
        let configuration = ServerConfiguration(port: 0, maxTextBytes: 1000)
        try await LiveServer.with(try await ServerFixture.resources(), configuration: configuration) { server in
            let long = String(repeating: "striped dress ", count: 100)  // 1400 bytes
            let atLimit = String(repeating: "a", count: 1000)
            let embed = try await server.json("POST", "/api/embed", object: ["texts": ["red", long]])
            #expect(embed.status == 413 && errorMessage(embed.object).contains("texts[1] is 1400 bytes"), "\(embed.object)")
            let fits = try await server.json("POST", "/api/embed", object: ["texts": [atLimit]])
            #expect(fits.status == 200)
            let image = try Data(contentsOf: Self.image).base64EncodedString()
            let classify = try await server.json("POST", "/api/classify", object: ["images": [image], "labels": ["dress", long]])
            #expect(classify.status == 413 && errorMessage(classify.object).contains("labels[1]"), "\(classify.object)")
            let templates = try await server.json(
                "POST", "/api/classify",
                object: ["images": [image], "labels": ["dress"], "templates": [long + "{}"]])
            #expect(templates.status == 413 && errorMessage(templates.object).contains("templates[0]"), "\(templates.object)")
            let search = try await server.json("POST", "/api/search", object: ["text": long])
            #expect(search.status == 413 && errorMessage(search.object).contains("text[0]"), "\(search.object)")
            let info = try await server.json("GET", "/api/info")
            let limits = (info.object["limits"] as? [String: Any]) ?? [:]
            #expect(limits["maxTextBytes"] as? Int == 1000, "\(info.object)")
        }
    }

    @Test("an image with more pixels than the model's decoding limit is refused, 422")
    func pixelLimit() async throws {
        let model = try FashionCLIPModel(
            folder: ServerFixture.root.appendingPathComponent("Fixtures/models/fashionclip-f32"),
            options: ModelOptions(imageDecoding: ImageDecodingOptions(maximumPixelCount: 1000)))
        try await LiveServer.with(try ServerResources(model: model, store: nil)) { server in
            let answer = try await server.json("POST", "/api/embed/image", body: try Data(contentsOf: Self.image), contentType: "image/jpeg")
            #expect(answer.status == 422 && errorMessage(answer.object).contains("pixels"), "\(answer.object)")
        }
    }
}
