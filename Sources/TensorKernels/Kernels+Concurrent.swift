import CKernels

/// Independent pieces of work spread over the worker pool, each run whole by one thread.
///
/// A batch of images or queries splits into slices that share no rows, so each thread can run the
/// whole network on its slice with single-threaded kernels (`KernelContext.serial`): no fork-join
/// per GEMM, no cache lines crossing cores. On a 2-core Zen 1 that holds ~89 % of the FMA peak where
/// splitting every GEMM across both cores holds 75–80 %.
extension Kernels {
    /// Runs `body(slice)` for every slice in `0..<count` on the shared pool (`threadCount` threads,
    /// the caller included) and returns when all are done. Slices are handed out one at a time, so a
    /// thread that another process slows down takes fewer; a pool already in use by another caller,
    /// or one thread, runs them all on the calling thread, in order.
    ///
    /// `body` must use `KernelContext.serial` for its kernel calls (the pool is busy with the slices)
    /// and must touch only what its slice owns.
    package static func forEachSlice(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        guard count > 1, threadCount > 1 else {
            for slice in 0..<count { body(slice) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = SliceBody(body)
            let context = Unmanaged.passRetained(box)
            defer { context.release() }
            ck_pool_run(
                ck_default_pool(), CInt(count),
                { raw, slice, _ in
                    Unmanaged<SliceBody>.fromOpaque(raw!).takeUnretainedValue().body(Int(slice))
                }, context.toOpaque())
        }
    }
}

/// The closure behind `forEachSlice`, passed to the C pool as its context pointer.
private final class SliceBody: @unchecked Sendable {
    let body: @Sendable (Int) -> Void
    init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }
}

/// Results of `Kernels.forEachSlice`, one slot per slice, each written once by the thread that ran it.
///
/// Slots are written from different threads without a lock: a slice writes only its own slot, and
/// `forEachSlice` returns only after every slice has finished (the pool's join orders the writes
/// before the caller's reads).
package final class SliceResults<Value>: @unchecked Sendable {
    /// A raw buffer, not an array: concurrent writes to an array property would be overlapping
    /// accesses to the property (Swift's exclusivity check traps on them).
    private let slots: UnsafeMutableBufferPointer<Value?>

    package init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// Stores slice `index`'s result.
    package func store(_ value: Value, at index: Int) {
        slots[index] = value
    }

    /// Every slice's result, in slice order (nil where a slice stored nothing).
    package var values: [Value?] { Array(slots) }
}
