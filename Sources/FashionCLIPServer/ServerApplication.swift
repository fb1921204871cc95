import Foundation
import Hummingbird
import HummingbirdCore
import Logging

/// Routes: `GET /` (the web page), `GET /app.js` (its script), `GET /favicon.ico` (its icon),
/// `GET /health`, and the JSON API under `/api` (`APIController`). Every route reads `+` in the
/// query as a space (`FormQueryMiddleware`).
public func buildRouter(resources: ServerResources, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: FormQueryMiddleware())
    router.add(middleware: LogRequestsMiddleware())
    if configuration.bindsLoopback { router.add(middleware: HostCheckMiddleware(allowed: configuration.allowedHosts)) }
    if !configuration.corsOrigins.isEmpty { router.add(middleware: CORSOriginsMiddleware(origins: Set(configuration.corsOrigins))) }
    router.get("/") { _, _ in WebPage.response() }
    router.get("app.js") { _, _ in WebPage.scriptResponse() }
    router.get("favicon.ico") { _, _ in WebPage.iconResponse() }
    router.get("health") { _, _ in try JSONResponse.make(["status": "ok"]) }
    // Load balancers and uptime checks probe with HEAD: the GET's status and headers, no body.
    router.head("health") { _, _ in
        let full = try JSONResponse.make(["status": "ok"])
        return Response(status: full.status, headers: full.headers)
    }
    let gate = ComputeGate(concurrent: configuration.concurrentJobs, queued: configuration.queuedJobs)
    APIController(resources: resources, configuration: configuration, gate: gate).addRoutes(to: router)
    return router
}

/// The HTTP server over `resources`, listening where `configuration` says.
///
/// ```swift
/// let resources = try ServerResources(model: try FashionCLIPModel("patrickjohncyh/fashion-clip"),
///                                     store: URL(fileURLWithPath: "products.sqlite"))
/// try await buildApplication(resources: resources, configuration: ServerConfiguration(port: 8080)).runService()
/// ```
/// - Parameter onServerRunning: called with the bound port once the server accepts connections
///   (the port picked when `configuration.port` is 0).
/// - Throws: `ServerSetupError.invalidConfiguration`.
public func buildApplication(
    resources: ServerResources, configuration: ServerConfiguration, logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
)
    throws -> some ApplicationProtocol
{
    try configuration.validate()
    var logger = logger ?? Logger(label: "fashionclip.server")
    if logger.logLevel > .info, ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { logger.logLevel = .info }
    return Application(
        router: buildRouter(resources: resources, configuration: configuration),
        server: .http1(
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestReadDeadline(limit: .seconds(Int64(configuration.requestReadTimeoutSeconds)))],
                idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "fashionclip",
            availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// One log line per request: method, path, status and milliseconds (the query is left out: it may
/// hold a user's search).
struct LogRequestsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        func log(_ status: HTTPResponse.Status) {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.logger.info("\(request.method) \(request.uri.path) \(status.code) \(String(format: "%.1f", ms)) ms")
        }
        do {
            let response = try await next(request, context)
            log(response.status)
            return response
        } catch let error as any HTTPResponseError {
            log(error.status)
            throw error
        } catch {
            log(.internalServerError)
            throw error
        }
    }
}
