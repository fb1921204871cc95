import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 (random port) for tests: one request per connection
/// (`Connection: close`), a thread per connection, 5 s socket timeouts, and it stops by itself after
/// `lifetime` seconds even if a test forgets `stop()` (long: a test in a fully parallel run on a
/// loaded machine can start a minute after its server was made). Nothing here touches the real network.
final class LocalHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        let method: String
        /// Path with query, e.g. `/api/models/org/name/revision/main`.
        let path: String
        /// Header values by lower-cased name.
        let headers: [String: String]
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body = Data()
        /// Send the full `Content-Length` but only this many body bytes, then drop the connection.
        var dropAfter: Int?
        /// Send the full `Content-Length` but only this many body bytes, then hold the connection open
        /// without sending more (up to 60 s, or until the server stops): a transfer in progress.
        var stallAfter: Int?

        init(status: Int, headers: [(String, String)] = [], body: Data = Data(), dropAfter: Int? = nil, stallAfter: Int? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.dropAfter = dropAfter
            self.stallAfter = stallAfter
        }
    }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let lock = NSLock()
    private var stopped = false
    private var log: [Request] = []

    /// Every request received so far, in arrival order.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    /// `http://127.0.0.1:<port>`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(lifetime: TimeInterval = 900, handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let deadline = Date().addingTimeInterval(lifetime)
        Thread { [self] in acceptLoop(until: deadline) }.start()
    }

    deinit { stop() }

    /// Stops accepting; connections in flight finish on their own.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop(until deadline: Date) {
        defer { close(listener) }
        while !isStopped, Date() < deadline {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            #if canImport(Darwin)
            var noSignal: Int32 = 1
            setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
            #endif
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        lock.lock()
        log.append(request)
        lock.unlock()
        let response = handler(request)
        var head = "HTTP/1.1 \(response.status) \(response.status < 400 ? "OK" : "Error")\r\n"
        var headers = response.headers
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            headers.append(("Content-Length", "\(response.body.count)"))
        }
        headers.append(("Connection", "close"))
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if request.method != "HEAD" {
            bytes.append(response.body.prefix(response.dropAfter ?? response.stallAfter ?? response.body.count))
        }
        sendAll(client, bytes)
        if response.dropAfter != nil { shutdown(client, Int32(SHUT_RDWR)) }
        if response.stallAfter != nil {
            let until = Date().addingTimeInterval(60)
            while Date() < until && !isStopped { Thread.sleep(forTimeInterval: 0.1) }
        }
    }

    private func readRequest(_ client: Int32) -> Request? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received = Data()
        while received.range(of: Data("\r\n\r\n".utf8)) == nil, received.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            received.append(contentsOf: buffer[0..<count])
        }
        guard let end = received.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
    }

    private func sendAll(_ client: Int32, _ data: Data) {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(client, raw.baseAddress! + offset, raw.count - offset, flags)
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }
}
