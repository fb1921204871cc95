import Dispatch
import FashionCLIPCatalog

/// Runs blocking model calls off the server's event loops, a few at a time, with a bounded queue.
///
/// Embedding is CPU-bound and synchronous (the kernels fork over every core themselves), so it must
/// not run on the event loops or Swift's cooperative threads. At most `concurrent` calls run at once,
/// each on a dispatch thread; up to `queued` more wait in arrival order; a call beyond that is
/// refused at once (`APIError.busy`, 503) rather than queued without bound.
package actor ComputeGate {
    private let concurrent: Int
    private let queued: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    package init(concurrent: Int, queued: Int) {
        precondition(concurrent >= 1 && queued >= 0, "ComputeGate: \(concurrent) concurrent, \(queued) queued")
        self.concurrent = concurrent
        self.queued = queued
    }

    /// Calls now running and waiting.
    package var load: (running: Int, waiting: Int) { (running, waiting.count) }

    /// Runs `body` on a dispatch thread once a place is free, and returns what it returned or threw.
    /// - Throws: `APIError.busy` when every place and every queue slot is taken; `body`'s errors.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if running >= concurrent {
            guard waiting.count < queued else { throw APIError.busy(waiting: waiting.count) }
            await withCheckedContinuation { waiting.append($0) }
        } else {
            running += 1
        }
        defer { release() }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Hands the place to the first waiter, or frees it.
    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The catalog's query routine runs its model calls through the gate.
extension ComputeGate: ModelCallRunner {}
