// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Berth",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "berth", targets: ["berth"]),
        // What an app's own package depends on: `import BerthCLI` brings the constructs
        // (Resources) and the template model (CloudFormation) with it.
        .library(name: "Berth", targets: ["BerthCLI", "Resources", "CloudFormation"]),
        // The AWS layer alone (SigV4, credentials, the CloudFormation, ECR, ECS and STS clients),
        // for tools built beside Berth, such as its fuzz targets (Fuzz/).
        .library(name: "BerthAWS", targets: ["AWS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The template model: ordered JSON, intrinsics, Template, validation, JSON/YAML text.
        .target(name: "CloudFormation", dependencies: ["Yams"]),
        // Typed resource properties (generated from AWS's provider schemas) and constructs.
        .target(name: "Resources", dependencies: ["CloudFormation"]),
        // dlopen shims over the system's libcrypto, libcurl and libxml2.
        .target(name: "CSystemShims", linkerSettings: [.linkedLibrary("dl")]),
        // SigV4, credentials, endpoints, the HTTP transport, retries and the AWS API clients.
        .target(name: "AWS", dependencies: ["CSystemShims"]),
        // The stack state machine, change-set deploys, event streaming and the image gate.
        .target(name: "Deploy", dependencies: ["AWS", "CloudFormation"]),
        // Argument parsing, environment configuration and output.
        .target(
            name: "BerthCLI",
            dependencies: [
                "CloudFormation", "Resources", "AWS", "Deploy", "CSystemShims", "Yams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The sample application: its stacks are Swift code in stacks/, its settings YAML.
        .executableTarget(
            name: "berth",
            dependencies: ["BerthCLI", "Resources", "CloudFormation"],
            path: "stacks",
            exclude: ["environments"]
        ),
        // An app with N generated services, used only by `make bench`.
        .executableTarget(
            name: "berth-bench-app",
            dependencies: ["BerthCLI", "Resources", "CloudFormation"],
            path: "Benchmarks/BenchApp"
        ),
        // Local servers for tests: moto, and scripted HTTP fakes on 127.0.0.1.
        .target(name: "TestSupport", dependencies: ["AWS"], path: "Tests/TestSupport"),
        .testTarget(name: "CloudFormationTests", dependencies: ["CloudFormation"], exclude: ["Fixtures"]),
        .testTarget(name: "ResourcesTests", dependencies: ["Resources", "CloudFormation"]),
        .testTarget(name: "DeployTests", dependencies: ["Deploy", "AWS", "CloudFormation", "Resources", "TestSupport"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "BerthCLITests", dependencies: ["BerthCLI", "Resources", "CloudFormation", "AWS", "TestSupport", "berth"],
            exclude: ["Golden", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
