import FashionCLIPServer
import Foundation
import Testing

/// Query strings as browsers write them, filters the server refuses, upload errors and the icon:
/// the server halves of what the browser test (Tests/Browser) found.
@Suite(.serialized) struct ServerQueryTests {
    static let image = ServerFixture.root.appendingPathComponent("Demo/catalog/images/dress-navy.jpg")

    /// The `"query"` echo of a search answer.
    static func echo(_ object: [String: Any]) -> [String: Any] { object["query"] as? [String: Any] ?? [:] }

    @Test("'+' in a query string is a space on every route (as forms and URLSearchParams write it); %2B stays a plus")
    func plusIsSpace() async throws {
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let plus = try await server.json("GET", "/api/search?text=navy+dress&topK=5")
            let percent = try await server.json("GET", "/api/search?text=navy%20dress&topK=5")
            #expect(plus.status == 200 && Self.echo(plus.object)["text"] as? [String] == ["navy dress"], "\(plus.object)")
            #expect(ServerSearchTests.hits(plus.object).map(\.id) == ServerSearchTests.hits(percent.object).map(\.id))
            #expect(ServerSearchTests.hits(plus.object).count == 5)

            let literal = try await server.json("GET", "/api/search?text=a%2Bb&topK=1")
            #expect(Self.echo(literal.object)["text"] as? [String] == ["a+b"])

            let filtered = try await server.json("GET", "/api/search?text=dress&filter=brand%3DLevi%27s&filter=colour!%3Dnavy+blue&topK=3")
            #expect(filtered.status == 200, "\(errorMessage(filtered.object))")
            #expect(Self.echo(filtered.object)["filter"] as? [String] == ["brand=Levi's", "colour!=navy blue"])

            let classified = try await server.json(
                "POST", "/api/classify/image?labels=navy+dress,red+sneakers&topK=2", body: try Data(contentsOf: Self.image),
                contentType: "image/jpeg")
            #expect(classified.status == 200, "\(errorMessage(classified.object))")
            let labels = (classified.object["labels"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
            #expect(Set(labels) == ["navy dress", "red sneakers"])

            let photo = try await server.json(
                "POST", "/api/search/image?topK=2&filter=category%3Dpolo+shirt", body: try Data(contentsOf: Self.image),
                contentType: "image/jpeg")
            #expect(photo.status == 200, "\(errorMessage(photo.object))")
            #expect(Self.echo(photo.object)["filter"] as? [String] == ["category=polo shirt"] && ServerSearchTests.hits(photo.object).isEmpty)
        }
    }

    @Test("a filter on a key no product has, or ordering by a non-number, is 400 naming the filter")
    func refusedFilters() async throws {
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let cases: [(String, String)] = [
                (
                    "/api/search?text=dress&filter=colr%3Dred",
                    "filter 'colr=red': no product has the key 'colr'; the keys are brand, category, colour, price, id"
                ),
                ("/api/search?text=dress&filter=price%3Cabc", "filter 'price<abc': < compares numbers, and 'abc' is not a number"),
                ("/api/search?like=p001&filter=price%3E%3Dcheap", "filter 'price>=cheap': >= compares numbers"),
                ("/api/search?text=dress&filter=id%3Cp010", "filter 'id<p010': < compares numbers")
            ]
            for (path, message) in cases {
                let answer = try await server.json("GET", path)
                #expect(answer.status == 400 && errorMessage(answer.object).hasPrefix(message), "\(path): \(answer)")
            }
            let json = try await server.json("POST", "/api/search", object: ["text": "dress", "filter": ["size=M"]])
            #expect(json.status == 400 && errorMessage(json.object).contains("no product has the key 'size'"), "\(json)")
            let photo = try await server.json(
                "POST", "/api/search/image?filter=colr%3Dred", body: try Data(contentsOf: Self.image), contentType: "image/jpeg")
            #expect(photo.status == 400 && errorMessage(photo.object).contains("'colr'"), "\(photo)")
            let fine = try await server.json("GET", "/api/search?text=dress&filter=price%3E%3D100&filter=id!%3Dp010&topK=30")
            #expect(fine.status == 200 && !ServerSearchTests.hits(fine.object).isEmpty, "\(errorMessage(fine.object))")
        }
    }

    @Test("an upload that is not an image is named once, on every upload route")
    func notAnImage() async throws {
        let expected = "image in the request body is not an image: expected a JPEG, PNG, WebP or GIF signature in its first bytes"
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            for path in ["/api/search/image", "/api/classify/image?labels=dress,bag", "/api/embed/image"] {
                let answer = try await server.json("POST", path, body: Data("just some text\n".utf8), contentType: "text/plain")
                #expect(answer.status == 422 && errorMessage(answer.object) == expected, "\(path): \(answer)")
            }
        }
    }

    @Test("the page links an icon and /favicon.ico answers it")
    func favicon() async throws {
        try await LiveServer.with(try await ServerFixture.resources()) { server in
            let page = try await server.send("GET", "/")
            #expect(String(decoding: page.body, as: UTF8.self).contains(#"<link rel="icon" href="/favicon.ico""#))
            let icon = try await server.send("GET", "/favicon.ico")
            #expect(icon.status == 200 && icon.headers["content-type"] == "image/svg+xml")
            #expect(String(decoding: icon.body, as: UTF8.self).hasPrefix("<svg"))
        }
    }
}
