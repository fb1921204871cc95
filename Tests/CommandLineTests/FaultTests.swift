import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Faults from outside the process (issue 19): a disk that fills up during `index`, and SIGTERM to
/// `serve` while requests are in flight.
@Suite(.serialized) struct FaultTests {
    /// A catalog of `count` rows over the demo's images (absolute paths), ids `q00000`…
    static func catalog(rows count: Int, in folder: URL) throws -> URL {
        let demo = try String(contentsOf: CommandRunner.catalog.appendingPathComponent("catalog.csv"), encoding: .utf8)
        var lines = demo.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst()
        var out = header + "\n"
        for i in 0..<count {
            var fields = lines[i % lines.count].split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            fields[0] = String(format: "q%05d", i)
            fields[1] = CommandRunner.catalog.appendingPathComponent(fields[1]).path
            out += fields.joined(separator: ",") + "\n"
        }
        let url = folder.appendingPathComponent("catalog.csv")
        try out.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func sh(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Mounting a small tmpfs needs root: CI runs as root, as the project's guide says.
    @Test(
        "a full disk during index: a clean error, the committed batches intact, a rerun completes",
        .enabled(if: geteuid() == 0, "mounting a tmpfs needs root (CI runs as root)"))
    func diskFullDuringIndex() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = try Self.catalog(rows: 800, in: folder)
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(try Self.sh("mount -t tmpfs -o size=256k fashionclip-test '\(disk.path)'") == 0, "mount failed")
        defer { _ = try? Self.sh("umount '\(disk.path)'") }
        let store = disk.appendingPathComponent("catalog.sqlite").path
        let index = ["index", "--model", CommandRunner.model, "--catalog", catalog.path, "--store", store]

        let full = try CommandRunner.run(index, timeout: 120)
        #expect(full.status == 1, "status \(full.status): \(full.stderr)")
        #expect(full.stderr.contains("database or disk is full") && full.stderr.contains("committed batches are kept"), "\(full.stderr)")
        // What was committed is a working store: it answers a search.
        let search = try CommandRunner.run(["search", "--store", store, "--like", "q00001", "--top-k", "3"])
        #expect(search.status == 0 && search.text.contains("q00"), "\(search.stderr)")

        // With room again the run goes on from the committed batches, and a third has nothing to do.
        #expect(try Self.sh("mount -o remount,size=64m '\(disk.path)'") == 0)
        let resumed = try CommandRunner.run(index, timeout: 300)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let kept = resumed.text.firstMatch(of: /800 rows: (\d+) added, .* (\d+) unchanged/)
        let added = kept.flatMap { Int($0.1) } ?? -1, unchanged = kept.flatMap { Int($0.2) } ?? -1
        #expect(unchanged > 0 && added + unchanged == 800, "\(resumed.text)")
        let again = try CommandRunner.run(index, timeout: 120)
        #expect(again.text.contains("800 unchanged"), "\(again.text)")
    }

    @Test("SIGTERM to serve mid-request: the request is answered, new connections refused, exit 0")
    func sigtermLetsRequestsInFlightFinish() throws {
        let served = try ServedProcess.start(["--model", CommandRunner.model])
        defer { served.stop() }
        let port = SlowClientTests.port(served.address)
        // A keep-alive connection that has had its answer, idle at the shutdown: it must not hold it up.
        let idle = try RawSocket(port: port)
        #expect(idle.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        #expect(String(decoding: idle.receive(for: 5) { $0.contains(UInt8(ascii: "}")) }.data, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        // A request in flight: its head and half its body are in when the signal comes.
        let body = Array(#"{"texts":["a red dress","navy dress"]}"#.utf8)
        let client = try RawSocket(port: port)
        #expect(client.send("POST /api/embed HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"))
        #expect(client.send(Array(body[..<12])))
        Thread.sleep(forTimeInterval: 0.5)
        kill(served.process.processIdentifier, SIGTERM)

        var refused = false
        for _ in 0..<100 where !refused {
            refused = (try? RawSocket(port: port)) == nil
            if !refused { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(refused, "new connections were still accepted after SIGTERM")
        #expect(served.process.isRunning, "the server exited with a request in flight")
        #expect(client.send(Array(body[12...])))
        let answer = String(decoding: client.receive(for: 10) { String(decoding: $0, as: UTF8.self).contains("]]") }.data, as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "the request in flight got: \(answer.prefix(200))")
        #expect(answer.contains(#""dimension""#), "\(answer.prefix(200))")

        let deadline = Date().addingTimeInterval(20)
        while served.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!served.process.isRunning, "still running 20 s after SIGTERM")
        if !served.process.isRunning {
            #expect(served.process.terminationReason == .exit && served.process.terminationStatus == 0)
        }
    }
}
