import Foundation

/// Runs libFuzzer (`LLVMFuzzerRunDriver`) over a Swift closure, for the fuzz targets in `Fuzz/`.
///
/// SwiftPM links an executable's top-level code as `main` on Linux (`--defsym main=<module>_main`), so
/// libFuzzer's own `main` never runs; each target's `main.swift` calls `FuzzDriver.run` instead, which
/// hands libFuzzer the command line and the entry. Built only with `FASHIONCLIP_FUZZ=1` and the
/// sanitizer flags of `Scripts/fuzz.sh`.
public enum FuzzDriver {
    /// The entry of the running target; set once, before libFuzzer starts, then only read.
    nonisolated(unsafe) fileprivate static var entry: ((Data) -> Void)?

    /// Passes the process's arguments to libFuzzer and calls `body` with each input; exits with
    /// libFuzzer's status (non-zero after a crash, a leak, a timeout or an out-of-memory report).
    public static func run(_ body: @escaping (Data) -> Void) -> Never {
        entry = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.entry?(Data(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(status)
    }

    /// Folders `temporaryFolder(_:)` made; removed at exit (libFuzzer exits itself after its last run).
    nonisolated(unsafe) private static var folders: [URL] = []

    /// A new empty folder of this process under the temporary directory, for a target whose reader
    /// takes paths; call it before `run`.
    public static func temporaryFolder(_ name: String) -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fashionclip-fuzz-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            preconditionFailure("cannot create \(folder.path): \(error)")
        }
        if folders.isEmpty {
            atexit { for folder in FuzzDriver.folders { try? FileManager.default.removeItem(at: folder) } }
        }
        folders.append(folder)
        return folder
    }

    /// Stops the run unless `error` is the module's typed error `E` with a message: a reader that lets
    /// a foreign error (a `DecodingError`, an `NSError`) through does not name the object at fault.
    public static func expect<E: Error & CustomStringConvertible>(_ error: any Error, is type: E.Type) {
        guard let typed = error as? E else { preconditionFailure("expected \(E.self), got \(Swift.type(of: error)): \(error)") }
        precondition(!typed.description.isEmpty, "\(E.self) without a message")
        if verbose { print("fuzz: \(typed.description)") }
    }

    /// FASHIONCLIP_FUZZ_VERBOSE=1 prints each input's error, to check that seeds get past the first checks.
    public static let verbose = ProcessInfo.processInfo.environment["FASHIONCLIP_FUZZ_VERBOSE"] == "1"

    /// `bytes` as UTF-8 text, or nil: the readers that take a `String` see only valid text, as a file
    /// read with `String(data:encoding: .utf8)` would give them.
    public static func text(_ bytes: Data) -> String? {
        String(data: bytes, encoding: .utf8)
    }
}

/// libFuzzer's driver for a program that has its own `main` (compiler-rt `FuzzerDriver.cpp`).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer's conventional entry, for its own `main` when the linker keeps that one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let entry = FuzzDriver.entry else { preconditionFailure("FuzzDriver.run was not called: main.swift did not run") }
    entry(Data(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
