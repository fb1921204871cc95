import Hummingbird

/// Reads `+` in a query string as a space, as HTML forms and `URLSearchParams` write one
/// (`application/x-www-form-urlencoded`).
///
/// Hummingbird's `URI.queryParameters` percent-decodes the values but keeps a `+` as it is, so
/// `?text=navy+dress` reached the handlers as "navy+dress". This middleware, the router's first,
/// rewrites the request's query with `%20` for each `+` before any route reads it; a literal plus
/// arrives as `%2B` and stays one. The path is left alone (`+` means plus there).
struct FormQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let target = request.head.path, let rewritten = Self.spacesForPluses(in: target) else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = rewritten
        return try await next(Request(head: head, body: request.body), context)
    }

    /// `target` with each `+` of its query as `%20`, or nil when its query has none.
    static func spacesForPluses(in target: String) -> String? {
        guard let question = target.firstIndex(of: "?") else { return nil }
        let query = target[target.index(after: question)...]
        guard query.contains("+") else { return nil }
        return String(target[...question]) + query.split(separator: "+", omittingEmptySubsequences: false).joined(separator: "%20")
    }
}
