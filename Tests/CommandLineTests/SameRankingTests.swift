import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `fashionclip search` and the server's `POST /api/search` answer the same request with the same
/// ranking: both go through one query routine (`CatalogQueryRunner`).
@Suite struct SameRankingTests {
    /// One request, as command-line arguments and as the API's JSON body.
    struct Request: Sendable, CustomStringConvertible {
        let arguments: [String]
        let body: [String: any Sendable]
        var description: String { arguments.joined(separator: " ") }
    }

    static let dress = CommandRunner.catalog.appendingPathComponent("images/dress-navy.jpg")

    static let requests: [Request] = [
        Request(
            arguments: ["--text", "red sneakers", "--filter", "price<300", "--top-k", "5"],
            body: ["text": ["red sneakers"], "filter": ["price<300"], "topK": 5]),
        Request(
            arguments: [
                "--text", "summer dress", "--text", "white shirt", "--like", "p003", "--like-weight=-0.5",
                "--product-text-weight", "0.3", "--top-k", "8"
            ],
            body: ["text": ["summer dress", "white shirt"], "like": ["p003"], "likeWeight": -0.5, "productTextWeight": 0.3, "topK": 8]),
        Request(
            arguments: ["--image", dress.path, "--text", "navy", "--image-weight", "2", "--compressed", "--top-k", "4"],
            body: [
                "image": [(try? Data(contentsOf: dress))?.base64EncodedString() ?? ""], "text": ["navy"], "imageWeight": 2,
                "compressed": true, "topK": 4
            ]),
        Request(
            arguments: ["--like", "p010", "--filter", "category!=bags", "--top-k", "30"],
            body: ["like": ["p010"], "filter": ["category!=bags"], "topK": 30])
    ]

    /// `(id, score)` of each hit of a `{"results": [...]}` document.
    static func hits(_ data: Data) throws -> [(id: String, score: Double)] {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
        let results = try #require(object["results"] as? [[String: Any]], "\(object)")
        return results.map { ($0["id"] as? String ?? "?", ($0["score"] as? NSNumber)?.doubleValue ?? .nan) }
    }

    @Test func commandLineAndServerRankAlike() async throws {
        let store = try CommandRunner.temporaryFolder().appendingPathComponent("catalog.sqlite").path
        let index = try CommandRunner.run([
            "index", "--model", CommandRunner.model, "--catalog",
            CommandRunner.catalog.appendingPathComponent("catalog.csv").path, "--store", store
        ])
        try #require(index.status == 0, "\(index.stderr)")
        let served = try ServedProcess.start(["--model", CommandRunner.model, "--store", store, "--compressed"])
        defer { served.stop() }
        for request in Self.requests {
            let cli = try CommandRunner.run(["search", "--store", store, "--model", CommandRunner.model, "--json"] + request.arguments)
            try #require(cli.status == 0, "\(request): \(cli.stderr)")
            var post = URLRequest(url: URL(string: served.address + "api/search")!)
            post.httpMethod = "POST"
            post.setValue("application/json", forHTTPHeaderField: "Content-Type")
            post.httpBody = try JSONSerialization.data(withJSONObject: request.body)
            let (body, response) = try await URLSession.shared.data(for: post)
            try #require((response as? HTTPURLResponse)?.statusCode == 200, "\(request): \(String(decoding: body, as: UTF8.self))")
            let fromCLI = try Self.hits(cli.stdout), fromServer = try Self.hits(body)
            #expect(!fromCLI.isEmpty, "\(request)")
            #expect(fromCLI.map(\.id) == fromServer.map(\.id), "\(request)")
            #expect(zip(fromCLI, fromServer).allSatisfy { abs($0.score - $1.score) <= 1e-6 }, "\(request)")
        }
    }
}
