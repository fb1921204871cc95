#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only, private memory maps of weight files (safetensors, ONNX and its external data) whose
/// pages a loader drops from the process's resident set once it has converted a tensor, so loading
/// a model costs its packed weights in memory, not the packed weights plus the whole file.
package enum MappedFile {
    /// Why a file could not be mapped (the callers wrap it in their module's error, naming the file).
    package struct Failure: Error {
        package let reason: String
    }

    /// The file at `url` mapped read-only and private, unmapped when the last copy of the `Data`
    /// goes; an empty file gives empty bytes.
    /// - Throws: for a file that is not a regular file (a FIFO would block the open until some writer
    ///   came; a device or folder is no checkpoint).
    package static func map(_ url: URL) throws(Failure) -> Data {
        try requireRegularFile(url)
        // O_NONBLOCK: should the path have become a FIFO since, the open returns instead of waiting.
        let fd = open(url.path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Failure(reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { return Data() }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Failure(reason: "mmap: \(String(cString: strerror(errno)))")
        }
        return Data(bytesNoCopy: base, count: size, deallocator: .custom { pointer, count in _ = munmap(pointer, count) })
    }

    /// Checks, without opening it, that `url` names a regular file (links followed).
    package static func requireRegularFile(_ url: URL) throws(Failure) {
        var status = stat()
        guard stat(url.path, &status) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            let kind =
                switch status.st_mode & S_IFMT {
                case S_IFIFO: "a FIFO"
                case S_IFDIR: "a folder"
                case S_IFCHR, S_IFBLK: "a device"
                case S_IFSOCK: "a socket"
                default: "a special file"
                }
            throw Failure(reason: "\(kind), not a regular file")
        }
    }

    /// Drops the pages holding `bytes` (offsets into `data`, which must come from `map`) from the
    /// resident set: the page cache keeps them, and a later read faults them back in from the file.
    package static func releasePages(of data: Data, bytes: Range<Int>) {
        guard !bytes.isEmpty else { return }
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            let page = Int(getpagesize())
            let first = (Int(bitPattern: base) + bytes.lowerBound) / page * page
            let end = Int(bitPattern: base) + bytes.upperBound
            #if os(Linux)
            // glibc's posix_madvise ignores POSIX_MADV_DONTNEED; madvise drops the pages of this
            // read-only private file mapping, and they read back from the file.
            _ = madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_DONTNEED)
            #else
            _ = posix_madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, POSIX_MADV_DONTNEED)
            #endif
        }
    }
}
