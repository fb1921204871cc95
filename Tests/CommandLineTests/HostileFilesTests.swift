import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Model folders whose files are not regular files: a clear error, never a hang (issue 19, item 15).
@Suite struct HostileFilesTests {
    /// A model folder copied from the fixture with `name` replaced by a FIFO nobody writes to.
    static func folder(withFIFOAt name: String) throws -> URL {
        let folder = try CommandRunner.temporaryFolder()
        let source = URL(fileURLWithPath: CommandRunner.model)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file != name {
            // The fixture's tokenizer files are relative links: copy what they point at.
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file).resolvingSymlinksInPath(),
                to: folder.appendingPathComponent(file))
        }
        #expect(mkfifo(folder.appendingPathComponent(name).path, 0o600) == 0)
        return folder
    }

    @Test(arguments: ["model.safetensors", "config.json"])
    func fifoInsteadOfAFileIsRefusedAtOnce(name: String) throws {
        let folder = try Self.folder(withFIFOAt: name)
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [["info", "--model", folder.path], ["embed", "--model", folder.path, "--text", "a red dress"]] {
            let started = Date()
            let run = try CommandRunner.run(arguments, timeout: 30)
            #expect(Date().timeIntervalSince(started) < 30, "\(arguments[0]) hung on a FIFO \(name)")
            #expect(run.status != 0 && run.status != SIGKILL, "\(arguments[0]): status \(run.status)")
            #expect(run.stderr.contains("FIFO") || run.text.contains("FIFO"), "\(arguments[0]): \(run.stderr) \(run.text)")
        }
    }
}

/// An image path that names a FIFO, a device or a folder: named for what it is, never a hang, an
/// endless read of /dev/zero, or a hint about permissions (issue 19, item 18).
@Suite struct SpecialFileImageTests {
    @Test func specialFilesAsImagesAreNamedForWhatTheyAre() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("photo.jpg")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let good = CommandRunner.catalog.appendingPathComponent("images/bag-red.jpg").path
        for (path, kind) in [(fifo.path, "a FIFO"), ("/dev/zero", "a device"), (folder.path, "a folder")] {
            let started = Date()
            let run = try CommandRunner.run(["embed", "--model", CommandRunner.model, "--image", path, "--image", good], timeout: 30)
            #expect(Date().timeIntervalSince(started) < 30, "embed hung on \(path)")
            #expect(run.stderr.contains("\(path): it is \(kind), not a regular file"), "\(path): \(run.stderr)")
            #expect(!run.stderr.contains("permission"), "\(path): \(run.stderr)")
        }
        let missing = try CommandRunner.run(["embed", "--model", CommandRunner.model, "--image", folder.appendingPathComponent("none.jpg").path])
        #expect(missing.status != 0 && missing.stderr.contains("No such file"), "\(missing.stderr)")
    }
}

/// Output that cannot be written is an error (status 1, a message on stderr), never a trap or a
/// silent success (issue 19, item 11).
@Suite struct OutputFailureTests {
    @Test(arguments: [["--json"], []])
    func fullDiskOnStdoutFails(extra: [String]) throws {
        let process = Process()
        process.executableURL = try CommandRunner.executable()
        process.arguments = ["embed", "--model", CommandRunner.model, "--text", "a red dress"] + extra
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(extra): \(process.terminationStatus) \(stderr)")
        #expect(stderr.contains("cannot write the output: No space left on device"), "\(extra): \(stderr)")
    }
}

/// `preprocess` with a bad image among good ones writes the good ones and reports the bad, as
/// `embed` does (issue 19, item 16): it wrote nothing and exited 1.
@Suite struct PreprocessPartialTests {
    @Test func goodImagesAreWrittenBadOnesReported() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.png")
        try Data("not a png at all".utf8).write(to: broken)
        let images = CommandRunner.catalog.appendingPathComponent("images")
        let good = ["bag-green.jpg", "bag-red.jpg"].map { images.appendingPathComponent($0).path }
        let output = folder.appendingPathComponent("x.npy")
        let run = try CommandRunner.run([
            "preprocess", "--model", CommandRunner.model, good[0], broken.path, good[1],
            "--output", output.path
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("failed: \(broken.path)"), "\(run.stderr)")
        #expect(run.text.contains("preprocessed 2 image(s)") && run.text.contains("1 failed"), "\(run.text)")
        // The file holds the two good images, in their order: the same bytes as preprocessing them alone.
        let alone = folder.appendingPathComponent("alone.npy")
        #expect(try CommandRunner.run(["preprocess", "--model", CommandRunner.model] + good + ["--output", alone.path]).status == 0)
        #expect(try Data(contentsOf: output) == Data(contentsOf: alone))
        let none = try CommandRunner.run(["preprocess", "--model", CommandRunner.model, broken.path, "--output", output.path])
        #expect(none.status != 0 && none.stderr.contains("nothing written"), "\(none.stderr)")
    }
}
