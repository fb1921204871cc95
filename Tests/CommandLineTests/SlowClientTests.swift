import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Idle, trickling and oversized clients cannot take the server down (issue 19, items 4 and 12):
/// connections beyond the limit wait, idle ones and slowloris heads are closed after the idle timeout,
/// a body that trickles is cut at the request-read timeout, an oversized chunked body is 413.
@Suite(.serialized) struct SlowClientTests {
    static func health(_ address: String, timeout: Double) async -> (status: Int?, seconds: Double) {
        var request = URLRequest(url: URL(string: address + "health")!)
        request.timeoutInterval = timeout
        let start = Date()
        let response = try? await URLSession.shared.data(for: request)
        return ((response?.1 as? HTTPURLResponse)?.statusCode, Date().timeIntervalSince(start))
    }

    static func port(_ address: String) -> Int { URLComponents(string: address)?.port ?? 0 }

    @Test("1,100 idle connections against a 1,024-file server: /health answers within a bounded time")
    func idleConnectionsDoNotExhaustDescriptors() async throws {
        // The idle sockets live at descriptors 4096 and up, out of the way of the other tests' clients.
        try #require(RawSocket.allowOpenFiles(4096 + 1300), "this test needs a hard limit of at least 5,396 open files")
        let served = try ServedProcess.start(
            ["--model", CommandRunner.model, "--idle-timeout", "2", "--max-connections", "200"],
            fileLimit: 1024)
        defer { served.stop() }
        let port = Self.port(served.address)
        var idle: [RawSocket] = []
        for _ in 0..<1100 { idle.append(try RawSocket(port: port, wait: false, above: 4096)) }
        let start = Date()
        let status = RawSocket.status(port: port, path: "/health", within: 60)
        let seconds = Date().timeIntervalSince(start)
        #expect(status == 200, "no answer to /health with \(idle.count) idle connections open (\(seconds) s)")
        #expect(seconds < 45, "/health took \(seconds) s")
        print("/health answered in \(String(format: "%.1f", seconds)) s with 1,100 idle connections open (limit 1,024 files)")
        idle.removeAll()
        #expect(RawSocket.status(port: port, path: "/health", within: 10) == 200)
        #expect(served.process.isRunning)
    }

    @Test func slowHeadsAndTricklingBodiesAreClosed() async throws {
        let served = try ServedProcess.start(["--model", CommandRunner.model, "--idle-timeout", "2", "--request-read-timeout", "3"])
        defer { served.stop() }
        let port = Self.port(served.address)
        // A head sent a few bytes at a time, never finished: closed after the idle timeout.
        let slowloris = try RawSocket(port: port)
        let start = Date()
        var closed = false
        for byte in "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8 where !closed {
            closed = !slowloris.send([byte]) || slowloris.receive(for: 0.25).closed
        }
        if !closed { closed = slowloris.receive(for: 5).closed }
        #expect(closed, "a head trickled for \(Date().timeIntervalSince(start)) s was not closed")
        #expect(Date().timeIntervalSince(start) < 8)
        // A complete head, then a body a byte at a time: cut at the request-read timeout.
        let trickle = try RawSocket(port: port)
        _ = trickle.send("POST /api/embed HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        let bodyStart = Date()
        var cut = false
        while !cut && Date().timeIntervalSince(bodyStart) < 10 {
            cut = !trickle.send("a") || trickle.receive(for: 0.5).closed
        }
        #expect(cut, "a trickling body was not cut")
        #expect(Date().timeIntervalSince(bodyStart) >= 2.5, "cut before the request-read timeout")
        #expect(await Self.health(served.address, timeout: 10).status == 200)
    }

    @Test("an oversized chunked POST is 413, never 500, every time")
    func oversizedChunkedBodyIs413() throws {
        let served = try ServedProcess.start(["--model", CommandRunner.model, "--max-upload-mb", "1"])
        defer { served.stop() }
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        var statuses: [String: Int] = [:]
        for _ in 0..<20 {
            let client = try RawSocket(port: Self.port(served.address))
            _ = client.send("POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<3 where client.send(Array("100000\r\n".utf8) + chunk + Array("\r\n".utf8)) {}
            _ = client.send("0\r\n\r\n")
            let answer = String(decoding: client.receive(for: 5) { String(decoding: $0, as: UTF8.self).contains("}}") }.data, as: UTF8.self)
            let line = answer.split(separator: "\r\n").first.map(String.init) ?? "(no answer)"
            statuses[line, default: 0] += 1
        }
        #expect(statuses.keys.allSatisfy { $0.hasPrefix("HTTP/1.1 413") }, "\(statuses)")
    }
}
