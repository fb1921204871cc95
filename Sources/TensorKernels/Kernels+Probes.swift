import CKernels

/// Benchmark probes (`kernel-benchmarks peak.*`, `Scripts/bench/run.sh`): what the CPU does at most,
/// so that benchmark figures can be read as a share of it. Not used by the model.
extension Kernels {
    /// Runs a register-only FMA loop of `iterations` steps on the shared pool's threads (the fp32 FMA
    /// peak at the clock the cores really run, boost included, where `/proc/cpuinfo` reports the base
    /// clock) and returns the FLOPs it did.
    package static func probeFMA(iterations: Int) -> Double {
        let context = KernelContext.shared
        return ck_probe_fma(context.pool, context.cPath, iterations)
    }

    /// Sums `values` on the shared pool's threads: a streaming read, whose rate over a buffer much
    /// larger than the last-level cache is the DRAM read bandwidth.
    package static func probeSum(_ values: UnsafeBufferPointer<Float>) -> Float {
        let context = KernelContext.shared
        return ck_probe_sum(context.pool, context.cPath, values.baseAddress, values.count)
    }
}
