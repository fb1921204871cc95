// swift-tools-version: 6.1
import PackageDescription

// Layers, imports pointing down only (see ../shared/design/ARCHITECTURE.md):
//   fashionclip → FashionCLIPServer (Hummingbird) → FashionCLIP, EmbeddingCatalog
//   fashionclip → FashionCLIPEvaluation (metrics, reports, heat maps) → EmbeddingCatalog, CLIPImageProcessing
//   FashionCLIP → CLIPNetwork → TensorKernels → CKernels
//                             → CLIPTokenization (Foundation only)
//                             → CLIPImageProcessing → CImageCodecs → CLibJPEG, CLibPNG, CLibWebP (pkg-config)
let package = Package(
    name: "FashionCLIP",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FashionCLIP", targets: ["FashionCLIP"]),
        .library(name: "CLIPNetwork", targets: ["CLIPNetwork"]),
        .library(name: "CLIPONNX", targets: ["CLIPONNX"]),
        .library(name: "CLIPTokenization", targets: ["CLIPTokenization"]),
        .library(name: "CLIPImageProcessing", targets: ["CLIPImageProcessing"]),
        .library(name: "TensorKernels", targets: ["TensorKernels"]),
        .library(name: "EmbeddingCatalog", targets: ["EmbeddingCatalog"]),
        .library(name: "FashionCLIPEvaluation", targets: ["FashionCLIPEvaluation"]),
        .library(name: "FashionCLIPServer", targets: ["FashionCLIPServer"]),
        .executable(name: "fashionclip", targets: ["fashionclip"]),
        .executable(name: "image-benchmarks", targets: ["ImageBenchmarks"]),
        .executable(name: "kernel-benchmarks", targets: ["KernelBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP server; its optional traits (swift-configuration, full Foundation) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // ISA-specific micro-kernels: per-function target attributes, run-time CPU dispatch.
        .target(name: "CKernels"),
        .target(name: "TensorKernels", dependencies: ["CKernels"]),
        // Test-only: the VNNI and BF16 micro-kernels compiled against a plain-C emulation of their
        // instructions, so the tests check their logic on CPUs without them.
        .target(name: "CKernelsEmulation", dependencies: ["CKernels"]),
        // Opt-in: `swift build -c release --product kernel-benchmarks`.
        .executableTarget(name: "KernelBenchmarks", dependencies: ["TensorKernels"], path: "Benchmarks/KernelBenchmarks"),
        .target(name: "CLIPNetwork", dependencies: ["TensorKernels"]),
        .target(name: "CLIPTokenization"),
        // Reads ONNX exports (onnx/model.onnx, text_model.onnx / vision_model.onnx, fp16, int8) into CLIPNetwork.
        .target(name: "CLIPONNX", dependencies: ["CLIPNetwork", "TensorKernels"]),
        // The image codecs through pkg-config, which gives their include and library paths wherever
        // they are installed (Debian's /usr, Homebrew's /opt/homebrew on macOS); the module maps link them.
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .systemLibrary(name: "CLibWebP", pkgConfig: "libwebpdemux", providers: [.apt(["libwebp-dev"]), .brew(["webp"])]),
        .target(
            name: "CImageCodecs", dependencies: ["CLibJPEG", "CLibPNG", "CLibWebP"],
            // Also linked by name, for a Linux machine without pkg-config (the headers are in /usr/include).
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("webp"), .linkedLibrary("webpdemux")]
        ),
        .target(name: "CLIPImageProcessing", dependencies: ["CImageCodecs"]),
        .target(
            name: "FashionCLIP",
            dependencies: ["CLIPNetwork", "CLIPONNX", "CLIPTokenization", "CLIPImageProcessing", "TensorKernels"]
        ),
        // The system SQLite (Debian `libsqlite3-dev`, in the SDK on macOS) for the embedded vector store.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "EmbeddingCatalog", dependencies: ["TensorKernels", "CSQLite"]),
        // Opt-in: `swift run -c release catalog-benchmarks` (1M × 512 scan).
        .executableTarget(
            name: "catalog-benchmarks", dependencies: ["EmbeddingCatalog", "TensorKernels"], path: "Benchmarks/CatalogBenchmarks"),
        // Zero-shot and retrieval evaluation over a catalog embedder: scikit-learn-exact metrics, labelled
        // sets, reports and the labelled confusion-matrix PNG (libpng through CLIPImageProcessing).
        .target(name: "FashionCLIPEvaluation", dependencies: ["EmbeddingCatalog", "CLIPImageProcessing", "TensorKernels"]),
        // Test-only: a real indexing process for the crash-resume test to SIGKILL.
        .executableTarget(
            name: "catalog-index-helper", dependencies: ["EmbeddingCatalog"], path: "Tests/CatalogIndexHelper"),
        // The HTTP API and the web page over a model and a catalog store (Hummingbird only here).
        .target(
            name: "FashionCLIPServer",
            dependencies: [
                "FashionCLIP", "EmbeddingCatalog", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "fashionclip",
            dependencies: [
                "FashionCLIP",
                "FashionCLIPServer",
                "EmbeddingCatalog",
                "FashionCLIPEvaluation",
                "CLIPNetwork",
                "TensorKernels",
                "CLIPTokenization",
                "CLIPImageProcessing",
                "CLIPONNX",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Opt-in: `swift run -c release image-benchmarks FILE...` (Scripts/bench/image_peer.py drives it).
        .executableTarget(name: "ImageBenchmarks", dependencies: ["CLIPImageProcessing"], path: "Benchmarks/ImageBenchmarks"),
        .testTarget(name: "TensorKernelsTests", dependencies: ["TensorKernels", "CKernelsEmulation"]),
        .testTarget(name: "CLIPNetworkTests", dependencies: ["CLIPNetwork", "TensorKernels"]),
        .testTarget(name: "CLIPTokenizationTests", dependencies: ["CLIPTokenization"]),
        .testTarget(name: "CLIPONNXTests", dependencies: ["CLIPONNX", "CLIPNetwork", "TensorKernels", "FashionCLIP"]),
        .testTarget(name: "CLIPImageProcessingTests", dependencies: ["CLIPImageProcessing"]),
        .testTarget(name: "FashionCLIPTests", dependencies: ["FashionCLIP"]),
        // Runs the built `fashionclip` binary the way the README does.
        .testTarget(name: "CommandLineTests", dependencies: ["fashionclip"]),
        .testTarget(name: "EmbeddingCatalogTests", dependencies: ["EmbeddingCatalog", "catalog-index-helper"]),
        .testTarget(name: "FashionCLIPEvaluationTests", dependencies: ["FashionCLIPEvaluation", "EmbeddingCatalog", "CLIPImageProcessing"]),
        .testTarget(
            name: "FashionCLIPServerTests",
            dependencies: [
                "FashionCLIPServer", "FashionCLIP", "EmbeddingCatalog", "CLIPImageProcessing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
    ]
)

// Opt-in benchmarks (not built by `swift build`): FASHIONCLIP_BENCHMARKS=1 swift run -c release tokenizer-benchmarks
if Context.environment["FASHIONCLIP_BENCHMARKS"] != nil {
    package.targets.append(
        .executableTarget(name: "tokenizer-benchmarks", dependencies: ["CLIPTokenization"],
                          path: "Benchmarks/TokenizerBenchmarks"))
    // Scripts/bench/run.sh: fashionclip-benchmarks MODEL_DIR WORKLOAD [--precision int8] (JSON lines).
    package.targets.append(
        .executableTarget(name: "fashionclip-benchmarks", dependencies: ["FashionCLIP", "CLIPNetwork", "TensorKernels"],
                          path: "Benchmarks/EndToEndBenchmarks"))
    // onnx-benchmarks MODEL_DIR [--reference FILE]: ONNX exports vs model.safetensors (load, images/s, int8 parity).
    package.targets.append(
        .executableTarget(name: "onnx-benchmarks", dependencies: ["CLIPONNX", "CLIPNetwork", "TensorKernels"],
                          path: "Benchmarks/ONNXBenchmarks"))
}
