import Hummingbird

/// Cross-origin access for pages served elsewhere: a request whose `Origin` is allowed gets
/// `Access-Control-Allow-Origin` (and `Vary: Origin`); its preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) is answered 204 with the methods and headers the API takes.
/// Requests from other origins get no CORS headers, so browsers keep them from reading the answer.
struct CORSOriginsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Allowed origins; `*` allows any.
    let origins: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains("*") || origins.contains(origin) else {
            return try await next(request, context)
        }
        let allowed = origins.contains("*") ? "*" : origin
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = allowed
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-API-Key"
            headers[.accessControlMaxAge] = "600"
            headers[.vary] = "Origin"
            return Response(status: .noContent, headers: headers)
        }
        func allowing(_ headers: inout HTTPFields) {
            headers[.accessControlAllowOrigin] = allowed
            headers[.vary] = "Origin"
        }
        do {
            var response = try await next(request, context)
            allowing(&response.headers)
            return response
        } catch var error as APIError {
            // Errors too, so that a page elsewhere can read why (a 401 for a missing key, a 400 ...).
            allowing(&error.headers)
            throw error
        }
    }
}
