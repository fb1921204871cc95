import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The head of one HTTP response.
struct HubHTTPResponse: Sendable {
    /// The URL that was requested (redirects are never followed by the client itself).
    let url: URL
    let status: Int
    /// Header values by lower-cased name.
    let headers: [String: String]

    func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// The `Location` of a 3xx response, resolved against `url`.
    var redirectTarget: URL? {
        guard (300..<400).contains(status), let location = header("location") else { return nil }
        return URL(string: location, relativeTo: url)?.absoluteURL
    }
}

/// Issues single HTTP requests over `URLSession` **without following redirects** (the downloader
/// decides per hop whether the token may travel), streaming bodies to a caller-provided consumer.
struct HubHTTPClient: Sendable {
    /// Seconds without any data before a request fails.
    var idleTimeout: TimeInterval = 30

    /// Given a response head, where its body goes: a consumer called serially with each chunk, or nil to
    /// collect the body in memory (at most 16 MiB).
    typealias BodyRoute = @Sendable (HubHTTPResponse) throws -> (@Sendable (Data) throws -> Void)?

    /// Sends `request` and returns the response head and the collected body (empty when streamed).
    /// - Throws: `HubError.network` when the exchange does not complete (including a connection dropped
    ///   mid-body), or whatever `route` or its consumer threw (the transfer is cancelled then).
    func send(_ request: URLRequest, route: BodyRoute? = nil) async throws -> (HubHTTPResponse, Data) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let delegate = HubHTTPTaskDelegate(route: route)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        let url = request.url?.absoluteString ?? "?"
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.start(continuation: continuation, url: url)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }
}

/// Collects one task's callbacks; all of them arrive on a serial queue, `lock` guards the hand-off.
private final class HubHTTPTaskDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let route: HubHTTPClient.BodyRoute?
    private let lock = NSLock()
    private var continuation: CheckedContinuation<(HubHTTPResponse, Data), Error>?
    private var url = ""
    private var head: HubHTTPResponse?
    private var consumer: (@Sendable (Data) throws -> Void)?
    private var collected = Data()
    private var failure: Error?

    private static let collectLimit = 16 << 20

    init(route: HubHTTPClient.BodyRoute?) {
        self.route = route
    }

    func start(continuation: CheckedContinuation<(HubHTTPResponse, Data), Error>, url: String) {
        lock.lock()
        self.continuation = continuation
        self.url = url
        lock.unlock()
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)  // the redirect response itself is delivered; the caller decides
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            failure = HubError.invalidResponse(url: url, detail: "not an HTTP response")
            completionHandler(.cancel)
            return
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        let head = HubHTTPResponse(url: dataTask.originalRequest?.url ?? http.url ?? URL(fileURLWithPath: "/"), status: http.statusCode, headers: headers)
        self.head = head
        do {
            consumer = try route?(head)
            completionHandler(.allow)
        } catch {
            failure = error
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do {
            if let consumer {
                try consumer(data)
            } else if collected.count + data.count <= Self.collectLimit {
                collected.append(data)
            } else {
                throw HubError.invalidResponse(url: url, detail: "body larger than \(Self.collectLimit) bytes")
            }
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        if let failure {
            continuation?.resume(throwing: failure)
        } else if let error {
            continuation?.resume(throwing: HubError.network(url: url, detail: error.localizedDescription))
        } else if let head {
            continuation?.resume(returning: (head, collected))
        } else {
            continuation?.resume(throwing: HubError.invalidResponse(url: url, detail: "no response"))
        }
    }
}
