import ArgumentParser
import FashionCLIPHub
import Foundation
import Synchronization

/// `fashionclip download ORG/NAME`: fetch a model into the Hugging Face cache and print its folder.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model from the Hugging Face Hub into the local Hugging Face cache.",
        discussion: """
            Fetches config.json, model.safetensors and the tokenizer and preprocessor files (not \
            pytorch_model.bin, other frameworks' weights or onnx/ unless --include asks for them) into \
            $HF_HUB_CACHE (else $HF_HOME/hub, else ~/.cache/huggingface/hub), shared with Python's \
            huggingface_hub. Interrupted downloads resume. Prints the snapshot folder on stdout; pass \
            it, or ORG/NAME, as --model to the other commands.
            Environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN for private or gated models.
            """
    )

    @Argument(help: "The model id, ORG/NAME (or ORG/NAME@REVISION).")
    var repo: String

    @Option(help: "Branch, tag or commit to download (default: main).")
    var revision: String?

    @Option(name: .customLong("include"), help: ArgumentHelp("Also download files matching this glob, e.g. 'onnx/*' (repeatable).", valueName: "glob"))
    var includes: [String] = []

    @Flag(name: .customLong("no-default-files"), help: "Download only the files matched by --include.")
    var noDefaultFiles = false

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder to use instead of the Hugging Face default.", valueName: "dir"))
    var cacheDirectory: String?

    func validate() throws {
        let (_, embedded) = try parsedReference()
        if embedded != nil, revision != nil {
            throw ValidationError("give the revision either as ORG/NAME@REVISION or with --revision, not both")
        }
        if noDefaultFiles, includes.isEmpty {
            throw ValidationError("--no-default-files needs at least one --include pattern")
        }
    }

    func run() async throws {
        let (repoID, embedded) = try parsedReference()
        var downloader = HubDownloader()
        if let cacheDirectory {
            downloader.cache = HubCache(root: URL(fileURLWithPath: (cacheDirectory as NSString).expandingTildeInPath))
        }
        let patterns = (noDefaultFiles ? [] : HubDownloader.standardFilePatterns) + includes.map(HubFilePattern.init)
        let bar = isatty(STDERR_FILENO) != 0 ? DownloadProgressBar() : nil
        var report: (@Sendable (HubDownloadProgress) -> Void)?
        if let bar { report = { bar.update($0) } }
        let snapshot: HubSnapshot
        do {
            snapshot = try await downloader.download(repoID, revision: revision ?? embedded ?? "main", patterns: patterns, progress: report)
        } catch let error as HubError {
            bar?.finish()
            Self.printError("Error: \(error)")
            throw ExitCode.failure
        }
        bar?.finish()
        let fetched = snapshot.files.filter(\.downloaded)
        let bytes = fetched.reduce(Int64(0)) { $0 + $1.size }
        Self.printError(
            "\(repoID) @ \(snapshot.commit): \(fetched.count) file(s) downloaded (\(DownloadProgressBar.format(bytes))), "
                + "\(snapshot.files.count - fetched.count) already cached.")
        if snapshot.files.isEmpty {
            Self.printError("warning: no file of \(repoID) matched \(patterns.map(\.description).joined(separator: ", ")).")
        }
        if snapshot.missingStandardFiles.contains("model.safetensors") {
            Self.printError(
                "warning: \(repoID) has no model.safetensors; pytorch_model.bin is not supported, "
                    + "convert the weights to safetensors or pick a repo that publishes them.")
        }
        print(snapshot.folder.path)
    }

    private func parsedReference() throws -> (HubRepoID, String?) {
        do {
            return try HubRepoID.parse(reference: repo)
        } catch let error as HubError {
            throw ValidationError(error.description)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A one-line progress bar redrawn on stderr at most ten times a second.
private final class DownloadProgressBar: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var lastFile = ""
        var started = Date()
    }

    private let state = Mutex(State())

    func update(_ progress: HubDownloadProgress) {
        state.withLock { self.draw(progress, &$0) }
    }

    private func draw(_ progress: HubDownloadProgress, _ state: inout State) {
        let now = Date()
        let newFile = progress.file != state.lastFile
        if newFile {
            state.lastFile = progress.file
            state.started = now
        }
        guard newFile || progress.phase != .downloading || now.timeIntervalSince(state.lastDraw) >= 0.1 else { return }
        state.lastDraw = now
        let fraction = progress.overallTotal.map { $0 > 0 ? Double(progress.overallBytes) / Double($0) : 1 } ?? 0
        let width = 24
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let fileSize = progress.fileTotal.map(Self.format) ?? "?"
        let elapsed = now.timeIntervalSince(state.started)
        let rate = progress.phase == .downloading && elapsed > 0.5 ? "  \(Self.format(Int64(Double(progress.fileBytes) / elapsed)))/s" : ""
        let state = progress.phase == .cached ? "cached" : "\(Self.format(progress.fileBytes))/\(fileSize)"
        let line = "[\(bar)] \(Int(fraction * 100))%  \(progress.fileIndex + 1)/\(progress.fileCount) \(progress.file)  \(state)\(rate)"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func finish() {
        state.withLock { _ in FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// `1.5 MB` style sizes (decimal units, as the Hub shows them).
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
