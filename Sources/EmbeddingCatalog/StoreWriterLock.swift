import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `STORE.lock` beside a store file, held until deinit: the
/// one writer of a SQLite store. SQLite's own locks serialise each transaction, not a whole index run
/// that plans from what is stored and then commits batch by batch.
final class StoreWriterLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `path + ".lock"`, calling `waiting` first when another holder has it.
    /// - Throws: `CatalogError.storage` when the lock file cannot be opened.
    init(storePath path: String, waiting: () -> Void) throws {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CatalogError.storage(
                path: path, operation: "lock for writing",
                message: "cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CatalogError.storage(path: path, operation: "lock for writing", message: reason)
            }
            waiting()
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(fd)
                    throw CatalogError.storage(path: path, operation: "lock for writing", message: reason)
                }
            }
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension SQLiteVectorStore {
    /// `VectorStore.lockForWriting`: a `flock` on the store's `.lock` file, so writers in other
    /// processes wait too.
    public func lockForWriting(waiting: () -> Void) throws -> AnyObject {
        try StoreWriterLock(storePath: location, waiting: waiting)
    }
}
