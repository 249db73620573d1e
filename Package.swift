// swift-tools-version:6.0
import PackageDescription

// Berth's modules, from the bottom up (each names only what is below it):
//   BerthTemplate   the template model                        CBerthShims  C: libcrypto, libcurl, libxml2
//   BerthModel      what constructs and deploy share           BerthAWS     SigV4, credentials, clients
//   BerthResources  typed resources and the constructs         BerthDiff    template comparison, renderers
//   BerthConfig     the environment-file reader                BerthDeploy  plan, gate, stack deploys, actions
//   BerthCLI        the `berth` command line, re-exporting what an app needs
let package = Package(
    name: "Berth",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "berth", targets: ["berth"]),
        // What an app's own package depends on: `import BerthCLI` brings the constructs
        // (BerthResources), the shared model (BerthModel), the environment-file reader
        // (BerthConfig) and the template model (BerthTemplate) with it.
        .library(name: "Berth", targets: ["BerthCLI", "BerthConfig", "BerthResources", "BerthModel", "BerthTemplate"]),
        // The AWS layer alone (SigV4, credentials, the CloudFormation, EC2, ECR, ECS, Logs and STS
        // clients), for tools built beside Berth, such as its fuzz targets (Fuzz/).
        .library(name: "BerthAWS", targets: ["BerthAWS"]),
        // Local servers for tests of tools built on Berth: moto, and scripted HTTP fakes on 127.0.0.1.
        .library(name: "BerthTestSupport", targets: ["BerthTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only for libyaml, its CYaml module, which Yams does not publish as a product: held to
        // the minor version Berth was built against.
        .package(url: "https://github.com/jpsim/Yams", .upToNextMinor(from: "6.2.2")),
    ],
    targets: [
        // The template model: ordered JSON, intrinsics, Template, validation, JSON/YAML text
        // (YAML read with libyaml, which the Yams package carries as its CYaml module).
        .target(name: "BerthTemplate", dependencies: ["Yams"]),
        // What the constructs and the deploy share: phases, parameter sources, output and
        // parameter names, the lifecycle-rule model, stack tags and capabilities.
        .target(name: "BerthModel", dependencies: ["BerthTemplate"]),
        // Typed resource properties (generated from AWS's provider schemas), the app model
        // (App/) and the constructs (Constructs/, a service's parts in Constructs/Service/).
        .target(name: "BerthResources", dependencies: ["BerthTemplate", "BerthModel"]),
        // dlopen shims over the system's libcrypto, libcurl and libxml2, the Ctrl-C counter, and
        // starting a program in the terminal's foreground (exec's session-manager-plugin).
        .target(name: "CBerthShims", linkerSettings: [.linkedLibrary("dl")]),
        // SigV4, credentials, endpoints, regions, the HTTP transport, retries, user files and the
        // AWS API clients (CloudFormation with its stack statuses, EC2's DescribeSubnets, ECR, ECS, ELBv2's
        // DescribeLoadBalancerAttributes, KMS, Logs, STS).
        .target(name: "BerthAWS", dependencies: ["CBerthShims"]),
        // The semantic comparison of two templates and its text, JSON and Markdown renderings.
        .target(name: "BerthDiff", dependencies: ["BerthTemplate", "BerthModel"]),
        // The environment files: reading, validating at file:line, previews, the app's blueprint.
        .target(name: "BerthConfig", dependencies: ["BerthTemplate", "BerthModel", "BerthResources", "BerthAWS"]),
        // The deploy plan (Plan/), the image gate (Images/), a stack's deploy as a state machine
        // and its change sets (Stack/), the app's deploy (App/), the diff action (Diff/) and the
        // operations: status, images, logs, destroy (Operations/).
        .target(name: "BerthDeploy", dependencies: ["BerthAWS", "BerthTemplate", "BerthModel", "BerthDiff", "CBerthShims"]),
        // The command line: commands that parse, call and print (Commands/), output (Output/),
        // and the shared options and helpers (Support/).
        .target(
            name: "BerthCLI",
            dependencies: [
                "BerthTemplate", "BerthModel", "BerthResources", "BerthConfig", "BerthAWS", "BerthDiff", "BerthDeploy", "CBerthShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The sample application: its stacks are Swift code in stacks/, its settings YAML.
        .executableTarget(
            name: "berth",
            dependencies: ["BerthCLI"],
            path: "stacks",
            exclude: ["environments"]
        ),
        // An app with N generated services, used only by `make bench`.
        .executableTarget(
            name: "berth-bench-app",
            dependencies: ["BerthCLI"],
            path: "Benchmarks/BenchApp"
        ),
        // The floor `make bench` holds `berth synth` against: a program that starts Foundation and
        // writes one small JSON file, built as `make release` builds berth.
        .executableTarget(name: "berth-floor", path: "Benchmarks/Floor"),
        .target(name: "BerthTestSupport", dependencies: ["BerthAWS"], path: "Tests/BerthTestSupport"),
        .testTarget(name: "BerthTemplateTests", dependencies: ["BerthTemplate"], exclude: ["Fixtures"]),
        .testTarget(name: "BerthResourcesTests", dependencies: ["BerthResources", "BerthModel", "BerthTemplate"]),
        .testTarget(
            name: "BerthDiffTests", dependencies: ["BerthDiff", "BerthTemplate", "BerthModel", "BerthResources"]),
        .testTarget(
            name: "BerthDeployTests",
            dependencies: ["BerthDeploy", "BerthDiff", "BerthAWS", "BerthModel", "BerthTemplate", "BerthResources", "BerthTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "BerthAWSTests", dependencies: ["BerthAWS", "BerthTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "BerthCLITests",
            dependencies: [
                "BerthCLI", "BerthConfig", "BerthDiff", "BerthDeploy", "BerthResources", "BerthModel", "BerthTemplate", "BerthAWS",
                "BerthTestSupport", "berth",
            ],
            exclude: ["Golden", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
