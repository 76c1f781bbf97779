// swift-tools-version:6.0
import PackageDescription

#if os(macOS)
let blasDependency: [Target.Dependency] = ["CPerceptKernels"]
#else
let blasDependency: [Target.Dependency] = ["CBLAS", "CPerceptKernels"]
#endif

let package = Package(
    name: "Percept",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Percept", targets: ["Percept"]),
        .executable(name: "percept", targets: ["PerceptCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, zlib1g-dev, liblapacke-dev).
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        .systemLibrary(
            name: "CLAPACK", path: "Sources/CLAPACK", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        // Image decoding and PNG encoding (Debian: libstb-dev, the compiled stb_image and stb_image_write).
        .systemLibrary(
            name: "CStb", path: "Sources/CStb", pkgConfig: "stb",
            providers: [.apt(["libstb-dev"])]),
        // JPEG decoding (Debian: libturbojpeg0-dev, libjpeg-turbo's TurboJPEG API).
        .systemLibrary(
            name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]),

        // Hot elementwise kernels in C, with AVX2 versions chosen at run time.
        .target(name: "CPerceptKernels"),

        // Layers of the library, lowest first.
        .target(name: "PerceptTensor", dependencies: blasDependency),
        .target(name: "PerceptAutograd", dependencies: ["PerceptTensor", "CPerceptKernels"]),
        .target(name: "PerceptNN", dependencies: ["PerceptTensor", "PerceptAutograd", "CPerceptKernels"]),
        .target(name: "PerceptTraining", dependencies: ["PerceptTensor", "PerceptAutograd", "PerceptNN"]),
        .target(
            name: "PerceptData", dependencies: ["PerceptTensor", "PerceptImage", "CZlib"],
            resources: [.copy("Resources/mnist-subset")]),
        .target(name: "PerceptImage", dependencies: ["PerceptTensor", "CStb", "CTurboJPEG"]),
        .target(name: "PerceptReports", dependencies: ["PerceptImage"]),
        .target(
            name: "PerceptIO",
            dependencies: ["PerceptTensor", "PerceptNN", "PerceptTraining", "PerceptReports", "PerceptData", "PerceptClassical"]),
        .target(
            name: "PerceptDetection",
            dependencies: ["PerceptTensor", "PerceptAutograd", "PerceptNN", "PerceptTraining", "PerceptData", "PerceptImage",
                           "PerceptIO", "PerceptReports"]),
        .target(name: "PerceptClassical", dependencies: blasDependency + ["PerceptTensor", "CLAPACK"]),
        .target(
            name: "Percept",
            dependencies: [
                "PerceptTensor", "PerceptAutograd", "PerceptNN", "PerceptTraining", "PerceptData",
                "PerceptImage", "PerceptReports", "PerceptIO", "PerceptClassical", "PerceptDetection",
            ]),
        .executableTarget(
            name: "PerceptCLI",
            dependencies: ["Percept", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "PerceptTensorTests", dependencies: ["PerceptTensor"]),
        .testTarget(name: "PerceptAutogradTests", dependencies: ["PerceptTensor", "PerceptAutograd"]),
        .testTarget(name: "PerceptNNTests", dependencies: ["PerceptTensor", "PerceptAutograd", "PerceptNN"]),
        .testTarget(
            name: "PerceptTrainingTests",
            dependencies: ["PerceptTensor", "PerceptAutograd", "PerceptNN", "PerceptTraining", "PerceptData"]),
        .testTarget(
            name: "PerceptDataTests", dependencies: ["PerceptTensor", "PerceptImage", "PerceptData"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PerceptImageTests", dependencies: ["PerceptTensor", "PerceptImage", "CStb"]),
        .testTarget(name: "PerceptReportsTests", dependencies: ["PerceptReports", "PerceptImage"]),
        .testTarget(
            name: "PerceptIOTests",
            dependencies: ["PerceptTensor", "PerceptNN", "PerceptTraining", "PerceptIO", "PerceptData", "PerceptClassical"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PerceptDetectionTests",
            dependencies: ["PerceptTensor", "PerceptAutograd", "PerceptNN", "PerceptData", "PerceptImage", "PerceptIO",
                           "PerceptDetection"]),
        .testTarget(name: "PerceptClassicalTests", dependencies: ["PerceptTensor", "PerceptClassical"]),
        .testTarget(
            name: "PerceptCLITests", dependencies: ["PerceptCLI", "PerceptIO", "PerceptData", "PerceptImage", "PerceptDetection"],
            resources: [.copy("Fixtures")]),
    ]
)
