@testable import BerthCLI
import Foundation
import Testing

/// Where an app finds its environment files without `--config`: `environments/`, else
/// `stacks/environments/`, relative to the working directory.
@Suite struct ConfigurationLookupTests {
    /// `--config` naming one environment file says which directory to give, and `--env`.
    @Test func anEnvironmentFileGivenAsTheConfigurationNamesItsDirectory() throws {
        let root = try temporaryDirectory()
        try "app: shop\n".write(toFile: root + "/prod.yaml", atomically: true, encoding: .utf8)
        #expect {
            try ConfigurationLookup.directory(explicit: root + "/prod.yaml", workingDirectory: root)
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "\(root)/prod.yaml: is an environment file; give --config the directory that holds it (\(root)), and --env the environment to work on"
        }
    }

    /// `staging.YAML` is refused at its name, with the other files' mistakes: it was passed over.
    @Test func anEnvironmentFileWhoseExtensionIsNotLowercaseIsRefused() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment, "staging.YAML": minimalEnvironment, "qa.Yml": "app: [\n"])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 2, "\(result.err)")
        for name in ["qa.Yml", "staging.YAML"] {
            #expect(result.err.contains("\(config)/\(name): an environment file's name ends in .yaml or .yml, in lowercase: rename it"), "\(result.err)")
        }
        // Alone, they are named all the same, not taken for no files at all.
        try FileManager.default.removeItem(atPath: config + "/dev.yaml")
        let alone = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(alone.status == 2 && alone.err.contains("staging.YAML: an environment file's name ends in .yaml or .yml"), "\(alone.err)")
    }

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
        // --config is taken as given once it can be listed; the CLI's words name the flag, the
        // library's (for a directory that cannot be read when the files are) do not.
        #expect(try ConfigurationLookup.directory(explicit: root + "/stacks/environments", workingDirectory: "/") == root + "/stacks/environments")
        #expect(throws: ConfigurationError.self) { try ConfigurationLookup.directory(explicit: root + "/elsewhere", workingDirectory: root) }
        do {
            _ = try ConfigurationLookup.directory(explicit: root + "/elsewhere", workingDirectory: root)
        } catch {
            #expect(error.description.hasSuffix("; give --config the directory that holds the environment files"))
        }
        #expect(throws: ConfigurationError.self) { try Configuration(directory: root + "/elsewhere").environments() }
        do {
            _ = try Configuration(directory: root + "/elsewhere").environments()
        } catch {
            #expect(error.description.hasSuffix("; name the directory that holds the environment files"), "\(error)")
        }
    }
}
