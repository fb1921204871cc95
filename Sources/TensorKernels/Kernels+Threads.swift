import CKernels

extension Kernels {
    /// Threads (the caller included) the kernels use: by default the CPUs this process may run on,
    /// or `FASHIONCLIP_THREADS` when set. Setting it takes effect from the next kernel call; 1
    /// runs everything on the calling thread.
    ///
    /// The worker threads are created once and reused; between calls they spin for ~2 ms, then sleep.
    public static var threadCount: Int {
        get { Int(ck_pool_threads(ck_default_pool())) }
        set {
            precondition(newValue >= 1, "Kernels.threadCount: expected at least 1 thread, got \(newValue)")
            ck_pool_set_threads(ck_default_pool(), CInt(clamping: newValue))
        }
    }

    /// The thread count used when none is set: `FASHIONCLIP_THREADS` or the available CPUs.
    public static var defaultThreadCount: Int { Int(ck_default_thread_count()) }

    /// The instruction-set path the kernels run on this CPU ("avx512", "avx2" or "scalar").
    public static var instructionSet: String { KernelPath.best.description }

    /// The dot-product extensions the kernels use on this CPU: "avx512_vnni" (int8 `vpdpbusd`) and
    /// "avx512_bf16" (`vdpbf16ps`, `--precision bf16`), where present.
    public static var instructionExtensions: [String] {
        (Int8Layout.vnniAvailable ? ["avx512_vnni"] : []) + (BF16Panels.isSupported ? ["avx512_bf16"] : [])
    }
}

extension Kernels {
    /// Returns the heap's free pages to the system (glibc keeps freed memory resident for reuse
    /// until trimmed): call after a phase that freed much, such as loading a model. No-op elsewhere.
    public static func releaseFreedMemory() {
        ck_release_free_memory()
    }
}
