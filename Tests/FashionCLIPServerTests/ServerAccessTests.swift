import FashionCLIPServer
import Foundation
import Testing

/// Who may call the API: the API key, and pages from other origins (CORS).
@Suite(.serialized) struct ServerAccessTests {
    static let key = "s3cret-key-0123"

    @Test("with a key, /api/ needs it (Bearer or X-API-Key); the page and /health stay open")
    func apiKey() async throws {
        let configuration = ServerConfiguration(port: 0, apiKey: Self.key)
        try await LiveServer.with(try await ServerFixture.resources(), configuration: configuration) { server in
            #expect(try await server.send("GET", "/health").status == 200)
            #expect(try await server.send("GET", "/").status == 200)
            #expect(try await server.send("GET", "/app.js").status == 200)
            let refused = try await server.send("GET", "/api/info")
            #expect(refused.status == 401 && refused.headers["www-authenticate"] == "Bearer")
            let body = try #require(try JSONSerialization.jsonObject(with: refused.body) as? [String: Any])
            #expect(errorMessage(body).contains("API key"))
            for headers in [["Authorization": "Bearer \(Self.key)"], ["Authorization": "bearer \(Self.key)"], ["X-API-Key": Self.key]] {
                #expect(try await server.send("GET", "/api/info", headers: headers).status == 200, "\(headers)")
            }
            for wrong in ["Bearer \(Self.key)x", "Bearer ", "Basic \(Self.key)", "Bearer s3cret-key-0124"] {
                #expect(try await server.send("GET", "/api/info", headers: ["Authorization": wrong]).status == 401, "\(wrong)")
            }
            let image = try await server.send("GET", "/api/product/image?id=p010", headers: ["X-API-Key": Self.key])
            #expect(image.status == 200 && image.headers["content-type"] == "image/jpeg")
            #expect(try await server.send("GET", "/api/product/image?id=p010").status == 401)
        }
    }

    /// Paths a router may resolve to an API route although they do not start with `/api/` as written:
    /// the key is checked on the route chosen, so none of them answers without it.
    @Test("with a key, no spelling of an API path gets through without it")
    func apiKeyOnOddPaths() async throws {
        let configuration = ServerConfiguration(port: 0, apiKey: Self.key)
        try await LiveServer.with(try await ServerFixture.resources(), configuration: configuration) { server in
            let routes = [
                "GET info", "GET search?text=bag", "GET product?id=p010", "GET product/image?id=p010",
                "POST embed", "POST classify", "POST search", "POST embed/image"
            ]
            for route in routes {
                let parts = route.split(separator: " ")
                let (method, rest) = (String(parts[0]), String(parts[1]))
                let spellings = [
                    "/api/\(rest)", "//api/\(rest)", "///api/\(rest)", "/api//\(rest)", "/./api/\(rest)",
                    "/api/./\(rest)", "/x/../api/\(rest)", "/api%2F\(rest)", "/%61pi/\(rest)", "/API/\(rest)"
                ]
                for target in spellings {
                    let status = try server.rawStatus(method, target)
                    #expect(status == 401 || status == 404 || status == 400, "\(method) \(target) answered \(status) without a key")
                }
                // With the key the plain spelling works (POSTs without a body are refused as bad requests).
                let keyed = try server.rawStatus(method, "/api/\(rest)", headers: ["X-API-Key": Self.key])
                #expect(method == "POST" ? keyed == 400 || keyed == 415 || keyed == 422 : keyed == 200, "\(route) with the key: \(keyed)")
            }
            #expect(try server.rawStatus("GET", "//health") != 401)
        }
    }

    /// DNS rebinding: a page on evil.example that points its name at 127.0.0.1 sends `Host: evil.example`;
    /// a server on loopback answers only loopback names and the --allowed-host ones (issue 19, item 5).
    @Test("on loopback, only loopback Host names (and allowed ones) are answered")
    func hostCheck() async throws {
        let configuration = ServerConfiguration(port: 0, allowedHosts: ["shop.local"])
        try await LiveServer.with(try await ServerFixture.resources(), configuration: configuration) { server in
            for host in ["127.0.0.1", "127.0.0.1:8080", "localhost", "LOCALHOST:1", "[::1]", "[::1]:8080", "127.1.2.3", "shop.local:80"] {
                let status = try server.rawStatus("GET", "/api/info", headers: ["Host": host])
                #expect(status == 200, "\(host)")
            }
            for host in [
                "evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", "[::2]",
                "127.0.0.256", "localhost:http", "shop.local.evil"
            ] {
                for path in ["/api/info", "/", "/health", "/app.js"] {
                    let status = try server.rawStatus("GET", path, headers: ["Host": host])
                    #expect(status == 421, "\(host) \(path)")
                }
            }
        }
        #expect(ServerConfiguration(host: "0.0.0.0").bindsLoopback == false)
        #expect(ServerConfiguration(host: "localhost").bindsLoopback && ServerConfiguration(host: "127.0.0.1").bindsLoopback)
        #expect(throws: ServerSetupError.self) { try ServerConfiguration(allowedHosts: ["http://shop.local"]).validate() }
    }

    @Test("CORS: allowed origins get the headers and their preflights, others get none")
    func cors() async throws {
        let configuration = ServerConfiguration(port: 0, apiKey: Self.key, corsOrigins: ["https://shop.example"])
        try await LiveServer.with(try await ServerFixture.resources(), configuration: configuration) { server in
            let preflight = try await server.send(
                "OPTIONS", "/api/search",
                headers: [
                    "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type"
                ])
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == "https://shop.example")
            #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
            let allowed = try await server.send(
                "GET", "/api/search?like=p010&topK=1",
                headers: ["Origin": "https://shop.example", "X-API-Key": Self.key])
            #expect(allowed.status == 200 && allowed.headers["access-control-allow-origin"] == "https://shop.example")
            let unauthorised = try await server.send("GET", "/api/info", headers: ["Origin": "https://shop.example"])
            #expect(unauthorised.status == 401 && unauthorised.headers["access-control-allow-origin"] == "https://shop.example")
            let other = try await server.send("GET", "/api/info", headers: ["Origin": "https://elsewhere.example", "X-API-Key": Self.key])
            #expect(other.status == 200 && other.headers["access-control-allow-origin"] == nil)
        }
    }

    @Test("a short key or an origin that is not one is refused at setup")
    func badAccessConfiguration() {
        #expect(
            throws: ServerSetupError.invalidConfiguration(
                name: "apiKey", expected: "at least 8 characters without spaces",
                found: "5 characters")
        ) {
            try ServerConfiguration(apiKey: "short").validate()
        }
        #expect(
            throws: ServerSetupError.invalidConfiguration(
                name: "corsOrigins", expected: "* or an origin like https://shop.example",
                found: "shop.example")
        ) {
            try ServerConfiguration(corsOrigins: ["shop.example"]).validate()
        }
    }
}
