import Hummingbird

/// Lets requests to the API's routes through only with the server's key: `Authorization: Bearer KEY`
/// or `X-API-Key: KEY`. It is the `/api` route group's middleware, so it runs on whichever route the
/// router resolved (`//api/info`, `/api//info` … included); the page, its script, `/health` and CORS
/// preflights (answered before routing, carrying no credentials) stay open. A missing or wrong key is
/// answered 401 with `WWW-Authenticate: Bearer`.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: [UInt8]

    init(key: String) { self.key = Array(key.utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method != .options else { return try await next(request, context) }
        let bearer = request.headers[.authorization].flatMap { value -> Substring? in
            value.lowercased().hasPrefix("bearer ") ? value.dropFirst(7).drop { $0 == " " } : nil
        }
        guard let given = bearer.map(String.init) ?? request.headers[.init("X-API-Key")!] else {
            throw Self.refusal("this server needs an API key: send Authorization: Bearer KEY or X-API-Key: KEY")
        }
        guard Self.same(Array(given.utf8), key) else { throw Self.refusal("the API key is not this server's") }
        return try await next(request, context)
    }

    /// Compares in time that depends on the lengths only, not on where the bytes first differ.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    private static func refusal(_ message: String) -> APIError {
        APIError(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
    }
}
