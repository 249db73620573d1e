@testable import BerthCLI
import Foundation
import Testing

/// Where an app finds its environment files without `--config`: `environments/`, else
/// `stacks/environments/`, relative to the working directory.
@Suite struct ConfigurationLookupTests {
    @Test func theConfigurationIsFoundWithoutConfig() throws {
        let root = try temporaryDirectory()
        #expect(throws: ConfigurationError.self) { try ConfigurationLookup.directory(explicit: nil, workingDirectory: root) }
        do {
            _ = try ConfigurationLookup.directory(explicit: nil, workingDirectory: root)
        } catch {
            #expect(error.description == "\(root): no environment files: looked in environments/ and stacks/environments/ here; run berth from the app's root or pass --config DIR")
        }
        try FileManager.default.createDirectory(atPath: root + "/stacks/environments", withIntermediateDirectories: true)
        #expect(try ConfigurationLookup.directory(explicit: nil, workingDirectory: root) == "stacks/environments")
        // A file called environments is not a directory of them.
        try "".write(toFile: root + "/environments", atomically: true, encoding: .utf8)
        #expect(try ConfigurationLookup.directory(explicit: nil, workingDirectory: root) == "stacks/environments")
        try FileManager.default.removeItem(atPath: root + "/environments")
        try FileManager.default.createDirectory(atPath: root + "/environments", withIntermediateDirectories: true)
        #expect(try ConfigurationLookup.directory(explicit: nil, workingDirectory: root) == "environments")
        #expect(try ConfigurationLookup.directory(explicit: "elsewhere", workingDirectory: root) == "elsewhere")
    }
}
