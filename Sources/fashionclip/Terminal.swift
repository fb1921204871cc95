import Foundation
import Synchronization

/// Writing to stderr, and a progress bar that draws only when stderr is a terminal.
enum Terminal {
    /// Whether stderr is an interactive terminal (progress bars are drawn only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// Writes `line` and a newline to stderr.
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes `data` to stdout followed by a newline; a failed write (a full disk, a closed pipe) ends
    /// the command with an error instead of a trap or lost output.
    static func printData(_ data: Data) {
        fflush(nil)  // after what print() buffered, in order
        do {
            try FileHandle.standardOutput.write(contentsOf: data + Data("\n".utf8))
        } catch {
            // Foundation wraps the POSIX error (ENOSPC, EPIPE) in a Cocoa one: report the POSIX one.
            let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code ?? Int(errno)
            failWriting(errno: posix)
        }
    }

    /// Makes the process fail when stdout could not take all of it: print() buffers, and a full disk
    /// or a closed pipe shows only when the buffer is flushed at exit (coreutils' `close_stdout`). Call
    /// once at start.
    static func checkStdoutAtExit() {
        atexit {
            if fflush(nil) != 0 { Terminal.failWriting(errno: errno) }  // every stream: stdout is what print() used
        }
    }

    /// "Error: cannot write the output: …" on stderr, then exit status 1 (at once: the output is lost).
    static func failWriting(errno code: Int32) -> Never {
        let reason = code != 0 ? String(cString: strerror(code)) : "write failed"
        FileHandle.standardError.write(Data("Error: cannot write the output: \(reason)\n".utf8))
        _exit(1)
    }

    static func failWriting(errno code: Int) -> Never { failWriting(errno: Int32(truncatingIfNeeded: code)) }
}

/// `[#####-----] 120/500  24.1/s  ETA 0:16  label`, redrawn in place at most ten times a second.
final class ProgressBar: Sendable {
    private let total: Int
    private let label: String
    private let started = Date()
    private let lastDraw = Mutex(Date.distantPast)
    private let enabled: Bool

    /// A bar for `total` items; draws nothing unless stderr is a terminal.
    init(total: Int, label: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.total = total
        self.label = label
        self.enabled = enabled
    }

    /// Shows `done` of `total`.
    func update(_ done: Int) {
        guard enabled else { return }
        lastDraw.withLock { lastDraw in
            let now = Date()
            guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            FileHandle.standardError.write(
                Data(("\r\u{1B}[K" + Self.line(done: done, total: total, elapsed: now.timeIntervalSince(started), label: label)).utf8))
        }
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// The bar's text (separate for tests and non-terminal summaries).
    static func line(done: Int, total: Int, elapsed: TimeInterval, label: String) -> String {
        let width = 24
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "[\(bar)] \(done)/\(total)"
        if rate > 0 {
            text += String(format: "  %.1f/s", rate)
            if done < total { text += "  ETA " + duration((Double(total - done) / rate)) }
        }
        return text + "  " + label
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
