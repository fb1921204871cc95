// swift-tools-version: 6.1
import PackageDescription

// Layers, imports pointing down only (module map and data flow: docs/ARCHITECTURE.md):
//   fashionclip (CLI) → FashionCLIPServer (Hummingbird; `serve` only) → FashionCLIPCatalog
//   fashionclip (CLI) → FashionCLIPEvaluation, FashionCLIPCatalog
//   FashionCLIPCatalog (model + catalog: embedder, query routine, store opener) → FashionCLIP, EmbeddingCatalog
//   FashionCLIP (facade) → CLIPNetwork, CLIPONNX, CLIPTokenization, CLIPImageProcessing, FashionCLIPHub
//   FashionCLIPEvaluation (metrics, reports, heat maps) → EmbeddingCatalog, CLIPImageProcessing
//   FashionCLIPCatalog → PostgresCatalog (PostgresNIO) → EmbeddingCatalog
//   EmbeddingCatalog → TensorKernels, CSQLite        FashionCLIPHub → Foundation only
//   CLIPONNX → CLIPNetwork → TensorKernels → CKernels (C: every ISA kernel, one dispatch, one pool)
//   CLIPImageProcessing → CImageCodecs → CLibJPEG, CLibPNG, CLibWebP (pkg-config)
//   CLIPImageProcessing → TensorKernels (Pillow's resampler passes, the pool)
//   CLIPTokenization → Foundation only
// Products: the facade (FashionCLIP + FashionCLIPHub), the catalog, the server and the `fashionclip`
// executable; the lower modules ship inside them. Benchmarks and test helpers are opt-in (bottom).
let package = Package(
    name: "FashionCLIP",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FashionCLIP", targets: ["FashionCLIP", "FashionCLIPHub"]),
        .library(name: "FashionCLIPCatalog", targets: ["FashionCLIPCatalog", "EmbeddingCatalog", "PostgresCatalog", "FashionCLIPEvaluation"]),
        .library(name: "FashionCLIPServer", targets: ["FashionCLIPServer"]),
        .executable(name: "fashionclip", targets: ["fashionclip"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP server; its optional traits (swift-configuration, full Foundation) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // HTTPRequestPart, the HTTP parts the server's request-read deadline watches.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The shared store's client (PostgreSQL + pgvector) and the TLS it may ask for.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6")
    ],
    targets: [
        // ISA-specific micro-kernels: per-function target attributes, run-time CPU dispatch.
        .target(name: "CKernels"),
        .target(name: "TensorKernels", dependencies: ["CKernels"]),
        // Test-only: the VNNI and BF16 micro-kernels compiled against a plain-C emulation of their
        // instructions, so the tests check their logic on CPUs without them.
        .target(name: "CKernelsEmulation", dependencies: ["CKernels"]),
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
        .target(name: "CLIPImageProcessing", dependencies: ["CImageCodecs", "TensorKernels"]),
        // The Hugging Face Hub client (Foundation only): cache layout, refs, downloads, id → folder.
        .target(name: "FashionCLIPHub"),
        .target(
            name: "FashionCLIP",
            dependencies: ["CLIPNetwork", "CLIPONNX", "CLIPTokenization", "CLIPImageProcessing", "TensorKernels", "FashionCLIPHub"]
        ),
        // The system SQLite (Debian `libsqlite3-dev`, in the SDK on macOS) for the embedded vector store.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "EmbeddingCatalog", dependencies: ["TensorKernels", "CSQLite"]),
        // The model and the catalog together: the model as the catalog's embedder, and the one routine
        // that turns a search request into a query vector and a ranking (CLI and server both call it).
        .target(name: "FashionCLIPCatalog", dependencies: ["FashionCLIP", "EmbeddingCatalog", "PostgresCatalog"]),
        // The shared store: a VectorStore on PostgreSQL + pgvector, for catalogs that outgrow one machine.
        .target(
            name: "PostgresCatalog",
            dependencies: [
                "EmbeddingCatalog", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        // Zero-shot and retrieval evaluation over a catalog embedder: scikit-learn-exact metrics, labelled
        // sets, reports and the labelled confusion-matrix PNG (libpng through CLIPImageProcessing).
        .target(name: "FashionCLIPEvaluation", dependencies: ["EmbeddingCatalog", "CLIPImageProcessing", "TensorKernels"]),
        // The HTTP API and the web page over a model and a catalog store (Hummingbird only here).
        .target(
            name: "FashionCLIPServer",
            dependencies: [
                "FashionCLIP", "EmbeddingCatalog", "FashionCLIPCatalog", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Logging", package: "swift-log")
            ]
        ),
        .executableTarget(
            name: "fashionclip",
            dependencies: [
                "FashionCLIP",
                "FashionCLIPHub",
                "FashionCLIPCatalog",
                "FashionCLIPServer",
                "EmbeddingCatalog",
                "PostgresCatalog",
                "FashionCLIPEvaluation",
                "CLIPNetwork",
                "TensorKernels",
                "CLIPTokenization",
                "CLIPImageProcessing",
                "CLIPONNX",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .testTarget(name: "TensorKernelsTests", dependencies: ["TensorKernels", "CKernelsEmulation"]),
        .testTarget(name: "CLIPNetworkTests", dependencies: ["CLIPNetwork", "TensorKernels"]),
        .testTarget(name: "CLIPTokenizationTests", dependencies: ["CLIPTokenization"]),
        .testTarget(name: "CLIPONNXTests", dependencies: ["CLIPONNX", "CLIPNetwork", "TensorKernels", "FashionCLIP"]),
        .testTarget(name: "CLIPImageProcessingTests", dependencies: ["CLIPImageProcessing"]),
        .testTarget(name: "FashionCLIPTests", dependencies: ["FashionCLIP", "FashionCLIPHub"]),
        .testTarget(name: "FashionCLIPHubTests", dependencies: ["FashionCLIPHub", "fashionclip"]),
        .testTarget(name: "FashionCLIPCatalogTests", dependencies: ["FashionCLIPCatalog", "FashionCLIP", "EmbeddingCatalog"]),
        // Runs the built `fashionclip` binary the way the README does.
        .testTarget(name: "CommandLineTests", dependencies: ["fashionclip"]),
        .testTarget(name: "EmbeddingCatalogTests", dependencies: ["EmbeddingCatalog", "PostgresCatalog"]),
        .testTarget(name: "FashionCLIPEvaluationTests", dependencies: ["FashionCLIPEvaluation", "EmbeddingCatalog", "CLIPImageProcessing"]),
        .testTarget(
            name: "FashionCLIPServerTests",
            dependencies: [
                "FashionCLIPServer", "FashionCLIP", "EmbeddingCatalog", "FashionCLIPCatalog", "CLIPImageProcessing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ])
    ]
)

// Test helpers, for `make test` (FASHIONCLIP_TESTS=1 swift test): a real indexing process for the
// crash-resume test to SIGKILL. Kept out of a plain `swift build`, which builds the library and the CLI.
if Context.environment["FASHIONCLIP_TESTS"] != nil {
    package.targets.append(
        .executableTarget(name: "catalog-index-helper", dependencies: ["EmbeddingCatalog", "PostgresCatalog"], path: "Tests/CatalogIndexHelper"))
    if let tests = package.targets.first(where: { $0.name == "EmbeddingCatalogTests" }) {
        tests.dependencies.append("catalog-index-helper")
    }
}

// Opt-in benchmarks (not built by `swift build`): FASHIONCLIP_BENCHMARKS=1 swift run -c release NAME
if Context.environment["FASHIONCLIP_BENCHMARKS"] != nil {
    // kernel-benchmarks: GEMM and attention at CLIP's shapes, FMA/VNNI/bf16 peaks, DRAM read bandwidth.
    package.targets.append(
        .executableTarget(name: "kernel-benchmarks", dependencies: ["TensorKernels"], path: "Benchmarks/KernelBenchmarks"))
    // image-benchmarks FILE...: decode + preprocess per image (Scripts/bench/image_peer.py drives it).
    package.targets.append(
        .executableTarget(name: "image-benchmarks", dependencies: ["CLIPImageProcessing"], path: "Benchmarks/ImageBenchmarks"))
    // catalog-benchmarks: a 1M × 512 scan, exact and int8.
    package.targets.append(
        .executableTarget(
            name: "catalog-benchmarks", dependencies: ["EmbeddingCatalog", "PostgresCatalog", "TensorKernels"],
            path: "Benchmarks/CatalogBenchmarks"))
    package.targets.append(
        .executableTarget(
            name: "tokenizer-benchmarks", dependencies: ["CLIPTokenization"],
            path: "Benchmarks/TokenizerBenchmarks"))
    // Scripts/bench/run.sh: fashionclip-benchmarks MODEL_DIR WORKLOAD [--precision int8] (JSON lines).
    package.targets.append(
        .executableTarget(
            name: "fashionclip-benchmarks", dependencies: ["FashionCLIP", "CLIPNetwork", "TensorKernels"],
            path: "Benchmarks/EndToEndBenchmarks"))
    // onnx-benchmarks MODEL_DIR [--reference FILE]: ONNX exports vs model.safetensors (load, images/s, int8 parity).
    package.targets.append(
        .executableTarget(
            name: "onnx-benchmarks", dependencies: ["CLIPONNX", "CLIPNetwork", "TensorKernels"],
            path: "Benchmarks/ONNXBenchmarks"))
}

// Opt-in libFuzzer targets (not built by `swift build`); Scripts/fuzz.sh builds them with the sanitizer
// flags on the command line (none here: the package must build as a dependency) and runs each on a
// copy of its seed corpus in Fuzz/Corpus/.
if Context.environment["FASHIONCLIP_FUZZ"] != nil {
    let fuzzTargets: [(name: String, folder: String, dependencies: [Target.Dependency])] = [
        ("fuzz-image-decoders", "ImageDecoders", ["CLIPImageProcessing"]),
        ("fuzz-safetensors", "SafeTensors", ["CLIPNetwork"]),
        ("fuzz-model-configuration", "ModelConfiguration", ["CLIPNetwork", "CLIPImageProcessing"]),
        ("fuzz-tokenizer", "Tokenizer", ["CLIPTokenization"]),
        ("fuzz-onnx", "ONNX", ["CLIPONNX"]),
        ("fuzz-catalog-csv", "CatalogCSV", ["EmbeddingCatalog"]),
        ("fuzz-catalog-jsonl", "CatalogJSONL", ["EmbeddingCatalog"]),
        ("fuzz-metadata-filter", "MetadataFilter", ["EmbeddingCatalog"]),
        ("fuzz-api-requests", "APIRequests", ["FashionCLIPServer"])
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzSupport"], path: "Fuzz/\(target.folder)"))
    }
}
