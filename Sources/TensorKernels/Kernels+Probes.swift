import CKernels

/// Benchmark probes (`kernel-benchmarks peak.*`, `Scripts/bench/run.sh`): what the CPU does at most,
/// so that benchmark figures can be read as a share of it. Not used by the model.
extension Kernels {
    /// The register-only probe loops (12 independent accumulators, inline assembly).
    package enum Probe: Int32, CaseIterable, Sendable {
        /// fp32 FMA in portable C.
        case portable = 0
        /// fp32 `vfmadd231ps` on ymm.
        case fmaYMM = 1
        /// fp32 `vfmadd231ps` on zmm (twice the ymm FLOPs on a full 512-bit datapath such as Zen 5,
        /// the same on Zen 4).
        case fmaZMM = 2
        /// bf16 `vdpbf16ps` on zmm.
        case bf16ZMM = 3
        /// int8 `vpdpbusd` on zmm (a multiply-add counts 2 operations).
        case vnniZMM = 4

        /// Whether this CPU runs the probe.
        package var isAvailable: Bool { ck_probe_available(CInt(rawValue)) != 0 }
    }

    /// Runs a register-only loop of the widest fp32 FMA this CPU has (zmm with AVX-512, ymm with AVX2)
    /// for `iterations` steps on the shared pool's threads (the peak at the clock the cores really run,
    /// boost included, where `/proc/cpuinfo` reports the base clock) and returns the FLOPs it did.
    package static func probeFMA(iterations: Int) -> Double {
        let context = KernelContext.shared
        return ck_probe_fma(context.pool, context.cPath, iterations)
    }

    /// Runs `probe` for `iterations` steps on the shared pool's threads; returns the operations done,
    /// 0 where the CPU lacks the instruction.
    package static func probe(_ probe: Probe, iterations: Int) -> Double {
        ck_probe_dot(KernelContext.shared.pool, CInt(probe.rawValue), iterations)
    }

    /// Sums `values` on the shared pool's threads: a streaming read, whose rate over a buffer much
    /// larger than the last-level cache is the DRAM read bandwidth.
    package static func probeSum(_ values: UnsafeBufferPointer<Float>) -> Float {
        let context = KernelContext.shared
        return ck_probe_sum(context.pool, context.cPath, values.baseAddress, values.count)
    }
}
