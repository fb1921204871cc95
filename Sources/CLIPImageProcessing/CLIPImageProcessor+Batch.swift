import Dispatch
import Foundation

/// Many files at once, decoded and resized on every core.
extension CLIPImageProcessor {
    /// Decodes, resizes and centre-crops the files at `urls` concurrently; results are in input
    /// order. Throws the error of the first failing file (in input order).
    public func resizedAndCropped(filesAt urls: [URL]) throws -> [RGBImage] {
        try eachResizedAndCropped(filesAt: urls).map { try $0.get() }
    }

    /// `resizedAndCropped(filesAt:)` with each file's own outcome, in input order: a bad file fails
    /// alone.
    public func eachResizedAndCropped(filesAt urls: [URL]) -> [Result<RGBImage, any Error>] {
        let slots = ResultSlots<RGBImage>(count: urls.count)
        DispatchQueue.concurrentPerform(iterations: urls.count) { index in
            slots.set(index, Result { try resizedAndCropped(decode(fileAt: urls[index])) })
        }
        return slots.values()
    }
}

/// Lock-protected result slots filled by concurrent workers.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Result<Value, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    /// All results; every slot must have been set.
    func values() -> [Result<Value, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
