import Foundation
import Synchronization

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

/// Collects one task's callbacks. They arrive on the session's serial queue; the state sits in a
/// `Mutex` so the hand-off to and from the awaiting task is checked by the compiler.
private final class HubHTTPTaskDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var continuation: CheckedContinuation<(HubHTTPResponse, Data), Error>?
        var url = ""
        var head: HubHTTPResponse?
        var consumer: (@Sendable (Data) throws -> Void)?
        var collected = Data()
        var failure: Error?
    }

    private let route: HubHTTPClient.BodyRoute?
    private let state = Mutex(State())

    private static let collectLimit = 16 << 20

    init(route: HubHTTPClient.BodyRoute?) {
        self.route = route
    }

    func start(continuation: CheckedContinuation<(HubHTTPResponse, Data), Error>, url: String) {
        state.withLock {
            $0.continuation = continuation
            $0.url = url
        }
    }

    private func fail(_ error: Error) {
        state.withLock { $0.failure = $0.failure ?? error }
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
        let url = state.withLock { $0.url }
        guard let http = response as? HTTPURLResponse else {
            fail(HubError.invalidResponse(url: url, detail: "not an HTTP response"))
            completionHandler(.cancel)
            return
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        let head = HubHTTPResponse(url: dataTask.originalRequest?.url ?? http.url ?? URL(fileURLWithPath: "/"), status: http.statusCode, headers: headers)
        state.withLock { $0.head = head }
        do {
            let consumer = try route?(head)
            state.withLock { $0.consumer = consumer }
            completionHandler(.allow)
        } catch {
            fail(error)
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (failed, consumer, url) = state.withLock { ($0.failure != nil, $0.consumer, $0.url) }
        guard !failed else { return }
        do {
            if let consumer {
                try consumer(data)
            } else {
                try state.withLock { state in
                    guard state.collected.count + data.count <= Self.collectLimit else {
                        throw HubError.invalidResponse(url: url, detail: "body larger than \(Self.collectLimit) bytes")
                    }
                    state.collected.append(data)
                }
            }
        } catch {
            fail(error)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let finished = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.failure, state.head, state.collected, state.url)
        }
        let (continuation, failure, head, collected, url) = finished
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
