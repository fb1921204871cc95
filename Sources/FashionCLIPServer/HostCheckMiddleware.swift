import Hummingbird

/// On a server bound to loopback, answers 421 to requests whose `Host` is not a loopback name
/// (`localhost`, `127.x.y.z`, `[::1]`, with any port) or one of `allowed`: the defence against DNS
/// rebinding, where a page on another site points its own name at 127.0.0.1 and reads the API with
/// the browser's same-origin blessing (the `Host` it sends is still its own name).
struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    init(allowed: [String]) { self.allowed = Set(allowed.map { $0.lowercased() }) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1 carries the authority in `Host`; HTTPTypes hands it over as the request's authority.
        guard let value = request.head.authority, Self.accepts(value, allowed: allowed) else {
            throw APIError(
                .misdirectedRequest,
                "this server answers only on this machine (Host: localhost or 127.0.0.1; start it with --allowed-host NAME for others)")
        }
        return try await next(request, context)
    }

    /// Whether a `Host` header value (`name[:port]`, `[v6][:port]`) names this machine or an allowed name.
    static func accepts(_ value: String, allowed: Set<String>) -> Bool {
        var name = Substring(value.lowercased())
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = name[name.index(after: name.startIndex)..<close]
            return name == "::1" || allowed.contains(String(name))
        }
        if let colon = name.lastIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isNumber) else { return false }
            name = name[..<colon]
        }
        if name == "localhost" || allowed.contains(String(name)) { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
