import Foundation
import Testing

/// The directory of the built products, the test bundle and `berth` side by side, found as
/// swift-argument-parser's test helpers find it (`XCTest.debugURL` in ArgumentParserTestHelpers):
/// the bundle of a class of these tests, less its last component when that is the `.xctest`
/// bundle. It follows `-c release` and `--build-path`.
let productsDirectory: URL = {
    let bundleURL = Bundle(for: ProductsDirectoryAnchor.self).bundleURL
    return bundleURL.lastPathComponent.hasSuffix("xctest") ? bundleURL.deletingLastPathComponent() : bundleURL
}()

private final class ProductsDirectoryAnchor {}

/// The built executable `name` among the products; the test fails with "No executable at …"
/// when it is not there.
func builtExecutable(_ name: String) throws -> URL {
    let url = productsDirectory.appendingPathComponent(name)
    try #require(
        FileManager.default.isExecutableFile(atPath: url.path),
        "No executable at '\(url.standardizedFileURL.path)'; build the package's products (swift build) first")
    return url
}

/// What a child process writes to a pipe, read as it comes, so that a test can wait for a line.
final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var ended = false

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                lock.withLock {
                    if chunk.isEmpty { ended = true } else { data.append(chunk) }
                }
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// Everything read so far.
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    /// Whether the writer closed the pipe.
    var isAtEnd: Bool { lock.withLock { ended } }
}
