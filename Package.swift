// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "trailaudit",
    products: [
        .executable(name: "trailaudit", targets: ["trailaudit"]),
        .library(name: "TrailAudit", targets: ["TrailAudit"]),
    ],
    targets: [
        // zlib from Debian's zlib1g-dev; the shim wraps inflateInit2, a macro Swift cannot call.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // SQLite from Debian's libsqlite3-dev, for the nightly state (`trailaudit ingest`); the
        // shim wraps SQLITE_TRANSIENT, a macro Swift cannot call.
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "TrailAudit",
            dependencies: ["CZlib", "CSQLite"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .target(name: "TrailAuditCLI", dependencies: ["TrailAudit"]),
        .executableTarget(name: "trailaudit", dependencies: ["TrailAuditCLI"]),
        .executableTarget(
            name: "inflate-baseline",
            dependencies: ["CZlib"],
            path: "Benchmarks/InflateBaseline"
        ),
        .testTarget(
            name: "TrailAuditTests",
            dependencies: ["TrailAudit", "TrailAuditCLI", "CZlib", "CSQLite"]
        ),
    ]
)
