import Foundation

/// A fixed number of optional values written once each from any thread (results of parallel work).
final class LockedSlots<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    subscript(index: Int) -> Value? {
        get { lock.withLock { values[index] } }
        set { lock.withLock { values[index] = newValue } }
    }

    /// Every slot, in order.
    func snapshot() -> [Value?] {
        lock.withLock { values }
    }
}
