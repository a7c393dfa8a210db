// swift-tools-version:5.9
// waonboard for Swift: the uniffi bindings that tools/test-uniffi generates into Sources/
// (do not edit them by hand; the check there fails when they are stale). They call the
// Rust library libwaonboard_uniffi (bindings-uniffi/), which the app links: build it
// with `cargo build --profile ffi-release -p waonboard-uniffi` for each Apple target and
// pass its folder to the linker (`swift build -Xlinker -L<dir>`), or wrap it in an
// XCFramework. Not compiled on this project's machines: there is no Swift toolchain there.
import PackageDescription

let package = Package(
    name: "Waonboard",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "Waonboard", targets: ["Waonboard"]),
    ],
    targets: [
        // The C header and module map of the library's FFI (generated).
        .systemLibrary(name: "WaonboardFFI", path: "Sources/WaonboardFFI"),
        // The Swift API (generated): async methods, `WaonboardError`, the flows and the
        // `HttpTransport` protocol for an app's own URLSession transport.
        .target(
            name: "Waonboard",
            dependencies: ["WaonboardFFI"],
            path: "Sources/Waonboard",
            linkerSettings: [.linkedLibrary("waonboard_uniffi")]
        ),
    ]
)
