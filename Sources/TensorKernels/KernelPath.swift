import CKernels

/// Which family of micro-kernels runs, chosen once from the CPU at run time.
///
/// Every path produces the same results up to fp32 rounding; tests force each one available on
/// the machine (`Kernels+Testing.swift`).
package enum KernelPath: Int32, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C, vectorised by the compiler for the baseline ISA (SSE2, NEON).
    case scalar = 0
    /// AVX2 + FMA, 6×16 tiles.
    case avx2 = 1
    /// AVX-512F, 14×32 tiles.
    case avx512 = 2

    /// The fastest path this CPU runs.
    package static let best = KernelPath(rawValue: Int32(ck_best_path())) ?? .scalar

    /// Whether this CPU can run the path.
    package var isAvailable: Bool { ck_path_available(CInt(rawValue)) != 0 }

    package var description: String {
        switch self {
        case .scalar: return "scalar"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        }
    }
}

/// Where a kernel call runs: the micro-kernel path and the worker pool (nil: the calling thread).
package struct KernelContext: @unchecked Sendable {
    package var path: KernelPath
    package var pool: OpaquePointer?
    /// Tests: the VNNI tile that int8 layers with quads weights run instead of this CPU's (an
    /// emulation, or the portable twin); nil for the CPU's own.
    package var vnniTile: ck_q8_vnni_tile_fn?
    /// Tests: the bf16 tile that bf16 layers run instead of this CPU's (an emulation, or the
    /// portable twin); nil for the CPU's own.
    package var bf16Tile: ck_bf16_tile_fn?

    package init(
        path: KernelPath, pool: OpaquePointer?, vnniTile: ck_q8_vnni_tile_fn? = nil,
        bf16Tile: ck_bf16_tile_fn? = nil
    ) {
        self.path = path
        self.pool = pool
        self.vnniTile = vnniTile
        self.bf16Tile = bf16Tile
    }

    /// The best path on the shared pool: what the public `Kernels` functions use.
    package static var shared: KernelContext { KernelContext(path: .best, pool: ck_default_pool()) }

    /// The best path on the calling thread alone.
    package static var serial: KernelContext { KernelContext(path: .best, pool: nil) }

    var cPath: CInt { CInt(path.rawValue) }
}
