import Foundation
import Testing

/// A `fashionclip serve` process started for one test, stopped (SIGTERM) when the test is done.
struct ServedProcess {
    let process: Process
    /// `http://127.0.0.1:PORT/`, as the server printed it.
    let address: String
    /// The first line the server printed.
    let banner: String

    /// Starts `fashionclip serve arguments… --port 0` and reads the address from its first line
    /// ("fashionclip serve: 30 products; listening on http://127.0.0.1:PORT/").
    /// - Parameter fileLimit: the server's limit on open files (`ulimit -n`), when given.
    static func start(_ arguments: [String], fileLimit: Int? = nil) throws -> ServedProcess {
        let process = Process()
        let executable = try CommandRunner.executable()
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", executable.path, "serve"] + arguments + ["--port", "0"]
        } else {
            process.executableURL = executable
            process.arguments = ["serve"] + arguments + ["--port", "0"]
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no address in \(text)"])
        }
        return ServedProcess(process: process, address: String(text[range]), banner: text)
    }

    /// SIGTERM (a graceful shutdown), then waits for the exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
