// swift-tools-version:6.0
// libFuzzer targets for the readers of outside input: templates (JSON and YAML), environment
// files and AWS's XML answers. Built and run by `make fuzz` from Berth's root (not by make test).
import Foundation
import PackageDescription

// Berth's checkout, one folder up; SwiftPM names a package found by path after its folder.
let berth = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "BerthFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: berth.path)],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "fuzz-json-template", dependencies: ["FuzzSupport", .product(name: "Berth", package: berth.lastPathComponent)],
            path: "Sources/FuzzJSONTemplate"),
        .executableTarget(
            name: "fuzz-yaml-template", dependencies: ["FuzzSupport", .product(name: "Berth", package: berth.lastPathComponent)],
            path: "Sources/FuzzYAMLTemplate"),
        .executableTarget(
            name: "fuzz-environment-file", dependencies: ["FuzzSupport", .product(name: "Berth", package: berth.lastPathComponent)],
            path: "Sources/FuzzEnvironmentFile"),
        .executableTarget(
            name: "fuzz-xml-response", dependencies: ["FuzzSupport", .product(name: "BerthAWS", package: berth.lastPathComponent)],
            path: "Sources/FuzzXMLResponse"),
    ],
    swiftLanguageModes: [.v6]
)
