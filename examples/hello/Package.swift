// swift-tools-version:6.0
// An app of its own that deploys with Berth: its stacks are Sources/hello/HelloApp.swift, its
// settings environments/*.yaml. Build and synthesize it with `make example` from Berth's root.
import Foundation
import PackageDescription

// Your app names Berth by URL:
//     .package(url: "https://github.com/<owner>/berth", from: "0.5.0")
//     .product(name: "Berth", package: "berth")
// This example lives inside Berth's checkout and names it by path; SwiftPM calls a package
// found by path after its folder, whatever the checkout is called.
let berth = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let package = Package(
    name: "HelloApp",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: berth.path)],
    targets: [
        .executableTarget(name: "hello", dependencies: [.product(name: "Berth", package: berth.lastPathComponent)])
    ],
    swiftLanguageModes: [.v6]
)
