// swift-tools-version:6.0
import PackageDescription

// Dependencies, each for what it saves us:
// - swift-argument-parser: the CLI's subcommands, help text and validation (exit 64) for free.
// - BigInt: exact integers that never overflow (Scheme's numeric tower) without hand-written
//   multiplication, division and radix conversion.
// - swift-collections: OrderedDictionary keeps hash-table iteration deterministic (Swift's
//   Dictionary order changes per process, which would make "same seed, same report" false).
// - MCP swift-sdk: the Model Context Protocol's JSON-RPC types, lifecycle, concurrent request
//   handling, cancellation and progress over stdio for `rlm-plan mcp`; the official SDK tracks the
//   protocol's revisions so our server does not have to.
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "rlm-plan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rlm-plan", targets: ["rlm-plan"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "Planner", targets: ["Planner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(name: "CShims"),
        // libcurl's variadic curl_easy_setopt/getinfo wrapped for Swift (the HTTP provider's transport).
        .target(name: "CCurlShims", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Sandbox",
            dependencies: [
                "CShims",
                "CCurlShims",
                "CSQLite",
                .product(name: "BigInt", package: "BigInt"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            // Resources: the o200k_base and cl100k_base BPE rank files (docs/data-sources.md), read by
            // the one tokenizer both worlds count with.
            resources: [.copy("Resources")],
            // The VM is single-threaded; dynamic exclusivity checks on its class properties cost ~40%
            // of the interpreter loop (callgrind, fib 22), see docs/performance.md.
            swiftSettings: upcoming + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // A local OpenAI-compatible server: the tests, the benchmark and `rlm-plan mock-server` use it.
        .target(name: "ModelServer", dependencies: [], swiftSettings: upcoming),
        .target(name: "Simulator", dependencies: ["Sandbox"], swiftSettings: upcoming),
        .target(name: "Planner", dependencies: ["Sandbox", "Simulator"], swiftSettings: upcoming),
        // The MCP server (`rlm-plan mcp`): the original's tools plus simulation, on the session API.
        .target(
            name: "Server",
            dependencies: ["Sandbox", "Simulator", "Planner", .product(name: "MCP", package: "swift-sdk")],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "rlm-plan",
            dependencies: [
                "Sandbox", "Simulator", "Planner", "ModelServer", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming
        ),
        // Finds and runs the built binary for the test targets that test the CLI.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: upcoming),
        .testTarget(
            name: "SandboxTests",
            dependencies: ["Sandbox", "TestSupport"],
            exclude: ["scheme"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "ProviderTests", dependencies: ["Sandbox", "ModelServer"], swiftSettings: upcoming),
        .testTarget(name: "OrchestrationTests", dependencies: ["Sandbox", "ModelServer", "TestSupport"], swiftSettings: upcoming),
        .testTarget(name: "ServerTests", dependencies: ["Server", "Sandbox", "Simulator", "ModelServer", "TestSupport"], swiftSettings: upcoming),
        .testTarget(
            name: "PlannerTests",
            dependencies: ["Planner", "Simulator", "Sandbox", "ModelServer", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "Sandbox", "ModelServer", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
    ]
)
