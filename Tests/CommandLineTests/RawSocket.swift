import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP connection to 127.0.0.1 driven byte by byte, for clients a browser would never be: idle,
/// trickling, or sending more than the server takes.
final class RawSocket {
    let descriptor: Int32

    /// Connects to `port`; with `wait: false` the connect is left in flight (a non-blocking socket).
    /// With `above`, the socket is moved to the lowest free descriptor at or above it, so that many
    /// held sockets leave the low numbers to the rest of the process (libcurl, under URLSession, uses
    /// `select`, which cannot watch descriptors past 1023).
    init(port: Int, wait: Bool = true, above: Int32? = nil) throws {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("127.0.0.1", String(port), &hints, &found) == 0, let info = found else { throw Self.failure("getaddrinfo") }
        defer { freeaddrinfo(found) }
        var fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw Self.failure("socket") }
        if let above {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, above)
            close(fd)
            guard moved >= 0 else { throw Self.failure("fcntl(F_DUPFD)") }
            fd = moved
        }
        descriptor = fd
        if !wait { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 || (!wait && errno == EINPROGRESS) else {
            close(fd)
            throw Self.failure("connect")
        }
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; false when the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// What the server sends until it closes the connection, `seconds` pass or `done` says it is enough.
    func receive(for seconds: Double, until done: ([UInt8]) -> Bool = { _ in false }) -> (data: [UInt8], closed: Bool) {
        var data: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000)))
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (data, true) }
            data += buffer[0..<n]
            if done(data) { break }
        }
        return (data, false)
    }

    /// Raises this process's soft limit on open files to at least `count`; false when the hard limit
    /// is lower.
    static func allowOpenFiles(_ count: Int) -> Bool {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur < rlim_t(count) else { return true }
        guard limit.rlim_max >= rlim_t(count) else { return false }
        limit.rlim_cur = rlim_t(count)
        return setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0
    }

    /// `GET path` on a fresh connection; the status code, or nil when none came within `seconds`.
    static func status(port: Int, path: String, within seconds: Double) -> Int? {
        guard let client = try? RawSocket(port: port),
            client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        else { return nil }
        let answer = String(decoding: client.receive(for: seconds) { $0.contains(UInt8(ascii: "\n")) }.data, as: UTF8.self)
        let parts = answer.split(separator: " ", maxSplits: 2)
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    private static func failure(_ call: String) -> Error {
        CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(call): \(String(cString: strerror(errno)))"])
    }
}
